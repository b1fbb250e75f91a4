"""Sessions end after 30 minutes without a request; every request renews them."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import F
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from conftest import PASSWORD
from qingshen.accounts.tests.helpers import post_login
from qingshen.core.roles import Role


def test_idle_limit_settings():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def sign_in(client):
    assertRedirects(post_login(client, "130681", PASSWORD), "/", fetch_redirect_response=False)
    return Session.objects.get(pk=client.session.session_key)


def idle_for(session, minutes):
    """As if the last request had been `minutes` ago: move the stored expiry back."""
    Session.objects.filter(pk=session.pk).update(expire_date=F("expire_date") - timedelta(minutes=minutes))


def test_a_session_expires_thirty_minutes_after_the_last_request(world, client):
    session = sign_in(client)
    assert abs(session.expire_date - (timezone.now() + timedelta(minutes=30))) < timedelta(seconds=30)

    idle_for(session, 31)
    response = client.get("/enterprises/")

    assertRedirects(response, "/accounts/login/?next=/enterprises/", fetch_redirect_response=False)
    assert client.get("/api/users/me/").status_code == 401  # no session: the API asks for credentials


def test_every_request_renews_the_session(world, client):
    session = sign_in(client)

    idle_for(session, 29)
    assert client.get("/enterprises/").status_code == 200

    renewed = Session.objects.get(pk=session.pk).expire_date
    assert renewed - timezone.now() > timedelta(minutes=29)
    # Twenty-nine more idle minutes are still within the limit, because the clock restarted.
    idle_for(session, 29)
    assert client.get("/").status_code == 200
    assert client.get("/api/users/me/").json()["username"] == world.user(Role.COUNTY).username
