"""The registry's services: permission, jurisdiction, stale edits, uniqueness, audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.enterprises import services
from qingshen.enterprises.models import Enterprise
from qingshen.enterprises.tests.helpers import FAKE_USCC_1, FAKE_USCC_2
from qingshen.industries.models import Industry
from qingshen.regions.models import Region


def region(code):
    return Region.objects.get(code=code)


def enterprise_events():
    return Event.objects.filter(action__startswith="enterprise.")


def test_county_creates_in_its_county_and_the_trail_records_it(world):
    county = world.user(Role.COUNTY)
    enterprise = services.create_enterprise(
        county, name="新建测试企业", region=region("130681"), uscc=FAKE_USCC_1,
        industry=Industry.objects.get(code="1522"), employees=35, double_toxic=True,
    )
    enterprise.refresh_from_db()
    assert (enterprise.province_code, enterprise.city_code, enterprise.county_code) == ("130000", "130600", "130681")
    assert enterprise.version == 1
    event = Event.objects.for_object(enterprise).get()
    assert event.action == "enterprise.create"
    assert event.actor == county and event.organization == county.organization
    assert event.before is None
    assert event.after["name"] == "新建测试企业" and event.after["uscc"] == FAKE_USCC_1
    assert event.after["region"] == "130681" and event.after["industry"] == "1522" and event.after["double_toxic"] is True
    assert event.county_code == "130681"
    assert event.summary == "新增企业 新建测试企业"


@pytest.mark.parametrize("who, code, message", [
    ("county", "130606", "莲池区不在您的辖区内。"),
    ("county", "130102", "长安区不在您的辖区内。"),
    ("city", "130102", "长安区不在您的辖区内。"),
    ("city", "130600", "保定市不在您的辖区内。"),  # a city with counties is no place for an enterprise
])
def test_officials_cannot_create_outside_their_jurisdiction(world, who, code, message):
    actor = world.user(Role.COUNTY if who == "county" else Role.CITY)
    with pytest.raises(PermissionDenied) as raised:
        services.create_enterprise(actor, name="越界测试企业", region=region(code))
    assert str(raised.value) == message
    assert not Enterprise.objects.filter(name="越界测试企业").exists()
    assert not enterprise_events().exists()


def test_city_creates_in_any_of_its_counties_and_dingzhou_in_itself(world):
    assert services.create_enterprise(world.user(Role.CITY), name="市建测试企业", region=region("130606")).county_code == "130606"
    made = services.create_enterprise(world.dingzhou_user, name="定州新建测试企业", region=region("130682"))
    assert made.city_code == "130682"


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.CONSULTANCY, Role.PERMIT_AUTHORITY, Role.EXPERT, Role.SYSADMIN])
def test_roles_without_the_permission_can_neither_create_nor_edit(world, role):
    actor = world.user(role)
    with pytest.raises(PermissionDenied, match="您无权新增企业。"):
        services.create_enterprise(actor, name="无权测试企业", region=region("130681"))
    with pytest.raises(PermissionDenied, match="您无权修改企业信息。"):
        services.update_enterprise(actor, world.e_zhuozhou, address="不应写入")
    world.e_zhuozhou.refresh_from_db()
    assert world.e_zhuozhou.address == "" and world.e_zhuozhou.version == 1
    assert not enterprise_events().exists()


def test_county_cannot_edit_another_countys_enterprise_or_move_its_own_away(world):
    county = world.user(Role.COUNTY)
    with pytest.raises(PermissionDenied, match="该企业不在您的辖区内。"):
        services.update_enterprise(county, world.e_lianchi, address="不应写入")
    with pytest.raises(PermissionDenied, match="莲池区不在您的辖区内。"):
        services.update_enterprise(county, world.e_zhuozhou, region=region("130606"))
    world.e_zhuozhou.refresh_from_db()
    assert world.e_zhuozhou.region_id == "130681"
    assert not enterprise_events().exists()


def test_city_moves_an_enterprise_between_its_counties_and_the_scope_follows(world):
    moved = services.update_enterprise(world.user(Role.CITY), world.e_zhuozhou, region=region("130606"))
    moved.refresh_from_db()
    assert moved.county_code == "130606"
    assert not Enterprise.objects.restrict(world.user(Role.COUNTY)).filter(pk=moved.pk).exists()
    assert Enterprise.objects.restrict(world.other_county_user).filter(pk=moved.pk).exists()


def test_each_change_increments_the_version_and_records_before_and_after(world):
    county = world.user(Role.COUNTY)
    first = services.update_enterprise(county, world.e_zhuozhou, expected_version=1, address="涿州市一号路")
    second = services.update_enterprise(county, first, expected_version=2, address="涿州市二号路", employees=80)
    assert (first.version, second.version) == (2, 3)
    events = list(Event.objects.for_object(world.e_zhuozhou).order_by("seq"))
    assert [e.action for e in events] == ["enterprise.update", "enterprise.update"]
    assert events[0].changes() == [("address", "", "涿州市一号路")]
    assert events[1].changes() == [("address", "涿州市一号路", "涿州市二号路"), ("employees", None, 80)]
    assert events[1].summary == "修改企业 涿州测试企业"


def test_saving_unchanged_values_writes_no_event_and_keeps_the_version(world):
    county = world.user(Role.COUNTY)
    unchanged = services.update_enterprise(county, world.e_zhuozhou, expected_version=1,
                                           name="涿州测试企业", water_related=True)
    assert unchanged.version == 1
    world.e_zhuozhou.refresh_from_db()
    assert world.e_zhuozhou.version == 1
    assert not enterprise_events().exists()


def test_stale_edit_is_refused_and_writes_nothing(world):
    county = world.user(Role.COUNTY)
    services.update_enterprise(world.user(Role.CITY), world.e_zhuozhou, expected_version=1, address="市局改的地址")
    with pytest.raises(services.StaleEditError) as raised:
        services.update_enterprise(county, world.e_zhuozhou, expected_version=1, address="县局改的地址")
    assert raised.value.messages == ["该企业信息已被他人修改。请刷新页面查看最新内容后再保存；您填写的内容仍保留在下方。"]
    world.e_zhuozhou.refresh_from_db()
    assert (world.e_zhuozhou.address, world.e_zhuozhou.version) == ("市局改的地址", 2)
    assert enterprise_events().count() == 1


def test_uscc_must_be_unique_with_a_clear_message(world):
    county = world.user(Role.COUNTY)
    services.update_enterprise(world.user(Role.PROVINCE), world.e_lianchi, uscc=FAKE_USCC_1)
    for code in (FAKE_USCC_1, FAKE_USCC_1.lower(), f" {FAKE_USCC_1} "):
        with pytest.raises(ValidationError) as raised:
            services.create_enterprise(county, name="重码测试企业", region=region("130681"), uscc=code)
        assert raised.value.message_dict == {"uscc": ["该统一社会信用代码已登记在其他企业名下，请核实。"]}
    with pytest.raises(ValidationError) as raised:
        services.update_enterprise(county, world.e_zhuozhou, uscc=FAKE_USCC_1)
    assert raised.value.message_dict == {"uscc": ["该统一社会信用代码已登记在其他企业名下，请核实。"]}
    assert not Enterprise.objects.filter(name="重码测试企业").exists()
    world.e_zhuozhou.refresh_from_db()
    assert world.e_zhuozhou.uscc is None and world.e_zhuozhou.version == 1


def test_codes_are_stored_upper_case_and_blank_codes_do_not_collide(world):
    county = world.user(Role.COUNTY)
    lower = services.create_enterprise(county, name="小写测试企业", region=region("130681"), uscc=FAKE_USCC_2.lower())
    assert Enterprise.objects.get(pk=lower.pk).uscc == FAKE_USCC_2
    first = services.create_enterprise(county, name="无码测试企业一", region=region("130681"), uscc="")
    second = services.create_enterprise(county, name="无码测试企业二", region=region("130681"), uscc="")
    assert Enterprise.objects.filter(pk__in=[first.pk, second.pk], uscc__isnull=True).count() == 2


def test_name_must_be_unique_within_the_county_with_a_clear_message(world):
    county = world.user(Role.COUNTY)
    with pytest.raises(ValidationError) as raised:
        services.create_enterprise(county, name="涿州测试企业", region=region("130681"))
    assert raised.value.message_dict == {"name": ["涿州市已有名为“涿州测试企业”的企业。"]}
    renamed = services.create_enterprise(county, name="另一测试企业", region=region("130681"))
    with pytest.raises(ValidationError) as raised:
        services.update_enterprise(county, renamed, name="涿州测试企业")
    assert raised.value.message_dict == {"name": ["涿州市已有名为“涿州测试企业”的企业。"]}
    # the same name in another county is another enterprise
    services.create_enterprise(world.other_county_user, name="涿州测试企业", region=region("130606"))
    assert Enterprise.objects.filter(name="涿州测试企业").count() == 2


def test_invalid_values_are_refused_in_chinese(world):
    with pytest.raises(ValidationError) as raised:
        services.create_enterprise(world.user(Role.COUNTY), name="无效测试企业", region=region("130681"),
                                   uscc="91130681MA00000017", working_days=400, nature="外星企业")
    errors = raised.value.message_dict
    assert errors["uscc"] == ["统一社会信用代码校验位错误，请核对。"]
    assert errors["working_days"] == ["确保该值小于或等于366。"]
    assert errors["nature"] == ["值 '外星企业' 不是有效选项。"]
    assert not Enterprise.objects.filter(name="无效测试企业").exists()


def test_enterprise_account_service_checks_jurisdiction(world):
    from qingshen.organizations.models import Organization

    with pytest.raises(PermissionDenied, match="该企业不在您的辖区内。"):
        services.create_enterprise_account(world.user(Role.COUNTY), world.e_changan)
    with pytest.raises(PermissionDenied, match="您无权创建企业账号。"):
        services.create_enterprise_account(world.user(Role.ENTERPRISE), world.e_zhuozhou)
    assert not Organization.objects.filter(enterprise=world.e_changan).exists()


def test_the_services_uniqueness_checks_cover_every_unique_rule_of_the_model():
    """services._validate words the uniqueness rules itself; a new rule must be added there."""
    unique_fields = {f.name for f in Enterprise._meta.concrete_fields if f.unique and not f.primary_key}
    assert unique_fields == {"uscc"}
    assert [(c.name, tuple(c.fields)) for c in Enterprise._meta.constraints] == [
        ("enterprise_name_unique_in_region", ("region", "name"))]
    assert not Enterprise._meta.unique_together
