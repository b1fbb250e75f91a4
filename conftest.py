"""Shared fixtures: a small world with two cities, their counties, enterprises in each, and one
signed-in user per role, built on the real region tree the migrations load.

    保定市 130600 ── 涿州市 130681: 涿州测试企业 (enterprise account, delegated to a consultancy)
                 └─ 莲池区 130606: 莲池测试企业
    石家庄市 130100 ── 长安区 130102: 长安测试企业
    定州市 130682 (city level, no counties): 定州测试企业
"""

import pytest

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


@pytest.fixture
def login(client):
    """login(user) signs the test client in as that user (sessions, as a browser would)."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
