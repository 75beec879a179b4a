"""Closure Records: read them and their status; start one, write its sections, submit, return and
authorise — through the same services and permission checks as the pages."""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from closewell.cases.selectors import episode_get_for_user
from closewell.closures import actions, sections, services
from closewell.closures.models import COMMENTABLE, ClosureRecord, ParentView, ReturnComment, Section, Status
from closewell.closures.selectors import record_get_for_user, records_for_user, return_loop, signatures_task
from closewell.core.errors import DomainError
from closewell.core.text import TEXT_MAX
from closewell.documents.models import Signature

from .common import DateRulesMixin, UserSerializer, int_param
from .episodes import ActionSerializer
from .schema import AutoSchema, ProblemSerializer


class ParentViewSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name")

    class Meta:
        model = ParentView
        fields = ["person", "person_name", "discussed", "discussed_date", "not_discussed_reason", "views"]


class CommentSerializer(serializers.Serializer):
    section = serializers.ChoiceField(choices=COMMENTABLE)
    text = serializers.CharField()


class ChangePieceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["equal", "added", "removed"])
    text = serializers.CharField()


class ReturnCommentSerializer(serializers.ModelSerializer):
    """A manager's comment from a return, the worker's answer and whether it is dealt with."""

    author = UserSerializer()
    answered_by = UserSerializer(allow_null=True)
    returned_at = serializers.DateTimeField(source="created_at")
    dealt_with = serializers.BooleanField(source="resolved")
    changes = serializers.SerializerMethodField(
        help_text="For the latest return's comments: the section's words since the return, word by "
        "word (equal, added, removed); [] for earlier returns."
    )

    class Meta:
        model = ReturnComment
        fields = [
            "id",
            "section",
            "text",
            "author",
            "round",
            "returned_at",
            "answer",
            "answered_by",
            "answered_at",
            "dealt_with",
            "dealt_with_at",
            "version",
            "changes",
        ]

    @extend_schema_field(ChangePieceSerializer(many=True))
    def get_changes(self, comment):
        loop = self.context.get("return_loop")
        if loop is None:
            loop = return_loop(comment.record)
        entry = loop.get(comment.section)
        if entry is None or comment not in entry["comments"]:
            return []
        return [{"kind": piece.kind, "text": piece.text} for piece in entry["pieces"]]


class CommentAnswerSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="The comment's version when you read it."
    )
    answer = serializers.CharField(allow_blank=True, max_length=TEXT_MAX)
    dealt_with = serializers.BooleanField()


class SignatureSerializer(serializers.ModelSerializer):
    """A signature (or why someone did not sign), what it was bound to and whether it still covers
    the record."""

    witness = UserSerializer()
    signed_sha256 = serializers.CharField(
        source="content_sha256", help_text="SHA-256 of the record as it was signed."
    )
    out_of_date = serializers.BooleanField(help_text="The record changed after they signed.")

    class Meta:
        model = Signature
        fields = [
            "id",
            "signer_kind",
            "signer_name",
            "relationship",
            "method",
            "signed_on",
            "not_signed_reason",
            "not_signed_detail",
            "comment",
            "witness",
            "signed_sha256",
            "out_of_date",
            "kept_sha256",
            "kept_reason",
        ]


class RecordSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="episode.child_id")
    author = UserSerializer()
    authorised_by = UserSerializer(allow_null=True)
    parent_views = ParentViewSerializer(many=True)
    actions = serializers.SerializerMethodField(help_text="The episode's actions, reviewed in section 3.")
    problems = serializers.SerializerMethodField(help_text="What must be put right before it can go forward.")
    comments = serializers.SerializerMethodField(
        help_text="The managers' comments from every return, with the worker's answers."
    )
    signatures = serializers.SerializerMethodField(
        help_text="The signatures, each marked out of date or not."
    )
    content_sha256 = serializers.SerializerMethodField(
        help_text="SHA-256 of what the record says now: what a signature taken now is bound to."
    )
    decision_maker_name = serializers.CharField(
        read_only=True, help_text="Who made the decision, as the record prints it."
    )
    confirmed_sections = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The sections saved on this record. A section holding what was pre-filled from the "
        "case that is not listed here must be read and saved before the record can be submitted.",
    )

    class Meta:
        model = ClosureRecord
        fields = [
            "id",
            "episode",
            "child",
            "addendum_to",
            "status",
            "version",
            "author",
            "decision_date",
            "decision_maker",
            "decision_by",
            "decision_by_role",
            "decision_maker_name",
            "addendum_reason",
            "confirmed_sections",
            # Each section's fields on the record, in the record's order (closures/sections.py).
            *dict.fromkeys(
                name
                for spec in sections.SECTIONS
                for name in spec.fields
                if name not in ("decision_date", *services.DECISION_FIELDS)
            ),
            "parent_views",
            "actions",
            "problems",
            "comments",
            "signatures",
            "content_sha256",
            "submitted_at",
            "authorised_at",
            "authorised_by",
            "snapshot_sha256",
        ]

    @extend_schema_field(ActionSerializer(many=True))
    def get_actions(self, record):
        return ActionSerializer(record.episode.actions.order_by("pk"), many=True).data

    @extend_schema_field(ProblemSerializer(many=True))
    def get_problems(self, record):
        if not record.is_editable and record.status != Status.SUBMITTED:
            return []
        return [
            {"section": p.section, "section_label": p.section_label, "message": p.message, "field": p.field}
            for p in sections.problems(record)
        ]

    @extend_schema_field(ReturnCommentSerializer(many=True))
    def get_comments(self, record):
        comments = record.comments.select_related("author", "answered_by").order_by("round", "pk")
        context = {"return_loop": return_loop(record)}
        return ReturnCommentSerializer(comments, many=True, context=context).data

    @extend_schema_field(SignatureSerializer(many=True))
    def get_signatures(self, record):
        return SignatureSerializer(signatures_task(record)["signatures"], many=True).data

    def get_content_sha256(self, record) -> str:
        return sections.signed_sha256(record)


class RecordSummarySerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="episode.child_id")
    child_name = serializers.CharField(source="episode.child.full_name")
    author = UserSerializer()

    class Meta:
        model = ClosureRecord
        fields = [
            "id",
            "episode",
            "child",
            "child_name",
            "addendum_to",
            "status",
            "version",
            "author",
            "decision_date",
            "submitted_at",
            "authorised_at",
        ]


class RecordStartSerializer(DateRulesMixin, serializers.Serializer):
    date_rules = {"decision_date": "closure.decision_date"}
    episode = serializers.IntegerField(min_value=1)
    decision_date = serializers.DateField()
    decision_maker = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        help_text="The team manager of the case's team who made the decision (their user id). "
        "Or leave it out and give decision_by and decision_by_role.",
    )
    decision_by = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="When someone else made the decision: their name.",
    )
    decision_by_role = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="When someone else made the decision: their role.",
    )

    def validate(self, attrs):
        """A manager of the team, or someone else with their name and role (as the page asks)."""
        attrs = super().validate(attrs)
        if attrs.get("decision_maker"):
            return attrs
        errors = {}
        if not (attrs.get("decision_by") or "").strip():
            errors["decision_by"] = [
                "Give decision_maker (a team manager of the team), or the name of who made the decision."
            ]
        if not (attrs.get("decision_by_role") or "").strip():
            errors["decision_by_role"] = ["Give the role of the person who made the decision."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class SectionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="The record's version when you read it."
    )
    data = serializers.DictField(
        help_text="The section's fields. For 'review': {action id: {version, actual_level, outcome, "
        "impact}}, where version is the action's version as read (from the record's actions): a review "
        "saved over a change made to the action meanwhile is refused; for 'parent_views': {person id: "
        "{discussed, discussed_date, not_discussed_reason, views}}. Only the sections due on the record "
        "are accepted (an addendum has only 'addendum'). Free text is at most 20,000 characters."
    )


def _camel(key: str) -> str:
    return "".join(part.capitalize() for part in key.split("_"))


def _fields_serializer(name: str, model, fields: tuple[str, ...]) -> type[serializers.ModelSerializer]:
    """A serializer of a section's fields, every one optional: only what is sent is changed."""
    meta = type(
        "Meta",
        (),
        {"model": model, "fields": list(fields), "extra_kwargs": dict.fromkeys(fields, {"required": False})},
    )
    return type(name, (serializers.ModelSerializer,), {"Meta": meta})


def section_body_serializer(spec: sections.SectionSpec) -> type[serializers.Serializer]:
    """The request body of PUT .../sections/<key>/ for one section, from its SectionSpec: the record's
    version and the section's fields; or, for a section that writes rows, each row's fields by its id."""
    name = _camel(spec.key)
    if spec.rows:
        row = _fields_serializer(f"{name}SectionRow", spec.rows.model, spec.rows.fields)
        data = serializers.DictField(
            child=row(),
            help_text=f"“{spec.title}”: each row by its id ({spec.rows.model._meta.verbose_name} "
            f"{'id' if spec.rows.key == 'pk' else spec.rows.key.replace('_id', ' id')}).",
        )
    else:
        data = _fields_serializer(f"{name}SectionData", ClosureRecord, spec.fields)(
            help_text=f"“{spec.title}”: the fields to change."
        )
    return type(
        f"{name}SectionUpdate",
        (serializers.Serializer,),
        {
            "version": serializers.IntegerField(
                min_value=1, max_value=2**31 - 1, help_text="The record's version when you read it."
            ),
            "data": data,
        },
    )


SECTION_BODIES = {spec.key: section_body_serializer(spec) for spec in sections.SECTIONS}


class SectionBodySchema(AutoSchema):
    """The section PUT's request body: one schema per section (anyOf, since the section is named
    in the path, not the body)."""

    def _get_request_for_media_type(self, serializer, direction="request"):
        if serializer is not SectionSerializer and not isinstance(serializer, SectionSerializer):
            return super()._get_request_for_media_type(serializer, direction)
        refs = [self.resolve_serializer(body, direction).ref for body in SECTION_BODIES.values()]
        schema = {
            "anyOf": refs,
            "description": "The body for the section named in the path: "
            + ", ".join(f"{key} ({body.__name__})" for key, body in SECTION_BODIES.items())
            + ".",
        }
        return schema, True


class ReturnSerializer(serializers.Serializer):
    comments = CommentSerializer(many=True, allow_empty=False)


def _get(request, pk: int) -> ClosureRecord:
    """The record if the user may read its case (404 otherwise), not audited: the write is."""
    return record_get_for_user(request.user, pk, audit_read=False)


def _detail(record: ClosureRecord, code=status.HTTP_200_OK) -> Response:
    record = ClosureRecord.objects.select_related("episode__child", "author", "authorised_by").get(
        pk=record.pk
    )
    return Response(RecordSerializer(record).data, status=code)


def _typed(model, values: dict, allowed) -> dict:
    """The JSON values of a section as the model's Python values (dates from ISO strings), so the
    service checks real values; a value that is not of its field's type is a 400 naming the field."""
    out = {}
    for name, value in values.items():
        if isinstance(value, list | dict):
            raise DomainError("Give a single value, not a list or an object.", field=name)
        if isinstance(value, str) and "\x00" in value:
            raise DomainError("Remove the null character from the text.", field=name)
        try:
            field = model._meta.get_field(name) if name in allowed else None
        except FieldDoesNotExist:
            field = None
        if field is None:
            out[name] = value
            continue
        try:
            out[name] = field.to_python(value)
        except ValidationError as error:
            raise DomainError(" ".join(error.messages), field=name) from error
    return out


def section_data(spec: sections.SectionSpec, data: dict) -> dict:
    """A section's `data` as closure_update takes it (sections.SectionSpec: its fields, or its rows)."""
    if not spec.rows:
        return _typed(ClosureRecord, data, spec.fields)
    model, allowed = spec.rows.model, spec.rows.fields
    out = {}
    for key, values in data.items():
        if not str(key).isdigit() or len(str(key)) > 18:
            raise DomainError("Give each entry by its id (a whole number).", field="data")
        if not isinstance(values, dict):
            raise DomainError("Give each entry's fields as an object.", field=f"data.{key}")
        out[int(key)] = _typed(model, values, allowed)
    return out


class RecordList(generics.ListAPIView):
    serializer_class = RecordSummarySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=Status.values),
            OpenApiParameter("episode", int, description="Only this episode's records."),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return records_for_user(
            self.request.user,
            status=self.request.query_params.get("status"),
            episode_id=int_param(self.request, "episode"),
        )

    @extend_schema(request=RecordStartSerializer, responses={201: RecordSerializer})
    def post(self, request):
        """Start the Closure Record of an open episode, pre-filled from the case."""
        serializer = RecordStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        episode = episode_get_for_user(request.user, data["episode"], audit=False)
        record = services.closure_start(
            actor=request.user,
            episode=episode,
            decision_date=data["decision_date"],
            decision_maker=data.get("decision_maker"),
            decision_by=data.get("decision_by", ""),
            decision_by_role=data.get("decision_by_role", ""),
        )
        return _detail(record, status.HTTP_201_CREATED)


class RecordDetail(APIView):
    @extend_schema(responses=RecordSerializer)
    def get(self, request, pk: int):
        """The record, its status and what is left to put right. Reading it is audited."""
        record = record_get_for_user(request.user, pk)
        return Response(RecordSerializer(record).data)


class RecordSection(APIView):
    schema = SectionBodySchema()

    @extend_schema(
        request=SectionSerializer,
        responses=RecordSerializer,
        parameters=[OpenApiParameter("section", str, OpenApiParameter.PATH, enum=Section.values)],
    )
    def put(self, request, pk: int, section: str):
        """Save one section. Refused if the record changed since `version` (nothing is overwritten)."""
        record = _get(request, pk)
        spec = sections.get(section)
        if spec is None:
            raise DomainError("Unknown section.", field="section")
        serializer = SectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = services.closure_update(
            actor=request.user,
            record=record,
            section=section,
            version=serializer.validated_data["version"],
            data=section_data(spec, serializer.validated_data["data"]),
        )
        return _detail(record)


class RecordSubmit(APIView):
    @extend_schema(request=None, responses=RecordSerializer)
    def post(self, request, pk: int):
        """Submit for authorisation; refused with each problem listed if a rule is not met."""
        return _detail(actions.SubmitRecord(request.user, _get(request, pk)).execute())


class RecordReturn(APIView):
    @extend_schema(request=ReturnSerializer, responses=RecordSerializer)
    def post(self, request, pk: int):
        """A manager of the team (not the author) returns it for amendment, a comment per section."""
        record = _get(request, pk)
        serializer = ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comments = [(c["section"], c["text"]) for c in serializer.validated_data["comments"]]
        return _detail(actions.ReturnRecord(request.user, record).execute(comments=comments))


class RecordAuthorise(APIView):
    @extend_schema(request=None, responses=RecordSerializer)
    def post(self, request, pk: int):
        """A manager of the team (not the author) authorises it: the case is closed from now."""
        return _detail(actions.AuthoriseRecord(request.user, _get(request, pk)).execute())


class RecordComment(APIView):
    @extend_schema(responses=ReturnCommentSerializer)
    def get(self, request, pk: int, comment_pk: int):
        """One of the managers' comments on the record, with the worker's answer."""
        record = record_get_for_user(request.user, pk)
        return Response(ReturnCommentSerializer(_comment(record, comment_pk)).data)

    @extend_schema(request=CommentAnswerSerializer, responses=ReturnCommentSerializer)
    def put(self, request, pk: int, comment_pk: int):
        """Answer a comment and mark it dealt with (or not yet): while the record is returned, by
        those who may edit it. Refused if the comment changed since `version`; dealt with needs an
        answer. A record with a comment not dealt with cannot be submitted."""
        record = _get(request, pk)
        comment = _comment(record, comment_pk)
        serializer = CommentAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        comment = services.comment_answer(
            actor=request.user,
            comment=comment,
            version=data["version"],
            answer=data["answer"],
            dealt_with=data["dealt_with"],
        )
        return Response(ReturnCommentSerializer(comment).data)


def _comment(record: ClosureRecord, comment_pk: int) -> ReturnComment:
    comment = record.comments.select_related("author", "answered_by").filter(pk=comment_pk).first()
    if comment is None:
        raise Http404("No such comment.")
    return comment
