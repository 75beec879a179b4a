"""Copies of an authorised Closure Record: the register, the disclosure profiles, a preview of what a
recipient would get, give a copy, a manager's release, and the copy's PDF.

Through the documents app's services: the same people may give and download copies as on the pages
(the worker and managers of the episode's team); read-only roles see the register with the record.
"""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, renderers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from closewell.documents import disclosure
from closewell.documents.models import Copy, CopyMethod, Profile, RecipientKind
from closewell.documents.selectors import copies_for, copy_get, record_for_documents
from closewell.documents.services import copy_download, copy_give, copy_preview, copy_release

from .common import DateRulesMixin, UserSerializer


class WithheldItemSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="address, postcode, outward_code, phone, email, place, safety_plan, …"
    )
    section = serializers.CharField(help_text="The section of the record it was withheld from.")
    reason = serializers.CharField(help_text="The reason printed in its place: [Withheld: <reason>].")
    count = serializers.IntegerField()


class CopySerializer(serializers.ModelSerializer):
    given_by = UserSerializer(help_text="Who gave (asked for) the copy.")
    released_by = UserSerializer(
        allow_null=True, help_text="The team manager who released it, if it needed it."
    )
    withheld = WithheldItemSerializer(
        many=True, help_text="What was withheld: kind and section, never the words."
    )
    overrides = serializers.SerializerMethodField(
        help_text="Withholdings the worker chose to show (kind, section)."
    )

    class Meta:
        model = Copy
        fields = [
            "id",
            "record",
            "recipient_kind",
            "person",
            "recipient_name",
            "recipient_role",
            "profile",
            "given_on",
            "method",
            "given_by",
            "stamp",
            "withheld",
            "overrides",
            "release_status",
            "release_reasons",
            "released_by",
            "released_at",
            "sha256",
            "size",
        ]

    def get_overrides(self, copy) -> list[dict]:
        return [
            {"kind": o["kind"], "section": o["section"]} for o in (copy.disclosure or {}).get("overrides", [])
        ]


class CopyGiveSerializer(DateRulesMixin, serializers.Serializer):
    date_rules = {"given_on": "copy.given_on"}
    recipient_kind = serializers.ChoiceField(choices=RecipientKind.choices)
    given_on = serializers.DateField()
    method = serializers.ChoiceField(choices=CopyMethod.choices)
    person = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**62,
        help_text="The family member's person id (GET /children/{id}/people/), for recipient_kind 'person'.",
    )  # fmt: skip
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    role = serializers.CharField(required=False, allow_blank=True, max_length=200)
    overrides = serializers.ListField(
        child=serializers.RegexField(r"^[0-9a-f]{12}$"),
        required=False,
        max_length=200,
        help_text="Keys of withheld findings (from the preview) to show after all: the copy then needs a "
        "team manager's release.",
    )
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class CopyPreviewRequestSerializer(serializers.Serializer):
    recipient_kind = serializers.ChoiceField(choices=RecipientKind.choices)
    person = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**62)
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    role = serializers.CharField(required=False, allow_blank=True, max_length=200)
    overrides = serializers.ListField(
        child=serializers.RegexField(r"^[0-9a-f]{12}$"), required=False, max_length=200
    )


class SegmentSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="What the copy prints: the words, or [Withheld: <reason>].")
    withheld = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)
    kind = serializers.CharField(allow_blank=True)
    key = serializers.CharField(allow_blank=True)


class PassageSerializer(serializers.Serializer):
    section = serializers.CharField()
    segments = SegmentSerializer(many=True)


class FindingSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Send it in `overrides` to show it after all.")
    kind = serializers.CharField()
    section = serializers.CharField()
    reason = serializers.CharField()
    text = serializers.CharField(help_text="The words withheld (for the worker's check; never in the copy).")
    overridden = serializers.BooleanField()


class RemainingSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Name or Place")
    text = serializers.CharField()


class ProfileSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=Profile.choices)
    label = serializers.CharField()
    description = serializers.CharField()
    others_contacts = serializers.ChoiceField(
        choices=["unless_shared", "never", "all"],
        help_text="Other adults' contact details: withheld unless recorded as shareable, always, or never.",
    )
    unknown_contacts = serializers.BooleanField(help_text="Withhold contact details the case does not know.")
    outward_codes = serializers.BooleanField(help_text="Withhold every postcode district (e.g. NM2).")
    places = serializers.ListField(child=serializers.CharField(), help_text="Kinds of place withheld.")
    safety_plan = serializers.BooleanField()
    third_party_names = serializers.BooleanField()
    needs_release = serializers.BooleanField(help_text="A team manager other than the giver must release it.")


def profile_data(profile: disclosure.DisclosureProfile) -> dict:
    return {
        "name": profile.name,
        "label": profile.label,
        "description": profile.description,
        "others_contacts": profile.others_contacts,
        "unknown_contacts": profile.unknown_contacts,
        "outward_codes": profile.outward_codes,
        "places": sorted(profile.places),
        "safety_plan": profile.safety_plan,
        "third_party_names": profile.third_party_names,
        "needs_release": profile.needs_release,
    }


class CopyPreviewSerializer(serializers.Serializer):
    recipient_kind = serializers.CharField()
    person = serializers.IntegerField(allow_null=True)
    recipient_name = serializers.CharField()
    profile = ProfileSerializer()
    needs_release = serializers.BooleanField()
    release_reasons = serializers.ListField(child=serializers.CharField())
    passages = PassageSerializer(many=True)
    withheld = WithheldItemSerializer(many=True)
    findings = FindingSerializer(many=True)
    remaining = RemainingSerializer(many=True, help_text="Names and places the copy still holds: check each.")


class DisclosureProfiles(APIView):
    @extend_schema(responses=ProfileSerializer(many=True))
    def get(self, request):
        """The disclosure profiles: what a copy for each kind of recipient may hold."""
        return Response([profile_data(p) for p in disclosure.PROFILES.values()])


class RecordCopies(generics.ListAPIView):
    """GET: the copies register of a record. POST: give a copy of an authorised record."""

    serializer_class = CopySerializer

    def get_queryset(self):
        # The same rule as the copies pages: only those who handle a record's copies list them.
        return copies_for(record_for_documents(self.request.user, self.kwargs["pk"], audit_read=False))

    @extend_schema(request=CopyGiveSerializer, responses={201: CopySerializer})
    def post(self, request, pk: int):
        """Give a copy. A copy for someone who has harmed a member of the family, or with a
        withholding overridden, is created with release_status 'awaiting': it cannot be fetched until
        a team manager who did not give it releases it."""
        record = record_for_documents(request.user, pk, audit_read=False)
        serializer = CopyGiveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        copy = copy_give(
            actor=request.user,
            record=record,
            recipient_kind=data["recipient_kind"],
            given_on=data["given_on"],
            method=data["method"],
            person_id=data.get("person"),
            name=data.get("name", ""),
            role=data.get("role", ""),
            overrides=data.get("overrides", []),
            override_reason=data.get("override_reason", ""),
        )
        return Response(CopySerializer(copy).data, status=status.HTTP_201_CREATED)


class CopyPreview(APIView):
    @extend_schema(request=CopyPreviewRequestSerializer, responses=CopyPreviewSerializer)
    def post(self, request, pk: int):
        """Exactly what a copy for this recipient would hold, before it is given: each passage with
        what is withheld and why, the findings (with keys to override), and the names and places it
        still holds. Gives nothing."""
        record = record_for_documents(request.user, pk, audit_read=False)
        serializer = CopyPreviewRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        preview = copy_preview(
            actor=request.user,
            record=record,
            recipient_kind=data["recipient_kind"],
            person_id=data.get("person"),
            name=data.get("name", ""),
            role=data.get("role", ""),
            overrides=data.get("overrides", []),
        )
        result = preview.disclosure
        return Response(
            {
                "recipient_kind": preview.recipient_kind,
                "person": preview.person_id,
                "recipient_name": preview.name,
                "profile": profile_data(result.profile),
                "needs_release": result.needs_release,
                "release_reasons": result.release_reasons,
                "passages": [
                    {
                        "section": p.section,
                        "segments": [
                            {
                                "text": s.text,
                                "withheld": s.withheld,
                                "reason": s.reason,
                                "kind": s.kind,
                                "key": s.key,
                            }
                            for s in p.segments
                        ],
                    }
                    for p in result.passages
                ],
                "withheld": result.withheld,
                "findings": [
                    {k: f[k] for k in ("key", "kind", "section", "reason", "text", "overridden")}
                    for f in result.findings
                ],
                "remaining": [{"kind": kind, "text": text} for kind, text in result.remaining],
            }
        )


class CopyRelease(APIView):
    @extend_schema(request=None, responses=CopySerializer)
    def post(self, request, pk: int, copy_pk: int):
        """A team manager of the child's team, who did not give the copy, releases it (audited)."""
        record = record_for_documents(request.user, pk, audit_read=False)
        copy = copy_release(actor=request.user, copy=copy_get(record, copy_pk))
        return Response(CopySerializer(copy).data)


class PDFRenderer(renderers.BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class CopyDownload(APIView):
    renderer_classes = [renderers.JSONRenderer, PDFRenderer]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF"),
            (409, "application/json"): OpenApiResponse(
                description="The copy is waiting for a team manager's release"
            ),
        }
    )
    def get(self, request, pk: int, copy_pk: int):
        """The copy's PDF exactly as it was given (checked against its SHA-256). Audited. Answers
        `Accept: application/pdf` (or JSON, or anything); a copy awaiting release answers 409."""
        record = record_for_documents(request.user, pk, audit_read=False)
        copy = copy_get(record, copy_pk)
        content = copy_download(actor=request.user, copy=copy)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{copy.filename}"'
        return response

    def handle_exception(self, exc):
        # Errors are JSON whatever the client accepts.
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return super().handle_exception(exc)
