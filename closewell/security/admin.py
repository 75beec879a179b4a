"""Admin for single sign-on's sign-in groups: which group at the council's identity provider gives
which role and team. Saving asks for a mapping (a new one, or a new version of one in force); a
second administrator approves it (security.services); removing one is made at once."""

from django import forms
from django.contrib import admin, messages
from django.db import models

from closewell.core.errors import DomainError

from . import services
from .models import GroupMapping, MappingStatus

EDITABLE = (MappingStatus.PENDING, MappingStatus.APPROVED)


@admin.register(GroupMapping)
class GroupMappingAdmin(admin.ModelAdmin):
    list_display = ["group", "label", "role", "team", "status", "requested_by", "decided_by", "decided_at"]
    list_filter = ["status", "role"]
    search_fields = ["group", "label"]
    fields = [
        "group",
        "label",
        "role",
        "team",
        "managed_teams",
        "status",
        "requested_by",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = ["status", "requested_by", "decided_by", "decided_at"]
    # Tick boxes, not Django's two-list widget (its help icons fail axe's aria-prohibited-attr).
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    actions = ["approve", "decline", "remove"]

    def has_delete_permission(self, request, obj=None):
        # A mapping is removed (kept, with who asked and approved), never deleted.
        return False

    def has_change_permission(self, request, obj=None):
        """Only a mapping in force or waiting can be changed (saving asks for a new version)."""
        return super().has_change_permission(request, obj) and (obj is None or obj.status in EDITABLE)

    def save_model(self, request, obj, form, change):
        """Never saved as typed: asked for, as a new version that waits for a second administrator."""
        data = form.cleaned_data
        mapping = services.group_mapping_request(
            actor=request.user,
            group=data["group"],
            label=data.get("label", ""),
            role=data["role"],
            team=data.get("team"),
            managed_teams=data.get("managed_teams", []),
        )
        obj.pk = mapping.pk
        messages.warning(
            request,
            f"The sign-in group {mapping.group} waits for another administrator to approve it "
            "(action “Approve”). Until then, what was in force stays in force.",
        )

    def save_related(self, request, form, formsets, change):
        """The managed teams were given to the new version by the service."""

    def _decide(self, request, queryset, service, done: str):
        for mapping in queryset:
            try:
                service(actor=request.user, mapping=mapping)
            except DomainError as refusal:
                messages.error(request, f"{mapping}: {refusal.message}")
            else:
                messages.success(request, f"{done}: {mapping}")

    @admin.action(description="Approve the selected sign-in groups (you did not ask for them)")
    def approve(self, request, queryset):
        self._decide(request, queryset, services.group_mapping_approve, "Approved and in force")

    @admin.action(description="Decline the selected sign-in groups")
    def decline(self, request, queryset):
        self._decide(request, queryset, services.group_mapping_decline, "Declined")

    @admin.action(description="Remove the selected sign-in groups (their members lose this access)")
    def remove(self, request, queryset):
        self._decide(request, queryset, services.group_mapping_remove, "Removed")
