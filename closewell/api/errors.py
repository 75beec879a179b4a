"""Errors as JSON: {"errors": {field: [message, ...]}}, the same shape for every status.

A rule of the domain (DomainError) is a 400 naming its field; an incomplete Closure Record is a 400
that also lists each problem with its section; not allowed is 403 (saying why when a rule about who may
act refused, such as four eyes: NotPermitted); not found (or not yours) is 404; a copy still waiting
for a manager's release is 409.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from closewell.closures.services import RecordIncomplete
from closewell.core.errors import DomainError, NotPermitted
from closewell.documents.services import CopyNotReleased

NON_FIELD = "detail"


def _messages(detail) -> dict[str, list[str]]:
    """DRF's error detail (a string, list or dict, nested) as {field: [message]}."""
    if isinstance(detail, dict):
        out = {}
        for key, value in detail.items():
            key = NON_FIELD if key in ("non_field_errors", "__all__") else str(key)
            if isinstance(value, dict):
                for sub, messages in _messages(value).items():
                    out.setdefault(f"{key}.{sub}", []).extend(messages)
            else:
                out.setdefault(key, []).extend(_flat(value))
        return out
    return {NON_FIELD: _flat(detail)}


def _flat(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [m for item in value for m in (_flat(item) if isinstance(item, list | dict) else [str(item)])]
    if isinstance(value, dict):
        return [f"{k}: {m}" for k, v in value.items() for m in _flat(v)]
    return [str(value)]


def error_response(errors: dict[str, list[str]], code: int, **extra) -> Response:
    return Response({"errors": errors, **extra}, status=code)


def exception_handler(exc, context):
    if isinstance(exc, RecordIncomplete):
        problems = [
            {"section": p.section, "section_label": p.section_label, "message": p.message, "field": p.field}
            for p in exc.problems
        ]
        errors: dict[str, list[str]] = {NON_FIELD: [exc.message]}
        for p in exc.problems:
            errors.setdefault(p.field or p.section, []).append(p.message)
        return error_response(errors, status.HTTP_400_BAD_REQUEST, problems=problems)
    if isinstance(exc, NotPermitted):
        return error_response({exc.field or NON_FIELD: [exc.message]}, status.HTTP_403_FORBIDDEN)
    if isinstance(exc, CopyNotReleased):
        return error_response({NON_FIELD: [exc.message]}, status.HTTP_409_CONFLICT)
    if isinstance(exc, DomainError):
        errors = {field: [message] for field, message in exc.errors.items()} or {NON_FIELD: [exc.message]}
        return error_response(errors, status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ValidationError):
        data = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        return error_response(_messages(data), status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found, or not one of your cases.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("You are not allowed to do this.")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = {"errors": _messages(response.data)}
    return response
