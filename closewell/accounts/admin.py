"""Admin for users and teams. A change to someone's access (role, team, switching an account on),
setting someone's password and removing an authenticator app are asked for here by one
administrator and made only when a second approves them (accounts.services); nobody changes their
own role, team or active status."""

import json

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as BaseTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from closewell.core.errors import DomainError
from closewell.security.services import enrolment_code_issue

from . import services
from .models import Role, Team, User, UserChange

ACCESS_FIELDS = ["role", "team", "managed_teams", "is_active"]
WAITING = (
    "{what} for {user} waits for another administrator to approve it "
    "(“Changes waiting for a second administrator”)."
)


# Groups and single permissions are never used: what a person may do follows their role
# (closewell.accounts.permissions).
admin.site.unregister(Group)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        # Not even a superuser: the confirmation page would list the team's episodes by child's name.
        return False


# What each role's form shows beyond the name and role: a social worker's team, a team manager's
# teams, a Family Help lead practitioner's organisation. Nothing else applies to anyone (superuser
# status, groups and single permissions never).
ROLE_FIELDS = {
    Role.SOCIAL_WORKER: ["team"],
    Role.TEAM_MANAGER: ["managed_teams"],
    Role.LEAD_PRACTITIONER: ["organisation"],
}
ROLE_SPECIFIC_FIELDS = ["team", "managed_teams", "organisation"]
NAME_FIELDS = ["username", "first_name", "last_name", "email"]


def applies(field: str, role: str) -> bool:
    return field not in ROLE_SPECIFIC_FIELDS or field in ROLE_FIELDS.get(role, [])


class RoleFieldsForm(forms.ModelForm):
    """Keeps only what applies to the chosen role: a team for a social worker, managed teams for
    a team manager (a value left in a field the page hid is dropped, never saved)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "role" in self.fields:
            # The page shows each role's fields as the role is chosen (closewell-admin.js).
            self.fields["role"].widget.attrs["data-fields-for-role"] = json.dumps(ROLE_FIELDS)
        if "is_active" in self.fields:
            self.fields["is_active"].label = "Account switched on"
            self.fields["is_active"].help_text = (
                "Switch a leaver's account off; people are never deleted (the audit trail keeps who "
                "did what). Switching an account on waits for a second administrator."
            )
        if "managed_teams" in self.fields:
            self.fields["managed_teams"].widget = forms.CheckboxSelectMultiple(
                choices=self.fields["managed_teams"].choices
            )

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role is None:
            return data
        if "team" in self.fields and not applies("team", role):
            data["team"] = None
        if "organisation" in self.fields and not applies("organisation", role):
            data["organisation"] = ""
        if "managed_teams" in self.fields:
            if not applies("managed_teams", role):
                data["managed_teams"] = Team.objects.none()
            elif not data.get("managed_teams"):
                self.add_error("managed_teams", "Choose the teams this team manager manages.")
        return data


class UserChangeForm(RoleFieldsForm, BaseUserAdmin.form):
    class Meta(BaseUserAdmin.form.Meta):
        # What the administrator edits; when someone joined and last signed in are shown read only.
        model = User
        fields = [*NAME_FIELDS, "role", *ROLE_SPECIFIC_FIELDS, "is_active"]


class UserCreationForm(RoleFieldsForm, BaseUserAdmin.add_form):
    pass


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """A person's name, role and what their role needs (a team, managed teams), and whether their
    account is on. Admin access follows the role (is_staff is set from it); nobody grants superuser
    status, groups or single permissions here; nobody changes their own role, team or active status."""

    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    add_fieldsets = [
        (None, {"fields": [*NAME_FIELDS, "usable_password", "password1", "password2"]}),
        ("Role and team", {"fields": ["role", *ROLE_SPECIFIC_FIELDS]}),
    ]
    actions = ["issue_enrolment_code"]

    class Media:
        js = ["closewell-admin.js"]

    def has_delete_permission(self, request, obj=None):
        # People are switched off, never deleted (the audit trail keeps who did what); and the
        # confirmation page would list what hangs on them, children's records included.
        return False

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        own = obj.pk == request.user.pk
        # Another person's form has every team field, shown as the role is chosen; one's own
        # (read only) shows those of one's role alone.
        team_fields = [f for f in ROLE_SPECIFIC_FIELDS if not own or applies(f, obj.role)]
        return [
            (None, {"fields": [*NAME_FIELDS, "password"]}),
            ("Role and team", {"fields": ["role", *team_fields]}),
            ("Account", {"fields": ["is_active", "last_login", "date_joined"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        """Nobody changes their own role, team or active status."""
        fields = ["last_login", "date_joined"]
        if obj is not None and obj.pk == request.user.pk:
            fields += ACCESS_FIELDS
        return fields

    def save_model(self, request, obj, form, change):
        """Names and email are saved; the access asked for is kept aside for save_related, and
        the account keeps its present access (a new account starts switched off)."""
        request._asked_access = {
            "role": obj.role,
            "team": obj.team,
            "managed_teams": list(form.cleaned_data.get("managed_teams", [])),
            "is_active": obj.is_active,
        }
        if change:
            saved = User.objects.get(pk=obj.pk)
            obj.role, obj.team, obj.is_active = saved.role, saved.team, saved.is_active
            request._asked_access["managed_teams_before"] = list(saved.managed_teams.all())
        else:
            obj.is_active = False
            request._asked_access["is_active"] = True
            request._asked_access["managed_teams_before"] = []
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        asked = getattr(request, "_asked_access", None)
        if asked is not None and "managed_teams" in form.cleaned_data:
            form.cleaned_data["managed_teams"] = asked["managed_teams_before"]
        super().save_related(request, form, formsets, change)
        user = form.instance
        if asked is None or user.pk == request.user.pk:
            return
        try:
            waiting = services.user_access_request(
                actor=request.user,
                user=user,
                role=asked["role"],
                team=asked["team"],
                managed_teams=asked["managed_teams"],
                is_active=asked["is_active"],
                new=not change,
            )
        except DomainError as refusal:
            messages.error(request, refusal.message)
            return
        if waiting is not None:
            what = "The new account" if not change else f"The change ({waiting.description})"
            messages.warning(request, WAITING.format(what=what, user=user.username))

    @admin.action(description="Issue a two-factor enrolment code (shown once)", permissions=["change"])
    def issue_enrolment_code(self, request, queryset):
        """A one-time code each selected person needs to set up an authenticator app, shown on the
        page that answers (never stored but as a hash, never sent in a message or email)."""
        issued, refused = [], []
        for user in queryset.order_by("username"):
            try:
                issued.append((user, enrolment_code_issue(actor=request.user, user=user)))
            except DomainError as refusal:
                refused.append((user, refusal.message))
        context = {
            **self.admin_site.each_context(request),
            "title": "Two-factor enrolment codes",
            "opts": self.opts,
            "issued": issued,
            "refused": refused,
            "hours": settings.ENROLMENT_CODE_HOURS,
        }
        response = TemplateResponse(request, "admin/accounts/user/enrolment_codes.html", context)
        response["Cache-Control"] = "no-store"
        return response

    def user_change_password(self, request, id, form_url=""):
        """Someone else's password is asked for, not set: a second administrator approves it."""
        user = self.get_object(request, unquote(id))
        if request.method != "POST" or user is None or user.pk == request.user.pk:
            return super().user_change_password(request, id, form_url)
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        form = self.change_password_form(user, request.POST)
        if not form.is_valid():
            return super().user_change_password(request, id, form_url)
        usable = form.cleaned_data.get("set_usable_password", True)
        services.user_password_request(
            actor=request.user, user=user, password=form.cleaned_data["password1"] if usable else None
        )
        messages.warning(request, WAITING.format(what="The new password", user=user.username))
        return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[user.pk]))


@admin.register(UserChange)
class UserChangeAdmin(admin.ModelAdmin):
    """What one administrator asked for, for another to approve or decline (actions on the list)."""

    list_display = ["created_at", "user", "description", "requested_by", "status", "decided_by", "decided_at"]
    list_filter = ["status", "kind"]
    fields = [
        "user",
        "kind",
        "description",
        "requested_by",
        "created_at",
        "status",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = fields
    actions = ["approve", "decline"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, service, done: str):
        for change in queryset:
            try:
                service(actor=request.user, change=change)
            except DomainError as refusal:
                messages.error(request, f"{change}: {refusal.message}")
            else:
                messages.success(request, f"{done}: {change}")

    @admin.action(description="Approve the selected changes (you did not ask for them)")
    def approve(self, request, queryset):
        self._decide(request, queryset, services.user_change_approve, "Approved and made")

    @admin.action(description="Decline the selected changes")
    def decline(self, request, queryset):
        self._decide(request, queryset, services.user_change_decline, "Declined")


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(BaseTOTPDeviceAdmin):
    """Removing someone's authenticator app (a lost phone) is asked for; a second administrator
    approves it, and its owner then sets up a new one with an enrolment code."""

    actions = ["ask_removal"]
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]

    def get_fieldsets(self, request, obj=None):
        """Whose app, what they called it, whether it is set up, when it was last used: not the
        library's settings (step, drift, throttling), which mean nothing to an administrator."""
        return [(None, {"fields": ["user", "name", "confirmed", "created_at", "last_used_at"]})]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        device = self.get_object(request, unquote(object_id))
        if device is None:
            raise Http404
        if request.method != "POST":
            return super().delete_view(request, object_id, extra_context)
        if not self.has_delete_permission(request, device):
            raise PermissionDenied
        services.user_authenticator_removal_request(actor=request.user, device=device)
        messages.warning(
            request, WAITING.format(what="Removing the authenticator app", user=device.user.username)
        )
        return HttpResponseRedirect(reverse("admin:otp_totp_totpdevice_changelist"))

    def delete_model(self, request, obj):
        raise PermissionDenied

    def delete_queryset(self, request, queryset):
        raise PermissionDenied

    @admin.action(description="Ask to remove the selected authenticator apps", permissions=["delete"])
    def ask_removal(self, request, queryset):
        for device in queryset.select_related("user"):
            services.user_authenticator_removal_request(actor=request.user, device=device)
        messages.warning(request, WAITING.format(what="Removing the authenticator apps", user="their owners"))


# --- Sign-ins (django-axes): its own admin pages are off (AXES_ENABLE_ADMIN); these name things plainly.


class AddressColumn:
    """django-axes' rows name the client's address ip_address: shown as "Network address"."""

    @admin.display(description="Network address", ordering="ip_address")
    def address(self, obj):
        return obj.ip_address


@admin.register(AccessAttempt)
class SignInLockoutAdmin(AddressColumn, AccessAttemptAdmin):
    """Failed sign-ins counted by username and address: at the limit the account is locked out for
    a while. Deleting the row unlocks it."""

    list_display = ["username", "when", "failures", "status", "address"]
    list_filter = ["attempt_time"]
    date_hierarchy = None
    show_facets = admin.ShowFacets.NEVER

    @admin.display(description="Last failed sign-in", ordering="attempt_time")
    def when(self, obj):
        return obj.attempt_time

    @admin.display(description="Failed sign-ins", ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start


@admin.register(AccessLog)
class SignInLogAdmin(AddressColumn, AccessLogAdmin):
    list_display = ["username", "signed_in", "signed_out", "address"]
    list_filter = ["attempt_time"]
    date_hierarchy = None
    show_facets = admin.ShowFacets.NEVER

    @admin.display(description="Signed in", ordering="attempt_time")
    def signed_in(self, obj):
        return obj.attempt_time

    @admin.display(description="Signed out", ordering="logout_time")
    def signed_out(self, obj):
        return obj.logout_time


@admin.register(AccessFailureLog)
class FailedSignInAdmin(AccessFailureLogAdmin):
    date_hierarchy = None
