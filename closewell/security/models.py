"""EnrolmentCode: the one-time code an administrator gives someone to set up an authenticator app."""

from django.conf import settings
from django.db import models


class EnrolmentCode(models.Model):
    """A one-time code that lets its user set up an authenticator app: a password alone never does,
    so a stolen password cannot enrol the thief's phone (nor re-enrol one after a lost phone was
    removed). Kept only as a hash; shown once, to the administrator who issued it; expires
    (ENROLMENT_CODE_HOURS); spent when the app is confirmed. Issuing one replaces any unspent one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_codes"
    )
    code_hash = models.CharField(max_length=200)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"Enrolment code for {self.user} issued {self.issued_at:%d %B %Y %H:%M}"
