"""The OpenAPI 3 schema: every operation documents its errors, in the one error shape."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class ProblemSerializer(serializers.Serializer):
    section = serializers.CharField()
    section_label = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField(allow_blank=True)


class ErrorSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text='A message per field; "detail" for the request as a whole.',
    )
    problems = ProblemSerializer(
        many=True, required=False, help_text="An incomplete Closure Record: each problem with its section."
    )


ERRORS = {
    "400": "Invalid: the errors say what to put right",
    "401": "No token, or a token that is not valid",
    "403": "Your role may not do this",
    "404": "Not found, or not one of your cases",
    "405": "Method not allowed",
    "406": "Only JSON is returned (a copy's PDF also as application/pdf)",
    "415": "Send JSON",
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ERRORS if self.get_auth() else {k: v for k, v in ERRORS.items() if k not in ("401", "403")}
        for code, description in codes.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses
