"""Copies of an authorised Closure Record: the register, give a copy, download its PDF.

Through the documents app's services: the same people may give and download copies as on the pages
(the worker and managers of the episode's team); read-only roles see the register with the record.
"""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from closewell.documents.models import Copy, CopyMethod, RecipientKind
from closewell.documents.selectors import copies_for, copy_get, record_for_documents
from closewell.documents.services import copy_download, copy_give

from .common import DateRulesMixin, UserSerializer


class CopySerializer(serializers.ModelSerializer):
    given_by = UserSerializer()

    class Meta:
        model = Copy
        fields = [
            "id",
            "record",
            "recipient_kind",
            "person",
            "recipient_name",
            "recipient_role",
            "given_on",
            "method",
            "given_by",
            "stamp",
            "withheld",
            "sha256",
            "size",
        ]


class CopyGiveSerializer(DateRulesMixin, serializers.Serializer):
    date_rules = {"given_on": "copy.given_on"}
    recipient_kind = serializers.ChoiceField(choices=RecipientKind.choices)
    given_on = serializers.DateField()
    method = serializers.ChoiceField(choices=CopyMethod.choices)
    person = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**62)
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    role = serializers.CharField(required=False, allow_blank=True, max_length=200)


class RecordCopies(generics.ListAPIView):
    """GET: the copies register of a record. POST: give a copy of an authorised record."""

    serializer_class = CopySerializer

    def get_queryset(self):
        # The same rule as the copies pages: only those who handle a record's copies list them.
        return copies_for(record_for_documents(self.request.user, self.kwargs["pk"], audit_read=False))

    @extend_schema(request=CopyGiveSerializer, responses={201: CopySerializer})
    def post(self, request, pk: int):
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
        )
        return Response(CopySerializer(copy).data, status=status.HTTP_201_CREATED)


class CopyDownload(APIView):
    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF")}
    )
    def get(self, request, pk: int, copy_pk: int):
        """The copy's PDF exactly as it was given (checked against its SHA-256). Audited."""
        record = record_for_documents(request.user, pk, audit_read=False)
        copy = copy_get(record, copy_pk)
        content = copy_download(actor=request.user, copy=copy)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{copy.filename}"'
        return response
