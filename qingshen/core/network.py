"""The client's address, also behind a reverse proxy.

With QINGSHEN_TRUSTED_PROXIES=N (the number of proxies in front of the application, e.g. 1
for nginx), the address is the one the outermost trusted proxy saw, taken from the right of
X-Forwarded-For; addresses further left are the client's own claims and are ignored. With 0
(the default, no proxy), REMOTE_ADDR. Login throttling (django-axes) and the audit trail
both use this, so one proxy address never stands for every user.
"""

from ipaddress import ip_address

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    trusted = getattr(settings, "QINGSHEN_TRUSTED_PROXIES", 0)
    if trusted <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < trusted:
        return remote
    candidate = forwarded[-trusted]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote
