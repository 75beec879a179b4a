"""What every resource shares: people shown by name, and a base view that authenticates by token."""

from rest_framework import serializers

from closewell.core import date_rules


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class TeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DateRulesMixin:
    """A serializer whose date fields each name their rule (core.date_rules): {field: rule}. Dates that
    make no sense whatever the case (in the future, before 1900) are a 400 naming the field here;
    the service then checks them against the child and the episode, as for the pages."""

    date_rules: dict[str, str] = {}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        context = date_rules.context_for()
        found = date_rules.errors(
            context, [(name, rule, attrs.get(name)) for name, rule in self.date_rules.items()]
        )
        if found:
            raise serializers.ValidationError({name: [message] for name, message in found.items()})
        return attrs


def int_param(request, name: str) -> int | None:
    """A whole-number query parameter, or None when absent or not a number."""
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() and len(value) < 16 else None
