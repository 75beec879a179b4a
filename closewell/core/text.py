"""Free text: the one place that says how long each free-text field may be and how typed text is cleaned.

Pages (closewell.web.forms.GovukFormMixin), the API and the importer (through the models'
clean_fields, which every service calls before saving) all use what is declared here, so a field's
limit and its cleaning are the same whichever way the text comes in.

Limits are generous for real writing: a Closure Record section or a contact note may be 20,000
characters (about 3,000 words, ten pages); short answers such as names keep their column's length.

Cleaning: the bidirectional override and isolate controls (U+202A–U+202E, U+2066–U+2069) are removed,
because they make text read differently from what it says (an "evil.exe" shown as "exe.live"), and
so are the other invisible control characters (C0 and C1, except tab, line feed and carriage
return). NUL (U+0000) is refused with a message rather than removed: PostgreSQL cannot store it, and
it only comes from a broken system, never from typing.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models

# The longest a free-text field (a TextField) may be, unless LIMITS says otherwise.
TEXT_MAX = 20_000
# Per field ("app_label.Model.field"): shorter limits where the text is short by nature.
LIMITS: dict[str, int] = {
    "cases.Person.address": 1_000,
    "cases.PlannedAction.description": 2_000,
}

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Removed from all typed text: bidi controls, and control characters other than tab, LF and CR.
# NUL is not in this set: it is refused (NUL_MESSAGE).
_REMOVED = re.compile("[" + BIDI_CONTROLS + "\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
NUL_MESSAGE = "Null characters are not allowed."


def clean_text(value: str) -> str:
    """The text without bidi overrides or invisible control characters (NUL is left to refuse)."""
    return _REMOVED.sub("", value)


def has_nul(value: str) -> bool:
    return "\x00" in value


def too_long_message(name: str, limit: int) -> str:
    """The GOV.UK message: 'Reason for closure must be 20,000 characters or fewer'."""
    return f"{name} must be {limit:,} characters or fewer"


def field_limit(field) -> int | None:
    """The longest a model field's text may be: its column's length, or the free-text limit."""
    if isinstance(field, models.TextField):
        key = f"{field.model._meta.app_label}.{field.model.__name__}.{field.name}"
        return LIMITS.get(key, TEXT_MAX)
    if isinstance(field, models.CharField):
        return field.max_length
    return None


def field_name(field) -> str:
    """A model field's name as a person reads it, capitalised: 'Reason for closure'."""
    name = str(field.verbose_name)
    return name[:1].upper() + name[1:]


def clean_model_text(instance) -> dict[str, list[str]]:
    """Clean every text field of a model instance in place; the errors (NUL, too long) by field."""
    errors: dict[str, list[str]] = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname)
        if not isinstance(value, str):
            continue
        cleaned = clean_text(value)
        if cleaned != value:
            setattr(instance, field.attname, cleaned)
        if has_nul(cleaned):
            errors.setdefault(field.name, []).append(NUL_MESSAGE)
        limit = field_limit(field)
        if limit and len(cleaned) > limit:
            errors.setdefault(field.name, []).append(too_long_message(field_name(field), limit))
    return errors


def refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def spreadsheet_safe(cell):
    """A CSV cell a spreadsheet will not run as a formula (CSV injection)."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell
