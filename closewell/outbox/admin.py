"""Emails that could not be sent, for the administrator: to whom, what about, the mail server's
error, and an action to send them again. The body is not shown: it may name a child, and the
administrator never reads children's records."""

from django.contrib import admin, messages

from .models import FailedEmail
from .services import email_retry


@admin.register(FailedEmail)
class FailedEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipients", "created_at", "attempts", "last_attempt_at", "last_error"]
    fields = ["subject", "recipients", "created_at", "attempts", "last_attempt_at", "last_error"]
    readonly_fields = fields
    search_fields = ["subject", "last_error"]
    date_hierarchy = "created_at"
    actions = ["send_again"]

    @admin.display(description="To")
    def recipients(self, email):
        return ", ".join(email.to)

    @admin.action(description="Send the chosen emails again", permissions=["change"])
    def send_again(self, request, queryset):
        for email in queryset:
            email_retry(actor=request.user, email=email)
        self.message_user(
            request,
            f"{queryset.count()} email(s) will be sent again; any that fails again comes back to this list.",
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
