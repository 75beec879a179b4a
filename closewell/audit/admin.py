"""The audit trail in the admin, for the administrator: who did what kind of thing, when, to which
object, newest first; searched and filtered by person, action, kind of record and date; exported
(CSV) for an investigation, the export itself on the trail. Never what: the summary, the before and
after, and the child an event is about are children's data, shown only to those who may read the
child (a manager sees them on a record's History page). So there is no filter by child here: no
role that reaches the admin may see one."""

import csv
import datetime

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.urls import path
from django.utils import timezone

from closewell.accounts.models import User
from closewell.core.text import spreadsheet_safe

from .models import AuditEvent
from .services import audit_trail_exported

# Django's admin would otherwise accept any lookup on a local field in the address
# (?summary__icontains=…), which would let the administrator test a child's name against hidden
# summaries by counting the rows that come back. These are the only ones it takes.
ALLOWED_LOOKUPS = {
    *(f"{name}{exact}" for name in ("action", "object_type", "object_id") for exact in ("", "__exact")),
    "actor",
    "actor__exact",
    "actor__id__exact",
    "actor__pk__exact",
    # The filters' own (PersonFilter, KindFilter, DateFilter).
    "person",
    "kind",
    "from",
    "to",
}
# Kinds of thing on the trail that are not a table.
KINDS = {
    "audit.AuditTrail": "Audit trail export",
    "census.CensusReturn": "CIN census return",
}
EXPORT_HEADERS = ["When", "Username", "Person", "Role", "Action", "Kind of record", "Record number"]


def kind_of(object_type: str) -> str:
    """'closures.ClosureRecord' as an administrator reads it: 'Closure record'."""
    if object_type in KINDS:
        return KINDS[object_type]
    try:
        name = str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
    return name[:1].upper() + name[1:]


class FormFilter(admin.ListFilter):
    """A filter the administrator fills in (a list of people, two dates) rather than a list of
    links: a GET form that keeps the other filters and the search."""

    template = "admin/closewell/form_filter.html"
    parameters: list[str] = []

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.values = {}
        for name in self.parameters:
            if name in params:
                value = params.pop(name)
                self.values[name] = value[-1] if isinstance(value, list) else value
                self.used_parameters[name] = self.values[name]

    def has_output(self):
        return True

    def expected_parameters(self):
        return list(self.parameters)

    def inputs(self) -> list[dict]:
        raise NotImplementedError

    def choices(self, changelist):
        keep = [
            (name, value)
            for name, values in changelist.filter_params.items()
            if name not in self.parameters
            for value in values
        ]
        yield {
            "inputs": self.inputs(),
            "keep": keep,
            "clear": changelist.get_query_string(remove=self.parameters) if self.values else "",
            "slug": self.parameters[0],
        }


class PersonFilter(FormFilter):
    title = "person"
    parameters = ["person"]

    def inputs(self):
        chosen = self.values.get("person", "")
        people = User.objects.order_by("last_name", "first_name", "username")
        options = [("", "Anyone"), ("system", "System (no person)")] + [
            (str(person.pk), f"{person} ({person.username})") for person in people
        ]
        return [
            {
                "name": "person",
                "label": "Person",
                "type": "select",
                "options": [(value, label, value == chosen) for value, label in options],
            }
        ]

    def queryset(self, request, queryset):
        chosen = self.values.get("person")
        if not chosen:
            return queryset
        if chosen == "system":
            return queryset.filter(actor__isnull=True)
        if not chosen.isdigit():
            raise IncorrectLookupParameters("Choose a person from the list.")
        return queryset.filter(actor_id=int(chosen))


class DateFilter(FormFilter):
    title = "date"
    parameters = ["from", "to"]

    def _date(self, name: str) -> datetime.date | None:
        value = self.values.get(name)
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:
            raise IncorrectLookupParameters(f"Enter a real date for '{name}'.") from error

    def inputs(self):
        return [
            {"name": name, "label": label, "type": "date", "value": self.values.get(name, "")}
            for name, label in (("from", "From (this day included)"), ("to", "To (this day included)"))
        ]

    def queryset(self, request, queryset):
        # Local days, as datetimes: the index on `at` serves the range.
        start, end = self._date("from"), self._date("to")
        if start is not None:
            queryset = queryset.filter(at__gte=_midnight(start))
        if end is not None:
            queryset = queryset.filter(at__lt=_midnight(end + datetime.timedelta(days=1)))
        return queryset


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class KindFilter(admin.SimpleListFilter):
    title = "kind of record"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct()
        return sorted(((kind, kind_of(kind)) for kind in kinds), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(object_type=self.value())
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["when", "person", "action", "kind", "record"]
    list_filter = [PersonFilter, "action", KindFilter, DateFilter]
    search_fields = ["actor__username", "actor__first_name", "actor__last_name", "=object_id"]
    search_help_text = "A person's name or username, or a record's number."
    fields = ["when", "person", "action", "kind", "record"]
    readonly_fields = fields
    ordering = ["-at", "-pk"]
    list_select_related = ["actor"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    change_list_template = "admin/audit/auditevent/change_list.html"

    @admin.display(description="When", ordering="at")
    def when(self, event):
        return event.at

    @admin.display(description="Record number", ordering="object_id")
    def record(self, event):
        return event.object_id

    @admin.display(description="Person", ordering="actor__last_name")
    def person(self, event):
        return event.actor or "System"

    @admin.display(description="Kind of record", ordering="object_type")
    def kind(self, event):
        return kind_of(event.object_type)

    def lookup_allowed(self, lookup, value, request=None):
        """Filters on the shown columns only, never through the actor to their team's children."""
        return lookup in ALLOWED_LOOKUPS

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="audit_auditevent_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The trail as the list shows it (its filters and search), as CSV, newest first: who, when,
        what kind of thing, to which record. The export goes on the trail."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest("Those filters are not ones the audit trail offers.")
        events = changelist.get_queryset(request).select_related("actor")
        count = events.count()
        newest = events.order_by("-pk").values_list("pk", flat=True).first()
        filters = {name: value for name, value in changelist.params.items() if name != "o"}
        audit_trail_exported(actor=request.user, events=count, up_to=newest, filters=filters)
        # The events there were when it was asked for (not the export's own, nor any since).
        events = events.filter(pk__lte=newest or 0)
        response = StreamingHttpResponse(_csv_rows(events), content_type="text/csv; charset=utf-8")
        name = f"closewell-audit-trail-{timezone.localtime():%Y%m%d-%H%M}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response


class _Line:
    def write(self, value):
        return value


def _csv_rows(events):
    writer = csv.writer(_Line())
    yield writer.writerow(EXPORT_HEADERS)
    for event in events.iterator(chunk_size=2000):
        person = event.actor
        row = [
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            person.username if person else "",
            person.get_full_name() if person else "System",
            person.get_role_display() if person else "",
            event.get_action_display(),
            kind_of(event.object_type),
            event.object_id,
        ]
        yield writer.writerow([spreadsheet_safe(cell) for cell in row])
