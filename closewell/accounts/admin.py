"""Admin for users and teams: administrators set roles and team membership here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Team, User


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Closewell", {"fields": ["role", "team", "managed_teams"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
        ("Closewell", {"fields": ["role", "team", "managed_teams"]}),
    ]
    filter_horizontal = ["managed_teams", "groups", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        """Admin access follows the role (is_staff is set from it). Only a superuser grants
        superuser status, groups or single permissions: an administrator cannot raise their own."""
        fields = ["is_staff", "last_login", "date_joined"]
        if not request.user.is_superuser:
            fields += ["is_superuser", "groups", "user_permissions"]
        return fields
