"""The client address behind zero or more trusted reverse proxies."""

import pytest
from django.test import RequestFactory, override_settings

from qingshen.core.network import client_ip


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_proxies_the_forwarded_header_is_ignored():
    assert client_ip(request_from("10.0.0.9", "1.2.3.4")) == "10.0.0.9"


@override_settings(QINGSHEN_TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_address_it_saw_is_used():
    assert client_ip(request_from("10.0.0.1", "203.0.113.7")) == "203.0.113.7"
    # A client's own forged entries stand to the left and are ignored.
    assert client_ip(request_from("10.0.0.1", "6.6.6.6, 203.0.113.7")) == "203.0.113.7"


@override_settings(QINGSHEN_TRUSTED_PROXIES=2)
def test_behind_two_proxies():
    assert client_ip(request_from("10.0.0.1", "6.6.6.6, 203.0.113.7, 10.0.0.2")) == "203.0.113.7"


@pytest.mark.parametrize("header", ["", "not-an-address"])
@override_settings(QINGSHEN_TRUSTED_PROXIES=1)
def test_a_missing_or_malformed_header_falls_back_to_the_peer(header):
    assert client_ip(request_from("10.0.0.1", header)) == "10.0.0.1"


@pytest.mark.django_db
@override_settings(QINGSHEN_TRUSTED_PROXIES=1)
def test_events_and_lockouts_use_the_client_address(world, client):
    from qingshen.audit_trail.models import Event

    for attempt in range(5):
        client.post("/accounts/login/", {"username": "130681", "password": f"wrong-{attempt}"},
                    REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert Event.objects.filter(action="auth.login_failed").first().ip_address == "203.0.113.7"
    # Another user behind the same proxy is not locked out by someone else's failures.
    response = client.post("/accounts/login/", {"username": "130600", "password": "Test-Passw0rd!"},
                           REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert response.status_code == 302
