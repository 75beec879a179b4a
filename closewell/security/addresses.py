"""Whose address a request comes from, for sign-in throttling (django-axes' AXES_CLIENT_IP_CALLABLE)."""

from django.conf import settings


def client_address(request) -> str | None:
    """The address of whoever sent the request.

    Behind TRUSTED_PROXY_COUNT reverse proxies, each appending the address it was reached from to
    X-Forwarded-For, that is the count-th address from the right: anything further left was written
    by the client and proves nothing. With no proxy (the default) X-Forwarded-For is ignored, so no
    one escapes throttling, or locks someone else out, by writing the header themselves."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")
