"""A child's family and important people, with their roles and person ids (needed to give a copy),
and who harmed whom (domestic abuse): what an integrator needs to choose a copy's recipient safely."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from closewell.cases.models import ChildPerson, CustodyStatus, DomesticAbuse, Relationship
from closewell.cases.selectors import child_get_for_user


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FamilyMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The person id: `person` when giving a copy.")
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    relationship_label = serializers.CharField()
    is_parent_or_carer = serializers.BooleanField()
    has_parental_responsibility = serializers.BooleanField()
    lives_with_child = serializers.BooleanField()
    may_share_contact_details = serializers.BooleanField(
        help_text="Whether their contact details may be given in other family members' copies."
    )
    contact_details_sensitive = serializers.BooleanField()
    has_harmed_a_family_member = serializers.BooleanField(
        help_text="Recorded as the perpetrator of domestic abuse: their copy is restricted and needs a "
        "team manager's release."
    )
    harmed = PersonRefSerializer(many=True)
    harmed_by = PersonRefSerializer(many=True)


class DomesticAbuseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    episode = serializers.IntegerField()
    perpetrator = PersonRefSerializer()
    victim = PersonRefSerializer(allow_null=True)
    custody_status = serializers.ChoiceField(choices=CustodyStatus.choices)
    expected_release_date = serializers.DateField(allow_null=True)


def _ref(person) -> dict | None:
    return None if person is None else {"id": person.pk, "name": person.full_name}


def _abuse(child) -> list[DomesticAbuse]:
    return list(
        DomesticAbuse.objects.filter(episode__child=child)
        .select_related("perpetrator", "victim")
        .order_by("pk")
    )


class ChildPeople(APIView):
    @extend_schema(responses=FamilyMemberSerializer(many=True))
    def get(self, request, pk: int):
        """The child's family and important people: roles, person ids, and who harmed whom."""
        child = child_get_for_user(request.user, pk)
        abuse = _abuse(child)
        out = []
        for link in ChildPerson.objects.filter(child=child).select_related("person").order_by("pk"):
            person = link.person
            harmed = [_ref(a.victim) for a in abuse if a.perpetrator_id == person.pk and a.victim]
            out.append(
                {
                    "id": person.pk,
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "relationship": link.relationship,
                    "relationship_label": link.get_relationship_display(),
                    "is_parent_or_carer": link.is_parent_or_carer,
                    "has_parental_responsibility": link.has_parental_responsibility,
                    "lives_with_child": link.lives_with_child,
                    "may_share_contact_details": link.may_share_contact_details,
                    "contact_details_sensitive": person.contact_details_sensitive,
                    "has_harmed_a_family_member": any(a.perpetrator_id == person.pk for a in abuse),
                    "harmed": harmed,
                    "harmed_by": [_ref(a.perpetrator) for a in abuse if a.victim_id == person.pk],
                }
            )
        return Response(out)


class ChildDomesticAbuse(APIView):
    @extend_schema(responses=DomesticAbuseSerializer(many=True))
    def get(self, request, pk: int):
        """Domestic abuse recorded in the child's episodes: who harmed whom, and their custody."""
        child = child_get_for_user(request.user, pk)
        return Response(
            [
                {
                    "id": a.pk,
                    "episode": a.episode_id,
                    "perpetrator": _ref(a.perpetrator),
                    "victim": _ref(a.victim),
                    "custody_status": a.custody_status,
                    "expected_release_date": a.expected_release_date,
                }
                for a in _abuse(child)
            ]
        )
