"""GOV.UK date input: a date typed as three boxes (day, month, year), and date plus time.

The GOV.UK Design System asks for dates as three separate boxes rather than a date picker; errors say
which part is missing or that the date is not a real one.
"""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

DATE_PARTS = ("day", "month", "year")
DATETIME_PARTS = (*DATE_PARTS, "time")
# Every date the service records lies between these years; a date outside them is a typing mistake
# (and year 9999 leaves no room for the day after it in a report's range).
MIN_YEAR, MAX_YEAR = 1900, 2199
TIME_PATTERN = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


class GovukDateWidget(forms.Widget):
    """Three text boxes named <name>_day, <name>_month and <name>_year inside one fieldset."""

    template_name = "govuk/widgets/date.html"
    use_fieldset = True
    parts = DATE_PARTS

    def value_from_datadict(self, data, files, name):
        return [data.get(f"{name}_{part}", "") for part in self.parts]

    def value_omitted_from_data(self, data, files, name):
        return all(f"{name}_{part}" not in data for part in self.parts)

    def id_for_label(self, id_):
        # The error summary links to the first box.
        return f"{id_}_{self.parts[0]}" if id_ else ""

    def split(self, value) -> dict:
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            return {
                "day": str(value.day),
                "month": str(value.month),
                "year": str(value.year),
                "time": value.strftime("%H:%M"),
            }
        if isinstance(value, dt.date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        if isinstance(value, (list, tuple)):
            return dict(zip(self.parts, value, strict=False))
        return {}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, None, attrs)
        widget_attrs = context["widget"]["attrs"]
        has_error = bool(widget_attrs.pop("data-govuk-error", False))
        id_ = widget_attrs.get("id", f"id_{name}")
        values = self.split(value)
        context["widget"]["has_error"] = has_error
        context["widget"]["items"] = [
            {
                "name": f"{name}_{part}",
                "id": f"{id_}_{part}",
                "label": part.capitalize(),
                "value": values.get(part, "") or "",
                "width": {"year": 4, "time": 5}.get(part, 2),
                "autocomplete": "",
            }
            for part in self.parts
        ]
        return context


class GovukDateTimeWidget(GovukDateWidget):
    """The date boxes and a time box (for example 14:30)."""

    template_name = "govuk/widgets/datetime.html"
    parts = DATETIME_PARTS


class GovukDateField(forms.Field):
    """A date from three boxes. Messages name the date; pass error_messages to say which date."""

    widget = GovukDateWidget
    default_error_messages = {
        "required": "Enter the date",
        "incomplete": "The date must include a {missing}",
        "invalid": "The date must be a real date",
        "year": "The year must include 4 numbers",
        "year_range": "The year must be between {min} and {max}",
    }

    def to_python(self, value):
        if isinstance(value, dt.date):
            return value
        if not value:
            return None
        parts = [str(v).strip() for v in value[:3]]
        if not any(parts):
            return None
        missing = [name for name, text in zip(DATE_PARTS, parts, strict=True) if not text]
        if missing:
            raise ValidationError(
                self.error_messages["incomplete"].format(missing=" and ".join(missing)),
                code="incomplete",
            )
        day, month, year = parts
        if not all(text.isdigit() for text in parts):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise ValidationError(self.error_messages["year"], code="year")
        # A day or month of many digits ("99999999999999999999") is not a real date either: it
        # must not reach dt.date(), which raises OverflowError for it rather than ValueError.
        if len(day) > 2 or len(month) > 2:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            date = dt.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not MIN_YEAR <= date.year <= MAX_YEAR:
            raise ValidationError(
                self.error_messages["year_range"].format(min=MIN_YEAR, max=MAX_YEAR), code="year_range"
            )
        return date

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != initial
        except ValidationError:
            return True


class GovukDateTimeField(GovukDateField):
    """A date from three boxes and a time such as 14:30 or 2:30pm, in the council's time zone."""

    widget = GovukDateTimeWidget
    default_error_messages = {
        "required": "Enter the date and time",
        "time_required": "Enter the time",
        "time_invalid": "Enter a real time, for example 14:30",
    }

    def to_python(self, value):
        if isinstance(value, dt.datetime):
            return value
        if not value or not any(str(v).strip() for v in value):
            return None
        date = super().to_python(list(value[:3]))
        text = str(value[3]).strip() if len(value) > 3 else ""
        if date is None:
            raise ValidationError(self.error_messages["required"], code="required")
        if not text:
            raise ValidationError(self.error_messages["time_required"], code="time_required")
        time = parse_time(text)
        if time is None:
            raise ValidationError(self.error_messages["time_invalid"], code="time_invalid")
        return timezone.make_aware(dt.datetime.combine(date, time))


def parse_time(text: str) -> dt.time | None:
    """14:30, 14.30, 2:30pm or 2pm as a time; None when it is not a real time."""
    match = TIME_PATTERN.match(text.strip())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    try:
        return dt.time(hour, minute)
    except ValueError:
        return None
