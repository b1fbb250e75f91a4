"""Departments come from the region tree: one environment department and one permit
authority per region, named as in the seed, at the level Hebei administers them."""

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from qingshen.core.scoping import Jurisdiction
from qingshen.core.roles import Role
from qingshen.organizations.loader import sync_departments
from qingshen.organizations.models import Organization
from qingshen.regions.models import Region

PERMIT = Q(kind=Organization.Kind.PERMIT_AUTHORITY)
KIND_OF_LEVEL = {"province": "province_department", "city": "city_bureau", "county": "county_branch"}


def dept(code):
    return Organization.objects.get(region_id=code, kind__in=Organization.DEPARTMENT_KINDS)


def permit_authority(code):
    return Organization.objects.get(region_id=code, kind=Organization.Kind.PERMIT_AUTHORITY)


def test_every_region_has_exactly_one_department_and_one_permit_authority(db):
    regions = Region.objects.count()
    assert regions > 170  # the whole of Hebei

    per_region = (Organization.objects.filter(kind__in=[*Organization.DEPARTMENT_KINDS, "permit_authority"])
                  .values("region").annotate(departments=Count("pk", filter=~PERMIT), permits=Count("pk", filter=PERMIT)))
    assert len(per_region) == regions
    assert {(row["departments"], row["permits"]) for row in per_region} == {(1, 1)}


def test_each_department_is_of_its_regions_level_and_named_by_its_code(db):
    organizations = Organization.objects.filter(kind__in=[*Organization.DEPARTMENT_KINDS, "permit_authority"])
    by_region = {(org.region_id, org.kind == "permit_authority"): org for org in organizations}
    for region in Region.objects.all():
        department, permits = by_region[region.code, False], by_region[region.code, True]
        assert department.kind == KIND_OF_LEVEL[region.level], region.code
        assert department.account_code == region.code
        assert (department.province_code, department.city_code, department.county_code) == (
            region.province_code, region.city_code, region.county_code)
        assert permits.account_code == f"XK{region.code}"


@pytest.mark.parametrize(("code", "name", "kind", "role"), [
    ("130000", "河北省生态环境厅", "province_department", Role.PROVINCE),
    ("130600", "保定市生态环境局", "city_bureau", Role.CITY),
    ("130681", "涿州市生态环境分局", "county_branch", Role.COUNTY),
    ("130682", "定州市生态环境局", "city_bureau", Role.CITY),
    ("130181", "辛集市生态环境局", "city_bureau", Role.CITY),
    ("133100", "河北雄安新区生态环境局", "city_bureau", Role.CITY),
    ("130629", "容城县生态环境分局", "county_branch", Role.COUNTY),
    ("130671", "保定高新技术产业开发区生态环境分局", "county_branch", Role.COUNTY),
    ("130672", "保定白沟新城生态环境分局", "county_branch", Role.COUNTY),
])
def test_departments_as_in_the_seed(db, code, name, kind, role):
    department = dept(code)
    assert (department.name, department.kind, department.role) == (name, kind, role)


def test_permit_authorities_as_in_the_seed(db):
    assert permit_authority("130600").name == "保定市行政审批局"
    assert permit_authority("130681").name == "涿州市行政审批局"
    assert permit_authority("130600").role == Role.PERMIT_AUTHORITY


@pytest.mark.parametrize("code", ["130682", "130181"])
def test_dingzhou_and_xinji_act_at_city_level_under_the_province(db, code):
    region = Region.objects.get(code=code)
    assert region.level == "city" and region.parent_id == "130000"
    department = dept(code)
    assert department.city_code == code and department.county_code == ""
    # Their departments sit beside 保定 and 石家庄, not beneath them.
    baoding = Jurisdiction(role=Role.CITY, user_id=0, level="city", code="130600")
    shijiazhuang = Jurisdiction(role=Role.CITY, user_id=0, level="city", code="130100")
    assert not department.is_within(baoding) and not department.is_within(shijiazhuang)


def test_xiongan_is_a_city_level_unit_over_rongcheng_anxin_and_xiongxian(db):
    xiongan = Region.objects.get(code="133100")
    assert xiongan.level == "city" and xiongan.parent_id == "130000"
    assert sorted(xiongan.children.values_list("name", flat=True)) == ["安新县", "容城县", "雄县"]
    xiongan_jurisdiction = Jurisdiction(role=Role.CITY, user_id=0, level="city", code="133100")
    baoding = Jurisdiction(role=Role.CITY, user_id=0, level="city", code="130600")
    for code in ("130629", "130632", "130638"):
        county = dept(code)
        assert county.kind == "county_branch" and county.city_code == "133100"
        assert county.is_within(xiongan_jurisdiction) and not county.is_within(baoding)


def test_functional_zones_are_counties_of_baoding(db):
    for code in ("130671", "130672"):
        region = Region.objects.get(code=code)
        assert region.level == "county" and region.parent_id == "130600"
        assert dept(code).city_code == "130600"


def test_syncing_again_changes_nothing(db):
    before = list(Organization.objects.order_by("pk").values_list("pk", "kind", "name", "account_code", "region"))

    sync_departments(apps.get_model("regions", "Region"), Organization)

    after = list(Organization.objects.order_by("pk").values_list("pk", "kind", "name", "account_code", "region"))
    assert after == before


def test_a_second_department_for_a_region_is_refused(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(kind=Organization.Kind.CITY_BUREAU, name="另一个保定市生态环境局",
                                    account_code="130600b", region_id="130600")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(kind=Organization.Kind.PERMIT_AUTHORITY, name="另一个审批局",
                                    account_code="XK130600b", region_id="130600")
