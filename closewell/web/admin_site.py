"""The admin as a council's administrator reads it: its header and the order of its sections.

Django's admin names things after the code ("AXES", "OTP_TOTP", "access attempts"): the apps'
names are set in their AppConfigs (ours in each apps.py, the third-party ones in closewell/web/apps.py).
"""

from django.conf import settings
from django.contrib import admin

# The sections of the admin's index, in the order an administrator needs them (by app label).
SECTIONS = ["accounts", "security", "axes", "otp_totp", "outbox", "audit", "advice"]


class CouncilAdminSite(admin.AdminSite):
    site_header = f"{settings.SERVICE_NAME} administration: {settings.COUNCIL_NAME}"
    site_title = f"{settings.SERVICE_NAME} administration"
    index_title = "People, teams, sign-ins, the audit trail and advice words"
    # Django's "View site" link points at "/", which sends the administrator back to the admin.
    site_url = None

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        order = {label: place for place, label in enumerate(SECTIONS)}
        return sorted(apps, key=lambda app: (order.get(app["app_label"], len(order)), app["name"]))
