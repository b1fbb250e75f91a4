"""Events carry the request id (echoed to the client as X-Request-ID) and the address."""

import re

from django.test import Client

from conftest import PASSWORD
from qingshen.audit_trail.models import Event
from qingshen.audit_trail.services import record
from qingshen.core.roles import Role


def edit_consultancy(client, world, **extra):
    org = world.consultancy_org
    return client.post(f"/organizations/{org.pk}/edit/", {
        "name": org.name, "region": org.region_id, "uscc": "", "contact_person": "张工",
        "contact_phone": "0312-1234567", "is_active": "on",
    }, **extra)


def test_a_change_through_a_page_carries_the_request_id_and_address(world, client):
    client.force_login(world.user(Role.PROVINCE))

    response = edit_consultancy(client, world, REMOTE_ADDR="192.0.2.10")

    assert response.status_code == 302
    event = Event.objects.get(action="organization.update")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert event.request_id == response["X-Request-ID"]
    assert event.ip_address == "192.0.2.10"
    assert event.actor == world.user(Role.PROVINCE)


def test_a_callers_request_id_is_kept(world, client):
    client.force_login(world.user(Role.PROVINCE))

    response = edit_consultancy(client, world, HTTP_X_REQUEST_ID="trace-2021-392-0001")

    assert response["X-Request-ID"] == "trace-2021-392-0001"
    assert Event.objects.get(action="organization.update").request_id == "trace-2021-392-0001"


def test_a_malformed_request_id_is_replaced(world, client):
    client.force_login(world.user(Role.PROVINCE))

    response = edit_consultancy(client, world, HTTP_X_REQUEST_ID="x'; DROP TABLE--")

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert Event.objects.get(action="organization.update").request_id == response["X-Request-ID"]


def test_every_request_gets_its_own_id(world):
    client = Client()
    first = client.post("/accounts/login/", {"username": "130681", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    second = client.post("/accounts/logout/", REMOTE_ADDR="198.51.100.7")

    login = Event.objects.get(action="auth.login")
    logout = Event.objects.get(action="auth.logout")
    assert login.request_id == first["X-Request-ID"]
    assert logout.request_id == second["X-Request-ID"]
    assert login.request_id != logout.request_id
    assert login.ip_address == logout.ip_address == "198.51.100.7"


def test_events_outside_a_request_have_no_request_id(db):
    event = record("test.command")
    assert event.request_id == "" and event.ip_address == ""
