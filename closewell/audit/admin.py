"""The audit trail in the admin, for the administrator: who did what kind of thing, when, to which
object. Never what: the summary, the before and after, and the child an event is about are children's
data, shown only to those who may read the child (a manager sees them on a record's history)."""

from django.contrib import admin

from .models import AuditEvent

# The only columns, and the only filters, the administrator gets. Django's admin would otherwise
# accept any lookup on a local field in the address (?summary__icontains=…), which would let the
# administrator test a child's name against hidden summaries by counting the rows that come back.
SHOWN = ["at", "actor", "action", "object_type", "object_id"]
FILTERS = ["action", "object_type"]
ALLOWED_LOOKUPS = {
    *(f"{name}{exact}" for name in ("action", "object_type", "object_id") for exact in ("", "__exact")),
    "actor",
    "actor__exact",
    "actor__id__exact",
    "actor__pk__exact",
}


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = SHOWN
    list_filter = FILTERS
    fields = SHOWN
    readonly_fields = SHOWN
    date_hierarchy = "at"
    show_full_result_count = False

    def lookup_allowed(self, lookup, value, request=None):
        """Filters on the shown columns only (the date's transforms included), never through the
        actor to their team's children."""
        return lookup in ALLOWED_LOOKUPS or lookup.startswith("at__")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
