"""Handovers to Family Help and the lead practitioner's answer, through the same selectors,
permission objects and services as the pages; and the loop back shown on a re-referred episode."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from closewell.accounts.permissions import handover_permissions
from closewell.familyhelp import selectors, services
from closewell.familyhelp.content import handover_content
from closewell.familyhelp.models import Handover

from .common import TeamSerializer, UserSerializer

# What the lead practitioner always sees; the rest only when the family agreed to share it.
ALWAYS_SHOWN = (
    "required",
    "lead_practitioner",
    "organisation",
    "contact",
    "consent_given",
    "continuing_support",
)


class HandoverContentSerializer(serializers.Serializer):
    lead_practitioner = serializers.CharField()
    organisation = serializers.CharField()
    contact = serializers.CharField(help_text="How to reach the lead practitioner.")
    consent_given = serializers.BooleanField(allow_null=True)
    consent_by = serializers.CharField(required=False)
    consent_date = serializers.DateField(required=False, allow_null=True)
    consent_scope = serializers.CharField(required=False)
    continuing_support = serializers.CharField()
    outstanding_actions = serializers.CharField(required=False)
    signs_to_watch = serializers.CharField(required=False)
    summary = serializers.CharField(required=False)


def handover_part(user, handover: Handover) -> dict:
    """The handover as authorised (as written so far before then), less what the family did not
    agree to share with the lead practitioner."""
    record = handover.record
    part = (record.snapshot or {}).get("handover") if record.is_authorised else None
    part = dict(part or handover_content(record))
    if not handover_permissions(user, handover).sees_what_was_shared:
        part = {key: value for key, value in part.items() if key in ALWAYS_SHOWN}
    part.pop("required", None)
    return part


class HandoverSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="record.episode.child_id")
    child_name = serializers.CharField(source="record.episode.child.full_name")
    team = TeamSerializer(source="record.episode.team")
    lead_practitioner = UserSerializer(allow_null=True)
    acknowledged_by = UserSerializer(allow_null=True)
    closed_at = serializers.DateTimeField(source="record.authorised_at", allow_null=True)
    answer_due = serializers.SerializerMethodField(help_text="Accept or decline by this day.")
    overdue = serializers.SerializerMethodField(help_text="Unanswered after its day.")
    content = serializers.SerializerMethodField(help_text="The handover, as far as the reader may see it.")

    class Meta:
        model = Handover
        fields = [
            "id",
            "record",
            "child",
            "child_name",
            "team",
            "lead_practitioner",
            "closed_at",
            "acknowledgement",
            "acknowledged_by",
            "acknowledged_at",
            "declined_reason",
            "answer_due",
            "overdue",
            "content",
        ]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_answer_due(self, handover):
        return selectors.answer_due(handover)

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, handover) -> bool:
        return selectors.is_overdue(handover)

    @extend_schema_field(HandoverContentSerializer)
    def get_content(self, handover):
        return handover_part(self.context["request"].user, handover)


class AcknowledgeSerializer(serializers.Serializer):
    accepted = serializers.BooleanField(help_text="True to accept the handover; false to say you cannot.")
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=20000, help_text="Why not (needed when declining)."
    )


class HandoverList(generics.ListAPIView):
    """The handovers the user may read: a lead practitioner's own; the teams' for workers and managers."""

    serializer_class = HandoverSerializer

    def get_queryset(self):
        return selectors.handovers_for_user(self.request.user)


class HandoverDetail(APIView):
    @extend_schema(responses=HandoverSerializer)
    def get(self, request, pk: int):
        """One handover. Reading it is audited."""
        handover = selectors.handover_get_for_user(request.user, pk)
        return Response(HandoverSerializer(handover, context={"request": request}).data)


class HandoverAcknowledge(APIView):
    @extend_schema(request=AcknowledgeSerializer, responses=HandoverSerializer)
    def post(self, request, pk: int):
        """The lead practitioner named accepts the handover, or says why they cannot (once)."""
        handover = selectors.handover_get_for_user(request.user, pk, audit_read=False)
        serializer = AcknowledgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        handover = services.handover_acknowledge(
            actor=request.user,
            handover=handover,
            accepted=serializer.validated_data["accepted"],
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(HandoverSerializer(handover, context={"request": request}).data)


class LoopBackSerializer(serializers.Serializer):
    """A re-referral's link to the closure before it, shown first."""

    previous_episode = serializers.IntegerField(source="previous.pk")
    closure_date = serializers.DateField(source="previous.closure_date")
    reason_for_closure = serializers.CharField(source="previous.reason_for_closure")
    closure_record = serializers.IntegerField(source="record.pk", allow_null=True, default=None)
    handover = serializers.IntegerField(source="handover.pk", allow_null=True, default=None)
    acknowledgement = serializers.CharField(source="handover.acknowledgement", allow_null=True, default=None)
    signs_to_watch = serializers.SerializerMethodField(help_text="The signs the handover said to watch for.")
    continuing_support = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_signs_to_watch(self, loop) -> str:
        return loop.handover_part.get("signs_to_watch", "")

    @extend_schema_field(serializers.CharField())
    def get_continuing_support(self, loop) -> str:
        return loop.handover_part.get("continuing_support", "")
