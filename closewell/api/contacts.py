"""Contacts: read an episode's contacts and record a new one, through contact_create()."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from closewell.cases.models import Contact, Person
from closewell.cases.selectors import contact_get_for_user, episode_contacts_for_user, episode_get_for_user
from closewell.cases.services import contact_create

from .common import DateRulesMixin, UserSerializer


class ContactSerializer(serializers.ModelSerializer):
    worker = UserSerializer()

    class Meta:
        model = Contact
        fields = [
            "id",
            "episode",
            "occurred_at",
            "kind",
            "child_seen",
            "child_seen_alone",
            "people_seen",
            "work",
            "note",
            "worker",
            "version",
            "source_id",
        ]


NOT_LINKED = "Choose only people linked to this child."


class PersonIdField(serializers.PrimaryKeyRelatedField):
    """A person by id. An id that does not exist gets the same answer as another family's person
    (cases.services._check_contact), so an error never confirms that a person id exists."""

    default_error_messages = {
        "required": "Choose the people seen.",
        "does_not_exist": NOT_LINKED,
        "incorrect_type": NOT_LINKED,
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str) or not str(data).isdigit():
            self.fail("incorrect_type", data_type=type(data).__name__)
        if len(str(data)) > 18:  # beyond a database integer: it cannot exist
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class ContactCreateSerializer(DateRulesMixin, serializers.ModelSerializer):
    date_rules = {"occurred_at": "contact.occurred_at"}
    people_seen = PersonIdField(
        queryset=Person.objects.all(), many=True, required=False, help_text="People linked to the child."
    )

    class Meta:
        model = Contact
        fields = ["occurred_at", "kind", "child_seen", "child_seen_alone", "people_seen", "work", "note"]


class EpisodeContacts(generics.ListCreateAPIView):
    """GET: the episode's contacts, latest first. POST: record a contact on an open episode, as the
    token's user (the same rules as the page: your team's case, not closed, not before the referral)."""

    def get_serializer_class(self):
        return ContactCreateSerializer if self.request.method == "POST" else ContactSerializer

    def get_queryset(self):
        """Reading the contacts is audited (once a request), through the case selectors."""
        return episode_contacts_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=ContactCreateSerializer, responses={201: ContactSerializer})
    def post(self, request, pk: int):
        episode = episode_get_for_user(request.user, pk, audit=False)
        serializer = ContactCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = contact_create(actor=request.user, episode=episode, **serializer.validated_data)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class ContactDetail(APIView):
    @extend_schema(responses=ContactSerializer)
    def get(self, request, pk: int):
        """One contact. Reading it is audited, as on the pages."""
        return Response(ContactSerializer(contact_get_for_user(request.user, pk)).data)
