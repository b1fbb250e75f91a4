"""The jurisdiction harness: every URL and every API endpoint, for every role.

For each page the table below states who may use it and, for pages about one object, which
object lies inside and which outside each role's jurisdiction. The tests then check:

- anonymous users are sent to the login page (pages) or get 401 (API);
- a signed-in role without the permission gets 403;
- an allowed role gets the page for an object inside its jurisdiction, and 404 for one outside;
- API lists contain the inside object and never the outside one.

`test_every_url_is_covered` fails when a URL is added without a row here, so a new page
cannot skip these checks.
"""

import importlib

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from qingshen.core.roles import Role
from tests.jurisdiction_support import (  # noqa: F401  (names used by the tables below)
    ALL, OFFICIALS, ORGANISATION_MEMBERS, REGISTRY_VIEWERS, STAFF_MANAGERS, Case, _event_for, account, batch,
    enterprise, history_kwargs, job, organization,
)

PAGES = {
    "core:home": Case(),
    "core:help": Case(),
    "accounts:login": Case(public=True),
    "accounts:logout": Case(method="post", public=True),
    "accounts:password_change": Case(),
    "accounts:profile": Case(),
    "accounts:api_token": Case(method="post", ok=(200,)),
    "accounts:list": Case(STAFF_MANAGERS),
    "accounts:detail": Case(STAFF_MANAGERS, pick=account),
    "accounts:reset_password": Case(STAFF_MANAGERS, method="post", pick=account, check_success=False),
    "accounts:set_active": Case(STAFF_MANAGERS, method="post", pick=account, check_success=False),
    "accounts:create_main": Case(STAFF_MANAGERS, method="post", pick=organization,
                                 kwargs=lambda o: {"org_pk": o.pk}, check_success=False),
    "accounts:create_staff": Case(STAFF_MANAGERS, pick=organization, kwargs=lambda o: {"org_pk": o.pk}),
    "accounts:one_time_password": Case(),
    "accounts:lockouts": Case(frozenset({Role.SYSADMIN})),
    "regions:list": Case(),
    "industries:list": Case(),
    "organizations:list": Case(OFFICIALS | {Role.SYSADMIN}),
    "organizations:add": Case(frozenset({Role.PROVINCE, Role.SYSADMIN})),
    "organizations:detail": Case(OFFICIALS | {Role.SYSADMIN}, pick=organization),
    "organizations:edit": Case(frozenset({Role.PROVINCE, Role.SYSADMIN}), pick=lambda inside: (
        lambda w, r: w.consultancy_org if inside else None)),
    "enterprises:list": Case(REGISTRY_VIEWERS),
    "enterprises:add": Case(OFFICIALS),
    "enterprises:export": Case(OFFICIALS | {Role.SYSADMIN}, method="post"),
    "enterprises:import": Case(OFFICIALS),
    "enterprises:import_template": Case(OFFICIALS),
    "enterprises:import_preview": Case(OFFICIALS, pick=batch),
    "enterprises:detail": Case(REGISTRY_VIEWERS, pick=enterprise),
    "enterprises:edit": Case(OFFICIALS, pick=enterprise),
    "enterprises:create_account": Case(OFFICIALS | {Role.SYSADMIN}, method="post", pick=enterprise,
                                       check_success=False),
    "audit_trail:list": Case(OFFICIALS | {Role.SYSADMIN}),
    "audit_trail:history": Case(OFFICIALS | {Role.SYSADMIN}, pick=enterprise, kwargs=history_kwargs),
    "jobs:list": Case(),
    "jobs:detail": Case(pick=job),
    "jobs:download": Case(pick=job),
}

API = {
    "api-root": Case(),
    "api-schema": Case(),
    "api-docs": Case(),
    "region-list": Case(),
    "region-detail": Case(pick=lambda inside: (lambda w, r: w.e_zhuozhou.region if inside else None),
                          kwargs=lambda o: {"pk": o.pk}),
    "industry-list": Case(),
    "industry-detail": Case(pick=lambda inside: (lambda w, r: w.e_zhuozhou.industry if inside else None)),
    "organization-list": Case(OFFICIALS | {Role.SYSADMIN}, pick=organization),
    "organization-detail": Case(OFFICIALS | {Role.SYSADMIN}, pick=organization),
    "user-list": Case(STAFF_MANAGERS, pick=account),
    "user-detail": Case(STAFF_MANAGERS, pick=account),
    "user-me": Case(),
    "enterprise-list": Case(REGISTRY_VIEWERS, pick=enterprise),
    "enterprise-detail": Case(REGISTRY_VIEWERS, pick=enterprise),
    "event-list": Case(OFFICIALS | {Role.SYSADMIN}),
    "event-detail": Case(OFFICIALS | {Role.SYSADMIN},
                         pick=lambda inside: (lambda w, r: _event_for(enterprise(inside)(w, r))),
                         kwargs=lambda e: {"seq": e.seq}),
}




def _collect_app_tables():
    """Each app's own rows, from qingshen/<app>/tests/jurisdiction.py."""
    for config in apps.get_app_configs():
        if not config.name.startswith("qingshen."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.jurisdiction")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.jurisdiction":
                raise
            continue
        for table, rows in ((PAGES, getattr(module, "PAGES", {})), (API, getattr(module, "API", {}))):
            clash = set(table) & set(rows)
            assert not clash, f"{config.name}: 重复的 URL 行 {clash}"
            table.update(rows)


_collect_app_tables()


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """One CampaignWorld (everything up to an accepted audit project) for the whole module,
    built once inside a transaction that is rolled back at the end; each test runs in a
    savepoint within it, like Django's setUpTestData."""
    from conftest import CampaignWorld, kept_for_module

    with kept_for_module(django_db_blocker):
        yield CampaignWorld("accepted")


@pytest.fixture
def world(shared_world, db):
    return shared_world


# --- helpers ---------------------------------------------------------------------------------


def url_names():
    """Every named URL of the project, with its namespace."""
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def request(client, case, name, obj=None):
    kwargs = case.kwargs(obj) if case.pick else {}
    return getattr(client, case.method)(reverse(name, kwargs=kwargs))


def page_ids():
    return list(PAGES)


ROLE_IDS = [role.value for role in Role]


# --- the tests -------------------------------------------------------------------------------


def test_every_url_is_covered():
    missing = url_names() - set(PAGES) - set(API)
    assert not missing, f"这些 URL 没有写入辖区测试表（tests/test_jurisdiction.py）：{sorted(missing)}"
    stale = (set(PAGES) | set(API)) - url_names()
    assert not stale, f"测试表中的 URL 已不存在：{sorted(stale)}"


@pytest.mark.parametrize("name", page_ids())
def test_anonymous_is_sent_to_login(world, client, name):
    case = PAGES[name]
    obj = case.pick(True)(world, Role.PROVINCE) if case.pick else None
    response = request(client, case, name, obj)
    if case.public:
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"] or response["Location"] == "/accounts/login/"
    else:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", list(Role), ids=ROLE_IDS)
@pytest.mark.parametrize("name", page_ids())
def test_page_for_role(world, client, name, role):
    case = PAGES[name]
    client.force_login(world.user(role))
    inside = case.pick(True)(world, role) if case.pick else None
    outside = case.pick(False)(world, role) if case.pick else None
    if case.pick and inside is None and outside is None and role in case.allowed:
        pytest.fail(f"{name}: 表中没有为 {role} 指定辖区内外的对象")
    probe = inside or outside or (case.pick(True)(world, Role.PROVINCE) if case.pick else None)
    if role not in case.allowed:
        response = request(client, case, name, probe)
        assert response.status_code == 403, f"{name} as {role}: {response.status_code}"
        return
    if outside is not None:
        response = request(client, case, name, outside)
        assert response.status_code == 404, f"{name} as {role} outside: {response.status_code}"
    if case.check_success and (inside is not None or not case.pick):
        response = request(client, case, name, inside)
        expected = case.ok or ((302,) if case.method == "post" or name == "accounts:login" else (200,))
        assert response.status_code in expected, f"{name} as {role}: {response.status_code}"


def takes_object(name) -> bool:
    """Whether a route's address needs an object (a detail route or an action on one)."""
    try:
        reverse(name)
    except NoReverseMatch:
        return True
    return False


@pytest.mark.parametrize("name", list(API))
def test_api_anonymous_gets_401(world, client, name):
    case = API[name]
    obj = case.pick(True)(world, Role.PROVINCE) if takes_object(name) else None
    if takes_object(name) and obj is None:
        obj = next(o for r in Role for o in (case.pick(True)(world, r), case.pick(False)(world, r)) if o is not None)
    kwargs = case.kwargs(obj) if obj is not None else {}
    response = getattr(client, case.method)(reverse(name, kwargs=kwargs))
    assert response.status_code == 401, f"{name}: {response.status_code}"


@pytest.mark.parametrize("role", list(Role), ids=ROLE_IDS)
@pytest.mark.parametrize("name", list(API))
def test_api_for_role(world, client, name, role):
    case = API[name]
    client.force_login(world.user(role))
    call = getattr(client, case.method)
    inside = case.pick(True)(world, role) if case.pick else None
    outside = case.pick(False)(world, role) if case.pick else None
    if takes_object(name):
        probe = inside or outside
        if probe is None:
            assert role not in case.allowed or role in (Role.PROVINCE, Role.SYSADMIN) or name in (
                "region-detail", "industry-detail"), f"{name}: no object for {role}"
            return
        if role not in case.allowed:
            response = call(reverse(name, kwargs=case.kwargs(probe)))
            assert response.status_code == 403, f"{name} as {role}: {response.status_code}"
            return
        if outside is not None:
            response = call(reverse(name, kwargs=case.kwargs(outside)))
            assert response.status_code == 404, f"{name} as {role} outside: {response.status_code}"
        if inside is not None and case.check_success:
            response = call(reverse(name, kwargs=case.kwargs(inside)))
            expected = case.ok or ((200, 201) if case.method == "post" else (200,))
            assert response.status_code in expected, f"{name} as {role}: {response.status_code}"
        return
    response = call(reverse(name))
    if role not in case.allowed:
        assert response.status_code == 403, f"{name} as {role}: {response.status_code}"
        return
    if not case.check_success:
        return
    assert response.status_code in (case.ok or (200,)), f"{name} as {role}: {response.status_code}"
    if case.pick and case.method == "get":
        ids = {row.get("id", row.get("code")) for row in response.json()["results"]}
        if inside is not None:
            assert inside.pk in ids, f"{name} as {role}: 辖区内对象缺失"
        if outside is not None:
            assert outside.pk not in ids, f"{name} as {role}: 列出了辖区外的对象"
