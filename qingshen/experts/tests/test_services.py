"""The services: who keeps which pool, validation in Chinese, the audit trail, stale edits and
the expert's account."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.experts import services
from qingshen.experts.models import Expert, Field
from qingshen.experts.tests.helpers import make_expert, region
from qingshen.industries.models import Industry
from qingshen.organizations.models import Organization

NOT_KEEPERS = [Role.COUNTY, Role.PERMIT_AUTHORITY, Role.ENTERPRISE, Role.CONSULTANCY, Role.EXPERT, Role.SYSADMIN]


def data(**values):
    base = dict(name="王测试", employer="虚构环境研究院", title="高级工程师", pool=region("130600"),
                home_region=region("130606"), fields=[Field.ENERGY, Field.CLEANER_PRODUCTION], phone="13800138000")
    return {**base, **values}


def events(action, obj):
    return Event.objects.filter(action=action, object_type="experts.expert", object_id=str(obj.pk))


def test_province_keeps_every_pool_and_the_audit_trail_has_the_whole_expert(world):
    province = world.user(Role.PROVINCE)
    chemicals = Industry.objects.get(code="26")
    expert = services.create_expert(province, **data(industries=[chemicals],
                                                     conflict_consultancies=[world.consultancy_org],
                                                     conflict_enterprises=[world.e_lianchi]))
    assert (expert.province_code, expert.city_code, expert.county_code) == ("130000", "130600", "")
    assert expert.fields == ["cleaner_production", "energy"]  # in the order of Field
    event = events("expert.create", expert).get()
    assert event.actor == province and event.summary == "登记专家 王测试（虚构环境研究院）（保定市专家库）"
    assert event.after["industries"] == ["26"] and event.after["conflict_consultancies"] == [world.consultancy_org.pk]
    assert event.after["conflict_enterprises"] == [world.e_lianchi.pk] and event.after["pool"] == "130600"
    in_province_pool = services.create_expert(province, **data(pool=region("130000")))
    assert (in_province_pool.province_code, in_province_pool.city_code) == ("130000", "")


def test_a_city_keeps_only_its_own_pool(world):
    city = world.user(Role.CITY)
    own = services.create_expert(city, **data())
    assert own.pool_id == "130600"
    for code, label in (("130000", "省级专家库"), ("130100", "石家庄市专家库")):
        with pytest.raises(ValidationError) as caught:
            services.create_expert(city, **data(pool=region(code), name="越权专家"))
        assert caught.value.message_dict["pool"] == [f"您只能维护保定市专家库，不能把专家放入{label}。"]
    with pytest.raises(ValidationError) as caught:
        services.update_expert(city, own, pool=region("130000"))
    assert caught.value.message_dict["pool"] == ["您只能维护保定市专家库，不能把专家放入省级专家库。"]
    other = make_expert("石家庄测试专家", pool="130100", home="130102")
    for call in (lambda: services.update_expert(city, other, title="越权"),
                 lambda: services.set_active(city, other, False),
                 lambda: services.create_expert_account(city, other)):
        with pytest.raises(PermissionDenied, match="该专家不在您的权限范围内。"):
            call()
    assert not Expert.objects.filter(name="越权专家").exists()
    assert Expert.objects.get(pk=other.pk).title == ""


def test_the_province_moves_an_expert_between_pools(world):
    expert = make_expert()
    moved = services.update_expert(world.user(Role.PROVINCE), expert, pool=region("130000"))
    assert (moved.pool_id, moved.city_code, moved.version) == ("130000", "", 1)
    assert events("expert.update", expert).get().before["pool"] == "130600"
    assert not Expert.objects.restrict(world.user(Role.CITY)).filter(pk=expert.pk).exists()


@pytest.mark.parametrize("role", NOT_KEEPERS)
def test_other_roles_may_not_keep_pools(world, role):
    expert = make_expert()
    user = world.user(role)
    with pytest.raises(PermissionDenied):
        services.create_expert(user, **data())
    with pytest.raises(PermissionDenied):
        services.update_expert(user, expert, name="改名")
    with pytest.raises(PermissionDenied):
        services.set_active(user, expert, False)
    with pytest.raises(PermissionDenied):
        services.create_expert_account(user, expert)
    assert not services.pools_for(user).exists()
    assert Expert.objects.get(pk=expert.pk).name == "测试专家甲" and not Event.objects.filter(
        object_type="experts.expert").exists()


PHONE = "联系电话格式不正确：请填写 11 位手机号码，或带区号的固定电话（如 0311-87654321）。"


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"name": "  "}, "name", "请填写专家姓名。"),
    ({"employer": ""}, "employer", "请填写工作单位。"),
    ({"home_region": region}, "home_region", "所在地区请选择到县（市、区）或设区市。"),
    ({"home_region": None}, "home_region", "请选择所在地区。"),
    ({"fields": ["energy", "law"]}, "fields", "专业领域“law”不在可选项中（可选：清洁生产、节能、环保、行业工艺）。"),
    ({"phone": "12345"}, "phone", PHONE),
    ({"phone": "138001380001"}, "phone", PHONE),
    ({"email": "not-an-address"}, "email", "请输入合法的邮件地址。"),
    ({"name": "王" * 51}, "name", "姓名不能超过 50 个字符（现有 51 个）。"),
    ({"employer": "单" * 201}, "employer", "工作单位不能超过 200 个字符（现有 201 个）。"),
])
def test_bad_input_is_refused_beside_its_field(world, values, field, message):
    if values.get("home_region") is region:
        values = {"home_region": region("130000")}
    with pytest.raises(ValidationError) as caught:
        services.create_expert(world.user(Role.PROVINCE), **data(**values))
    assert caught.value.message_dict[field] == [message]
    assert not Expert.objects.exists()


def test_pools_are_the_province_or_a_city(world):
    with pytest.raises(ValidationError) as caught:
        services.create_expert(world.user(Role.PROVINCE), **data(pool=region("130681")))
    assert caught.value.message_dict["pool"] == ["涿州市不能设专家库：专家库只设省级（河北省）和市级（设区市）。"]
    with pytest.raises(ValidationError) as caught:
        services.create_expert(world.user(Role.PROVINCE), **data(pool=None))
    assert caught.value.message_dict["pool"] == ["请选择所属专家库。"]


@pytest.mark.parametrize(("typed", "kept"), [
    ("0311-87654321", "0311-87654321"),
    ("０３１２－５９８７６５４", "0312-5987654"),
    ("138 0013 8000", "13800138000"),
    ("+86-13800138000", "+86-13800138000"),
    ("87654321", "87654321"),
])
def test_sensible_phone_numbers_are_kept_normalised(world, typed, kept):
    expert = services.create_expert(world.user(Role.PROVINCE), **data(phone=typed))
    assert expert.phone == kept


def test_industries_are_divisions_and_consultancies_are_consultancies(world):
    province = world.user(Role.PROVINCE)
    with pytest.raises(ValidationError) as caught:
        services.create_expert(province, **data(industries=[Industry.objects.get(code="3360")],
                                                conflict_consultancies=[world.expert_org]))
    errors = caught.value.message_dict
    assert errors["industries"] == ["熟悉行业只能选择 GB/T 4754-2017 的大类（两位代码）：3360 金属表面处理及热处理加工 不是大类。"]
    assert errors["conflict_consultancies"] == ["“测试专家单位”不是咨询服务机构。"]


def test_a_city_names_only_its_enterprises_but_keeps_what_the_province_declared(world):
    city, province = world.user(Role.CITY), world.user(Role.PROVINCE)
    with pytest.raises(ValidationError) as caught:
        services.create_expert(city, **data(conflict_enterprises=[world.e_lianchi, world.e_changan]))
    assert caught.value.message_dict["conflict_enterprises"] == ["企业“长安测试企业”不在您的辖区内，不能列为回避企业。"]
    expert = services.create_expert(province, **data(conflict_enterprises=[world.e_changan]))
    changed = services.update_expert(city, expert, title="教授级高工",
                                     conflict_enterprises=[world.e_changan, world.e_zhuozhou])
    assert set(changed.conflict_enterprises.values_list("name", flat=True)) == {"长安测试企业", "涿州测试企业"}


def test_the_same_expert_twice_in_a_pool_is_refused(world):
    province = world.user(Role.PROVINCE)
    services.create_expert(province, **data())
    with pytest.raises(ValidationError) as caught:
        services.create_expert(province, **data(name=" 王测试 "))
    assert caught.value.message_dict["name"] == ["保定市专家库已有工作单位为“虚构环境研究院”的专家王测试，请勿重复登记。"]
    assert services.create_expert(province, **data(pool=region("130000"))).name == "王测试"  # another pool


def test_update_is_audited_with_before_and_after_and_a_no_op_writes_nothing(world):
    city = world.user(Role.CITY)
    expert = services.create_expert(city, **data())
    unchanged = services.update_expert(city, expert, expected_version=0, name="王测试", phone="13800138000")
    assert unchanged.version == 0 and not events("expert.update", expert).exists()
    changed = services.update_expert(city, expert, expected_version=0, title="正高级工程师",
                                     industries=[Industry.objects.get(code="33")])
    assert changed.version == 1
    event = events("expert.update", expert).get()
    assert (event.before["title"], event.after["title"]) == ("高级工程师", "正高级工程师")
    assert (event.before["industries"], event.after["industries"]) == ([], ["33"])


def test_a_stale_edit_is_refused_and_changes_nothing(world):
    city = world.user(Role.CITY)
    expert = services.create_expert(city, **data())
    services.update_expert(city, expert, expected_version=0, title="教授")
    with pytest.raises(services.StaleEditError) as caught:
        services.update_expert(city, expert, expected_version=0, title="旧页面上的职称")
    assert "该专家信息已被他人修改" in caught.value.messages[0]
    with pytest.raises(services.StaleEditError):
        services.set_active(city, expert, False, expected_version=0)
    stored = Expert.objects.get(pk=expert.pk)
    assert (stored.title, stored.is_active, stored.version) == ("教授", True, 1)


def test_set_active_is_audited_once(world):
    city = world.user(Role.CITY)
    expert = make_expert()
    stopped = services.set_active(city, expert, False, expected_version=0)
    assert (stopped.is_active, stopped.version) == (False, 1)
    services.set_active(city, expert, False)  # already stopped: nothing to record
    assert events("expert.deactivate", expert).get().after == {"is_active": False}
    assert services.set_active(city, expert, True).is_active
    assert events("expert.activate", expert).count() == 1


def test_the_province_creates_an_account_once(world):
    province = world.user(Role.PROVINCE)
    expert = services.create_expert(province, **data(email="wang@example.com"))
    user, password = services.create_expert_account(province, expert)
    organization = user.organization
    assert (organization.kind, organization.name, organization.region_id) == (
        Organization.Kind.EXPERT_INSTITUTION, "虚构环境研究院", "130600")
    assert organization.account_code.startswith("ZJ") and user.username == f"{organization.account_code}-01"
    assert (user.role, user.full_name, user.mobile, user.email) == (
        Role.EXPERT, "王测试", "13800138000", "wang@example.com")
    assert user.must_change_password and not user.is_department_account
    assert user.check_password(password)
    expert.refresh_from_db()
    assert expert.user == user and expert.version == 1
    event = events("expert.create_account", expert).get()
    assert (event.before["user"], event.after["user"]) == (None, user.pk)
    assert password not in str(event.after)
    with pytest.raises(ValidationError) as caught:
        services.create_expert_account(province, expert)
    assert caught.value.messages == [f"该专家已有账号 {user.username}；如忘记密码，请在账号详情页重置。"]
    # A colleague of the same employer and pool joins the same organisation.
    colleague = services.create_expert(province, **data(name="李测试", phone=""))
    second, _ = services.create_expert_account(province, colleague)
    assert second.organization == organization and second.username == f"{organization.account_code}-02"
    # The same employer in another pool is another organisation, in that pool's region.
    elsewhere = services.create_expert(province, **data(pool=region("130100"), home_region=region("130102")))
    third, _ = services.create_expert_account(province, elsewhere)
    assert third.organization != organization and third.organization.region_id == "130100"


def test_a_city_creates_accounts_for_its_own_pool(world):
    expert = make_expert()
    user, _ = services.create_expert_account(world.user(Role.CITY), expert)
    assert user.organization.region_id == "130600"
