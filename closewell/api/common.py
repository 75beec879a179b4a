"""What every resource shares: people shown by name, and a base view that authenticates by token."""

from rest_framework import serializers


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class TeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def int_param(request, name: str) -> int | None:
    """A whole-number query parameter, or None when absent or not a number."""
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() and len(value) < 16 else None
