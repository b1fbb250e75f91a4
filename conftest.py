"""Shared fixtures: a small world with two cities, their counties, enterprises in each, and one
signed-in user per role, built on the real region tree the migrations load.

    保定市 130600 ── 涿州市 130681: 涿州测试企业 (enterprise account, delegated to a consultancy)
                 └─ 莲池区 130606: 莲池测试企业
    石家庄市 130100 ── 长安区 130102: 长安测试企业
    定州市 130682 (city level, no counties): 定州测试企业
"""

import importlib
from contextlib import contextmanager

import pytest
from django.db import transaction

from qingshen.accounts.models import User
from qingshen.core.roles import Role
from qingshen.enterprises.models import Delegation, Enterprise
from qingshen.industries.models import Industry
from qingshen.organizations.models import Organization
from qingshen.regions.models import Region

PASSWORD = "Test-Passw0rd!"


def make_user(username, organization=None, *, role=None, department=True, must_change=False, **extra):
    user = User(
        username=username,
        full_name=extra.pop("full_name", username),
        organization=organization,
        role=role or organization.role,
        is_department_account=department and organization is not None,
        must_change_password=must_change,
        **extra,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def department(code, kind=None):
    queryset = Organization.objects.filter(region_id=code)
    if kind:
        return queryset.get(kind=kind)
    return queryset.get(kind__in=Organization.DEPARTMENT_KINDS)


def make_enterprise(name, region_code, **extra):
    extra.setdefault("industry", Industry.objects.get(code="3360"))
    extra.setdefault("water_related", True)
    return Enterprise.objects.create(name=name, region=Region.objects.get(code=region_code), **extra)


class World:
    """Everything the jurisdiction tests need, by name."""

    def __init__(self):
        self.e_zhuozhou = make_enterprise("涿州测试企业", "130681")
        self.e_lianchi = make_enterprise("莲池测试企业", "130606")
        self.e_changan = make_enterprise("长安测试企业", "130102")
        self.e_dingzhou = make_enterprise("定州测试企业", "130682")
        self.enterprise_org = Organization.objects.create(
            kind=Organization.Kind.ENTERPRISE, name=self.e_zhuozhou.name, account_code="QY1306810001",
            region=self.e_zhuozhou.region, enterprise=self.e_zhuozhou,
        )
        self.other_enterprise_org = Organization.objects.create(
            kind=Organization.Kind.ENTERPRISE, name=self.e_lianchi.name, account_code="QY1306060001",
            region=self.e_lianchi.region, enterprise=self.e_lianchi,
        )
        self.consultancy_org = Organization.objects.create(
            kind=Organization.Kind.CONSULTANCY, name="测试咨询公司", account_code="ZX0001",
            region=Region.objects.get(code="130600"),
        )
        self.expert_org = Organization.objects.create(
            kind=Organization.Kind.EXPERT_INSTITUTION, name="测试专家单位", account_code="ZJ0001",
            region=Region.objects.get(code="130000"),
        )
        Delegation.objects.create(enterprise=self.e_zhuozhou, consultancy=self.consultancy_org)
        self.users = {
            Role.PROVINCE: make_user("130000", department("130000")),
            Role.CITY: make_user("130600", department("130600")),
            Role.COUNTY: make_user("130681", department("130681")),
            Role.PERMIT_AUTHORITY: make_user("XK130600", department("130600", Organization.Kind.PERMIT_AUTHORITY)),
            Role.ENTERPRISE: make_user("QY1306810001", self.enterprise_org),
            Role.CONSULTANCY: make_user("ZX0001", self.consultancy_org),
            Role.EXPERT: make_user("ZJ0001-li", self.expert_org, department=False),
            Role.SYSADMIN: make_user("admin", None, role=Role.SYSADMIN),
        }
        self.other_city_user = make_user("130100", department("130100"))
        self.other_county_user = make_user("130606", department("130606"))
        self.dingzhou_user = make_user("130682", department("130682"))
        self.other_enterprise_user = make_user("QY1306060001", self.other_enterprise_org)

    def user(self, role):
        return self.users[role]


@pytest.fixture
def world(db):
    return World()


def blank_pdf(name="盖章件.pdf", pages=1):
    """A real (blank, A4) PDF upload, for forms that want a stamped scan."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


class CampaignWorld(World):
    """The World plus a campaign naming its four enterprises, built through the real services
    up to `stage`:

    draft       the campaign, its roster (涿州 and 长安 省直管) and the province's and Baoding's dates
    published   the province has published the roster to 保定市, 石家庄市 and 定州市
    verified    every county and city has submitted and been approved
    notified    the notice has reached the enterprises of 涿州市 (letter generated, stamped, dispatched)
    accepted    涿州测试企业 has accepted (audit project created)
    """

    STAGES = ("draft", "published", "verified", "notified", "accepted")

    def __init__(self, stage="draft"):
        super().__init__()
        from datetime import date

        from qingshen.campaigns import services as campaigns
        from qingshen.campaigns.models import MilestoneKind, TargetRule

        self.stage = stage
        province, city = self.user(Role.PROVINCE), self.user(Role.CITY)
        self.campaign = campaigns.create_campaign(
            province, document_number="冀环测〔2021〕1号", batch="第二批", name="测试批次清洁生产审核", year=2021,
            code="2021-T1", scope="白洋淀流域涉水企业", issue_date=date(2021, 9, 30), requirements="按附件要求开展清洁生产审核。",
            letter_preamble="根据测试方案的工作要求，你公司列入测试批次清洁生产审核名单", contact_person="王测试",
            contact_phone="0311-00000000", target_rules=TargetRule.objects.all(),
        )
        self.members = {}
        for enterprise, level in ((self.e_zhuozhou, "province"), (self.e_lianchi, "city"),
                                  (self.e_changan, "province"), (self.e_dingzhou, "city")):
            self.members[enterprise.name] = campaigns.add_member(
                province, self.campaign, enterprise, reasons=["key_task"], handling_level=level)
        for kind, day in ((MilestoneKind.DISCLOSURE, date(2021, 10, 30)),
                          (MilestoneKind.EVALUATION_APPLICATION, date(2022, 3, 1)),
                          (MilestoneKind.EVALUATION_DONE, date(2022, 3, 31)),
                          (MilestoneKind.ACCEPTANCE_APPLICATION, date(2022, 6, 1)),
                          (MilestoneKind.ACCEPTANCE_DONE, date(2022, 6, 30))):
            campaigns.set_milestone(province, self.campaign, kind=kind, due_date=day)
        campaigns.set_milestone(province, self.campaign, kind=MilestoneKind.NOTIFY, days_after_publication=10)
        campaigns.set_milestone(city, self.campaign, kind=MilestoneKind.EVALUATION_APPLICATION,
                                due_date=date(2022, 2, 1), document_number="(2021)—34")
        self.roster = self.campaign.roster_tasks.get(level="province")
        for step in self.STAGES[1:self.STAGES.index(stage) + 1]:
            getattr(self, f"_{step}")()

    def roster_task(self, code):
        return self.campaign.roster_tasks.get(organization__region_id=code)

    def notice_task(self, code):
        return self.campaign.notice_tasks.get(organization__region_id=code)

    def member(self, enterprise):
        return self.members[enterprise.name]

    def _published(self):
        from qingshen.rosters import services as rosters

        rosters.publish(self.user(Role.PROVINCE), self.roster, attested=True)

    def _verified(self):
        from qingshen.rosters import services as rosters

        city, county = self.user(Role.CITY), self.user(Role.COUNTY)
        rosters.dispatch(city, self.roster_task("130600"), attested=True)
        for user, code in ((county, "130681"), (self.other_county_user, "130606")):
            rosters.submit(user, self.roster_task(code), stamped_list=blank_pdf())
            rosters.approve(city, self.roster_task(code))
        for user, code in ((city, "130600"), (self.other_city_user, "130100"), (self.dingzhou_user, "130682")):
            if code == "130100":
                rosters.dispatch(user, self.roster_task(code), attested=True)
                county_user = make_user("130102", department("130102"))
                rosters.submit(county_user, self.roster_task("130102"), stamped_list=blank_pdf())
                rosters.approve(user, self.roster_task("130102"))
            rosters.submit(user, self.roster_task(code), stamped_list=blank_pdf())
            rosters.approve(self.user(Role.PROVINCE), self.roster_task(code))

    def _notified(self):
        from qingshen.notices import services as notices

        notices.issue(self.user(Role.PROVINCE), self.campaign)
        notices.dispatch(self.user(Role.CITY), self.notice_task("130600"), attested=True)
        county, task = self.user(Role.COUNTY), self.notice_task("130681")
        self.letter, _, code = notices.prepare_letter(county, task, self.member(self.e_zhuozhou))
        notices.attach_stamped_copy(county, self.letter, blank_pdf())
        notices.dispatch(county, task, attested=True)
        if code:  # the account had no password of its own yet
            notices.activate(self.user(Role.ENTERPRISE).username, code, PASSWORD)
        self.users[Role.ENTERPRISE].refresh_from_db()
        self.letter.refresh_from_db()

    def _accepted(self):
        from qingshen.projects import services as projects

        self.project = projects.accept(self.user(Role.ENTERPRISE), self.member(self.e_zhuozhou),
                                       project_lead="张三", project_lead_mobile="13800138000")


@contextmanager
def kept_for_module(django_db_blocker):
    """Rows made inside this block stay for a whole test module and are rolled back at its end;
    each test runs in a savepoint within it (like Django's setUpTestData). For worlds that take
    seconds to build (real letters, real files): use it in a module-scoped fixture that yields."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def draft(db):
    """The campaign world while the province still builds its roster (its task is 草稿)."""
    return CampaignWorld("draft")


@pytest.fixture
def published(db):
    """The province has published the roster: 保定市, 石家庄市 and 定州市 each have a task 待确认."""
    return CampaignWorld("published")


@pytest.fixture
def verified(db):
    """Every county and city has submitted once and been approved."""
    return CampaignWorld("verified")


@pytest.fixture
def campaign_world(db):
    """A CampaignWorld at its most advanced stage (the enterprise has accepted)."""
    return CampaignWorld("accepted")


@pytest.fixture
def login(client):
    """login(user) signs the test client in as that user (sessions, as a browser would)."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


# --- transactional tests and the append-only audit trail ---------------------------------------
#
# A transactional test (live server, task worker) commits its rows, and Django empties every
# table after it (`flush`). The audit trail's database triggers refuse that, and the flush also
# empties what the data migrations loaded. `transactional_db` below lifts the triggers around the
# flush, puts them back, and reloads the migrated rows, so later tests find the database as
# migrated. Tests that commit must request the `transactional_db` fixture (or `live_server`),
# not the `django_db(transaction=True)` marker.

_APPEND_ONLY = importlib.import_module("qingshen.audit_trail.migrations.0003_chain_head_and_append_only")
_TRIGGERS = {
    # vendor: (statements that create the triggers, statements that drop them)
    "sqlite": (_APPEND_ONLY.SQLITE, _APPEND_ONLY.SQLITE_REVERSE),
    "postgresql": (_APPEND_ONLY.POSTGRESQL, _APPEND_ONLY.POSTGRESQL_REVERSE),
}


def _set_append_only_triggers(*, enabled):
    """Drop the audit trail's append-only triggers; with enabled=True, (re)create them."""
    from django.db import connection

    create, drop = _TRIGGERS.get(connection.vendor, ((), ()))
    with connection.cursor() as cursor:
        for statement in [*drop, *create] if enabled else drop:
            cursor.execute(statement)


@pytest.fixture(scope="session")
def _migrated_database(django_db_setup, django_db_blocker):
    """The test database as the migrations left it, serialized.

    pytest-django serializes it when it creates the database, because the browser tests ask
    for `django_db_serialized_rollback`; it keeps the copy on the connection object. Django
    keeps connections per thread, but per async context while an event loop runs in the
    thread, and Playwright's sync API runs one in the main thread: once Playwright is up,
    test code gets another connection object, without the copy (so pytest-django's own
    serialized rollback silently does nothing in browser tests). The copy is therefore
    taken here, before Playwright starts (see `playwright` below).
    """
    from django.db import connection

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:
        with django_db_blocker.unblock():
            contents = connection.creation.serialize_db_to_string()
    return contents


@pytest.fixture
def _migrated_data_kept(_migrated_database, django_db_blocker):
    """Set up before pytest-django's transactional database, torn down after its flush.

    Before: if an earlier transactional test emptied the database, the data migrations'
    rows are missing; they are loaded again.
    After: the flush has emptied the tables (and post_migrate has re-created content types
    and permissions under new keys); the database is reloaded as migrated, append-only
    triggers included, so later tests find it as they expect.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        if not _has_migrated_data():
            _reload_migrated_data(_migrated_database)
    yield
    with django_db_blocker.unblock():
        _reload_migrated_data(_migrated_database)
        # Django closed its connections after the flush; close this one too, or PostgreSQL
        # refuses to drop the test database at the end of the session.
        connection.close()


def _has_migrated_data():
    from qingshen.audit_trail.models import ChainHead

    return ChainHead.objects.filter(pk=1).exists()  # created by audit_trail migration 0003


def _reload_migrated_data(contents):
    """Empty every table (audit trail included), then load the migrated database's rows.

    The rows come back with their primary keys, so the sequences are moved past them
    (PostgreSQL), as loaddata does; otherwise the next insert would reuse key 1.
    """
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    _set_append_only_triggers(enabled=False)
    try:
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    finally:
        _set_append_only_triggers(enabled=True)
    connection.creation.deserialize_db_from_string(contents)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)


@pytest.fixture
def transactional_db(_migrated_data_kept, django_db_serialized_rollback, transactional_db, django_db_blocker):
    """pytest-django's transactional_db (which live_server pulls in), made to survive its flush.

    Django empties every table after a transactional test; the audit trail's append-only
    triggers refuse that. The triggers are dropped just before the flush (this fixture's
    teardown runs first) and recreated just after it (`_migrated_data_kept`, set up
    earlier, is torn down later). `django_db_serialized_rollback` makes pytest-django keep a
    copy of the migrated database (see `_migrated_database`).

    Browser tests must get their database through this fixture (request `live_server` or
    `transactional_db`); a `django_db` marker would set the database up before
    `_migrated_data_kept`.
    """
    yield
    with django_db_blocker.unblock():
        _set_append_only_triggers(enabled=False)
