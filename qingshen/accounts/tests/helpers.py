"""Helpers for the account tests: signing in through the real login form (so django-axes,
the audit trail and the password rules all run), from a chosen address."""

import re

from django.contrib.sessions.models import Session

from qingshen.audit_trail.models import Event


def post_login(client, username, password, ip="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def shown_password(response) -> str:
    """The one-time password as the initial-password page shows it."""
    match = re.search(r'id="one-time-password">([^<]+)<', response.content.decode())
    assert match, "the page does not show a one-time password"
    return match.group(1)


def events(action):
    return list(Event.objects.filter(action=action).order_by("seq"))


def assert_secret_nowhere(secret):
    """The clear password is in no audit event and no stored session."""
    for event in Event.objects.all():
        for part in (event.before, event.after, event.summary, event.object_repr):
            assert secret not in str(part)
    for session in Session.objects.all():
        assert secret not in str(session.get_decoded())
