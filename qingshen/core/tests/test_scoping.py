"""Jurisdiction from the organisation's place in the region tree, never from code slicing."""

import pytest

from conftest import department, make_user
from qingshen.core.roles import ROLE_PERMISSIONS, Role
from qingshen.core.scoping import jurisdiction_of
from qingshen.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def visible_names(user):
    return set(Enterprise.objects.restrict(user).values_list("name", flat=True))


def test_each_role_sees_exactly_its_enterprises(world):
    everything = {"涿州测试企业", "莲池测试企业", "长安测试企业", "定州测试企业"}
    assert visible_names(world.user(Role.PROVINCE)) == everything
    assert visible_names(world.user(Role.SYSADMIN)) == everything
    assert visible_names(world.user(Role.CITY)) == {"涿州测试企业", "莲池测试企业"}
    assert visible_names(world.user(Role.COUNTY)) == {"涿州测试企业"}
    assert visible_names(world.other_county_user) == {"莲池测试企业"}
    assert visible_names(world.other_city_user) == {"长安测试企业"}
    assert visible_names(world.user(Role.PERMIT_AUTHORITY)) == {"涿州测试企业", "莲池测试企业"}
    assert visible_names(world.user(Role.ENTERPRISE)) == {"涿州测试企业"}
    assert visible_names(world.user(Role.CONSULTANCY)) == {"涿州测试企业"}
    assert visible_names(world.user(Role.EXPERT)) == set()


def test_dingzhou_acts_at_city_level(world):
    """定州市 is 省直管: its bureau is a city-level unit; Baoding does not see its enterprises."""
    jurisdiction = jurisdiction_of(world.dingzhou_user)
    assert (jurisdiction.role, jurisdiction.level, jurisdiction.code) == (Role.CITY, "city", "130682")
    assert visible_names(world.dingzhou_user) == {"定州测试企业"}
    assert "定州测试企业" not in visible_names(world.user(Role.CITY))


def test_xiongan_counties_belong_to_xiongan(db):
    xiongan = make_user("133100", department("133100"))
    rongcheng = Enterprise.objects.create(name="容城测试企业", region_id="130629")
    assert (rongcheng.city_code, rongcheng.county_code) == ("133100", "130629")
    assert set(Enterprise.objects.restrict(xiongan)) == {rongcheng}
    baoding = make_user("130600", department("130600"))
    assert rongcheng not in Enterprise.objects.restrict(baoding)


def test_consultancy_loses_sight_when_delegation_ends(world):
    world.e_zhuozhou.delegations.update(is_active=False)
    assert visible_names(world.user(Role.CONSULTANCY)) == set()


def test_inactive_and_anonymous_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    user = world.user(Role.PROVINCE)
    user.is_active = False
    user.save()
    user = type(user).objects.get(pk=user.pk)
    assert not Enterprise.objects.restrict(user).exists()
    assert not Enterprise.objects.restrict(AnonymousUser()).exists()


def test_scope_codes_follow_a_region_change(world):
    enterprise = world.e_zhuozhou
    enterprise.region_id = "130606"
    enterprise.save()
    enterprise.refresh_from_db()
    assert (enterprise.city_code, enterprise.county_code) == ("130600", "130606")
    assert enterprise not in Enterprise.objects.restrict(world.user(Role.COUNTY))


def test_role_table_names_real_permissions():
    """Every permission in the role table exists, so a typo cannot silently deny access."""
    from django.contrib.auth.models import Permission

    existing = {f"{app}.{code}" for app, code in Permission.objects.values_list("content_type__app_label", "codename")}
    for role, permissions in ROLE_PERMISSIONS.items():
        assert permissions <= existing, (role, permissions - existing)
