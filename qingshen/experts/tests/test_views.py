"""The pages: the list and its filters, an expert's page, the form, 停用/启用, the account, the
menu, and an expert signing in with the account it was given."""

import re

import pytest

from qingshen.accounts.models import User
from qingshen.audit_trail.models import Event
from qingshen.core.menu import menu_for
from qingshen.core.roles import Role
from qingshen.experts import services
from qingshen.experts.models import Expert, Field
from qingshen.experts.tests.helpers import make_expert, text_of
from qingshen.industries.models import Industry


@pytest.fixture
def pools(world):
    """Three made-up experts in 保定市 (two) and 石家庄市 (one), one of them stopped."""
    chemicals, metals = Industry.objects.get(code="26"), Industry.objects.get(code="33")
    a = make_expert("赵测试", fields=[Field.CLEANER_PRODUCTION, Field.ENERGY])
    a.industries.set([chemicals])
    b = make_expert("钱测试", employer="虚构设计院", fields=[Field.ENVIRONMENT], is_active=False)
    b.industries.set([metals])
    c = make_expert("孙测试", pool="130100", home="130102", fields=[Field.ENERGY])
    c.industries.set([chemicals])
    return a, b, c


def names_listed(response) -> list[str]:
    table = response.content.decode().split('id="expert-table"')[1]
    return re.findall(r'href="/experts/\d+/">([^<]+)</a>', table)


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["赵测试", "钱测试", "孙测试"]),
    ("?q=设计院", ["钱测试"]),
    ("?pool=130100", ["孙测试"]),
    ("?field=energy", ["赵测试", "孙测试"]),
    ("?field=environment", ["钱测试"]),
    ("?industry=26", ["赵测试", "孙测试"]),
    ("?is_active=false", ["钱测试"]),
    ("?is_active=true&industry=26&pool=130600", ["赵测试"]),
])
def test_the_province_lists_and_filters_every_pool(world, pools, login, query, expected):
    response = login(world.user(Role.PROVINCE)).get(f"/experts/{query}")
    assert response.status_code == 200
    assert sorted(names_listed(response)) == sorted(expected)
    assert f"符合条件的专家 {len(expected)}" in text_of(response)


def test_a_city_lists_its_own_pool_with_counts(world, pools, login):
    response = login(world.user(Role.CITY)).get("/experts/")
    assert sorted(names_listed(response)) == ["赵测试", "钱测试"]
    text = text_of(response)
    assert "在库 1 人，停用 1 人；已创建账号 0 人" in text
    assert "保定市专家库 2 1" in text and "石家庄市专家库" not in text
    assert "登记专家" in text and "导入专家" in text
    # The pool filter offers only its own pool; another city's is refused, the list stays its own.
    refused = login(world.user(Role.CITY)).get("/experts/?pool=130100")
    assert sorted(names_listed(refused)) == ["赵测试", "钱测试"] and "选择一个有效的选项" in text_of(refused)


def test_detail_shows_everything_and_the_officials_buttons(world, pools, login):
    a, _, c = pools
    a.conflict_consultancies.set([world.consultancy_org])
    a.conflict_enterprises.set([world.e_zhuozhou])
    a.phone, a.title = "0312-5987654", "教授"
    a.save()
    client = login(world.user(Role.CITY))
    response = client.get(f"/experts/{a.pk}/")
    text = text_of(response)
    for expected in ("所属专家库 保定市专家库", "所在地区 河北省 保定市 涿州市", "专业领域 清洁生产、节能",
                     "26 化学原料和化学制品制造业", "联系电话 0312-5987654", "状态 在库（可抽取）",
                     "曾服务的咨询机构 测试咨询公司", "涿州测试企业（涿州市）", "尚未创建账号", "修改记录"):
        assert expected in text, expected
    page = response.content.decode()
    assert 'id="create-account"' in page and 'id="toggle-active"' in page and 'id="edit-expert"' in page
    assert client.get(f"/experts/{c.pk}/").status_code == 404


def test_add_with_bad_input_keeps_everything_typed(world, login):
    client = login(world.user(Role.CITY))
    form = client.get("/experts/add/").content.decode()
    pool_options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>',
                              form.split('name="pool"')[1].split("</select>")[0])
    assert pool_options == [("130600", "保定市专家库")]
    response = client.post("/experts/add/", {
        "name": "", "employer": "虚构检测中心", "title": "工程师", "pool": "130600", "home_region": "130681",
        "specialties": ["energy", "process"], "industries": ["26"], "phone": "0311-12", "email": "x@example.com",
        "conflict_enterprises": [str(world.e_lianchi.pk)], "note": "测试备注"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "请填写专家姓名。" in page
    assert 'value="虚构检测中心"' in page and 'value="0311-12"' in page and "测试备注" in page
    assert re.search(r'value="energy"[^>]*checked', page) and re.search(r'value="process"[^>]*checked', page)
    assert re.search(rf'<option value="{world.e_lianchi.pk}" selected>莲池测试企业</option>', page)
    assert not Expert.objects.exists()
    fixed = client.post("/experts/add/", {
        "name": "周测试", "employer": "虚构检测中心", "pool": "130600", "home_region": "130681", "phone": "0311-12",
        "specialties": ["energy"]})
    assert "联系电话格式不正确" in fixed.content.decode()


def test_add_and_edit_through_the_form(world, login):
    client = login(world.user(Role.CITY))
    response = client.post("/experts/add/", {
        "name": "吴测试", "employer": "虚构检测中心", "title": "工程师", "pool": "130600", "home_region": "130606",
        "specialties": ["environment"], "industries": ["26", "33"], "phone": "13900139000",
        "conflict_consultancies": [str(world.consultancy_org.pk)],
        "conflict_enterprises": [str(world.e_lianchi.pk)]})
    expert = Expert.objects.get(name="吴测试")
    assert response.status_code == 302 and response["Location"] == f"/experts/{expert.pk}/"
    assert expert.fields == ["environment"] and sorted(i.code for i in expert.industries.all()) == ["26", "33"]
    assert list(expert.conflict_enterprises.all()) == [world.e_lianchi]
    edit = client.get(f"/experts/{expert.pk}/edit/").content.decode()
    assert 'name="version" value="0"' in edit and re.search(r'value="environment"[^>]*checked', edit)
    changed = client.post(f"/experts/{expert.pk}/edit/", {
        "version": "0", "name": "吴测试", "employer": "虚构检测中心", "title": "高级工程师", "pool": "130600",
        "home_region": "130606", "specialties": ["environment", "energy"], "industries": ["26"]})
    assert changed.status_code == 302
    expert.refresh_from_db()
    assert (expert.title, expert.fields, expert.version) == ("高级工程师", ["energy", "environment"], 1)
    assert list(expert.conflict_enterprises.all()) == []
    stale = client.post(f"/experts/{expert.pk}/edit/", {
        "version": "0", "name": "吴测试", "employer": "虚构检测中心", "title": "旧页面", "pool": "130600",
        "home_region": "130606"})
    assert stale.status_code == 200 and "该专家信息已被他人修改" in stale.content.decode()
    assert 'value="旧页面"' in stale.content.decode()
    duplicate = client.post("/experts/add/", {"name": "吴测试", "employer": "虚构检测中心", "pool": "130600",
                                              "home_region": "130606"})
    assert "保定市专家库已有工作单位为“虚构检测中心”的专家吴测试，请勿重复登记。" in duplicate.content.decode()


def test_a_city_cannot_post_another_pool(world, login):
    response = login(world.user(Role.CITY)).post("/experts/add/", {
        "name": "越权测试", "employer": "虚构单位", "pool": "130000", "home_region": "130681"})
    assert response.status_code == 200 and not Expert.objects.exists()
    assert "选择一个有效的选项" in response.content.decode()


def test_stop_and_start_from_the_page(world, login):
    expert = make_expert()
    client = login(world.user(Role.CITY))
    response = client.post(f"/experts/{expert.pk}/active/", {"active": "0", "version": "0"}, follow=True)
    assert "已停用专家 测试专家甲。" in text_of(response) and "停用（不参加抽取）" in text_of(response)
    stale = client.post(f"/experts/{expert.pk}/active/", {"active": "1", "version": "0"}, follow=True)
    assert "该专家信息已被他人修改" in text_of(stale)
    client.post(f"/experts/{expert.pk}/active/", {"active": "1", "version": "1"})
    assert Expert.objects.get(pk=expert.pk).is_active
    assert Event.objects.filter(action__in=("expert.activate", "expert.deactivate")).count() == 2


def test_account_from_the_page_shows_the_password_once(world, login):
    expert = make_expert()
    client = login(world.user(Role.PROVINCE))
    response = client.post(f"/experts/{expert.pk}/account/")
    assert response.status_code == 302 and response["Location"] == "/accounts/initial-password/"
    page = client.get("/accounts/initial-password/")
    password = re.search(r'id="one-time-password">([^<]+)<', page.content.decode()).group(1)
    expert.refresh_from_db()
    assert expert.user.check_password(password) and "专家 测试专家甲 的账号已创建" in text_of(page)
    assert password not in client.get("/accounts/initial-password/").content.decode()
    again = client.post(f"/experts/{expert.pk}/account/", follow=True)
    assert f"该专家已有账号 {expert.user.username}" in text_of(again)
    assert f"登录账号：{expert.user.username}" in text_of(again) and 'id="create-account"' not in again.content.decode()


@pytest.mark.parametrize(("role", "shown"), [(Role.PROVINCE, True), (Role.CITY, True), (Role.COUNTY, False),
                                              (Role.EXPERT, False), (Role.SYSADMIN, False)])
def test_the_menu_item(world, role, shown):
    labels = [item.label for group, entries in menu_for(world.user(role), "/") if group.label == "系统管理"
              for item, _, _ in entries]
    assert ("专家库" in labels) is shown


def test_an_expert_signs_in_with_its_account_and_sees_the_home_page(world, client):
    expert = make_expert()
    user, password = services.create_expert_account(world.user(Role.PROVINCE), expert)
    response = client.post("/accounts/login/", {"username": user.username, "password": password})
    assert response.status_code == 302
    assert client.get("/")["Location"] == "/accounts/password/"
    changed = client.post("/accounts/password/", {"old_password": password, "new_password1": "Zhuanjia-2026!x",
                                                  "new_password2": "Zhuanjia-2026!x"})
    assert changed.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert "您好，测试专家甲" in text_of(home) and "专家" in text_of(home)
    assert client.get("/experts/").status_code == 403
    assert not User.objects.get(pk=user.pk).must_change_password
