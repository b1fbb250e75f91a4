"""The registry's pages: list with filters and pagination, detail, create/edit form,
and creating an enterprise's account from its detail page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_enterprise
from qingshen.accounts.models import User
from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.enterprises import services
from qingshen.enterprises.models import Enterprise
from qingshen.enterprises.tests.helpers import FAKE_USCC_1, FAKE_USCC_2, messages_of, page_text
from qingshen.industries.models import Industry
from qingshen.organizations.models import Organization
from qingshen.regions.models import Region


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {e.name for e in response.context["object_list"]}


def bulk_enterprises(count, region_code, prefix):
    """`count` made-up enterprises in one county, in one query."""
    region = Region.objects.get(code=region_code)
    industry = Industry.objects.get(code="3360")
    rows = []
    for number in range(count):
        enterprise = Enterprise(name=f"{prefix}{number:03d}", region=region, industry=industry)
        enterprise.set_scope_from_region(region)
        rows.append(enterprise)
    Enterprise.objects.bulk_create(rows)


# --- list ------------------------------------------------------------------------------------

@pytest.fixture
def filter_world(world):
    """Made-up enterprises in 涿州市 (the county user's) and one in 莲池区 that matches every filter."""
    make_enterprise("过滤测试甲", "130681", uscc=FAKE_USCC_1, industry=Industry.objects.get(code="1522"),
                    double_exceed=True, permit_category="key")
    make_enterprise("过滤测试乙", "130681", double_toxic=True, status="suspended", permit_category="simplified")
    make_enterprise("过滤测试丙", "130681", industry=Industry.objects.get(code="3311"), water_related=False,
                    in_approved_park=True, centralized_treatment=True, status="closed")
    make_enterprise("过滤测试丁", "130606", uscc=FAKE_USCC_2, double_exceed=True, double_toxic=True,
                    water_related=False, in_approved_park=True, centralized_treatment=True, status="closed",
                    permit_category="key", industry=Industry.objects.get(code="1522"))
    return world


COUNTY_FILTER_CASES = [
    ("", {"涿州测试企业", "过滤测试甲", "过滤测试乙", "过滤测试丙"}),
    ("q=过滤测试", {"过滤测试甲", "过滤测试乙", "过滤测试丙"}),
    ("q=丙", {"过滤测试丙"}),
    (f"q={FAKE_USCC_1[:8].lower()}", {"过滤测试甲"}),
    (f"q={FAKE_USCC_2}", set()),  # 丁's code: another county
    ("region=130681", {"涿州测试企业", "过滤测试甲", "过滤测试乙", "过滤测试丙"}),
    ("division=33", {"涿州测试企业", "过滤测试乙", "过滤测试丙"}),
    ("division=15", {"过滤测试甲"}),
    ("industry_code=331", {"过滤测试丙"}),
    ("double_exceed=true", {"过滤测试甲"}),
    ("double_exceed=false", {"涿州测试企业", "过滤测试乙", "过滤测试丙"}),
    ("double_toxic=true", {"过滤测试乙"}),
    ("water_related=false", {"过滤测试丙"}),
    ("in_approved_park=true", {"过滤测试丙"}),
    ("centralized_treatment=true", {"过滤测试丙"}),
    ("status=suspended", {"过滤测试乙"}),
    ("status=closed", {"过滤测试丙"}),
    ("status=running", {"涿州测试企业", "过滤测试甲"}),
    ("permit_category=key", {"过滤测试甲"}),
    ("permit_category=simplified", {"过滤测试乙"}),
    ("division=33&double_toxic=true", {"过滤测试乙"}),
]


def test_county_list_filters_stay_inside_the_county(filter_world, login):
    """Every filter, alone and combined, as the county (one world for all the cases, to stay fast)."""
    client = login(filter_world.user(Role.COUNTY))
    shown = {query: listed(client.get(f"/enterprises/?{query}")) for query, _ in COUNTY_FILTER_CASES}
    assert shown == dict(COUNTY_FILTER_CASES)


def test_filtering_on_a_region_outside_the_jurisdiction_shows_nothing_from_there(filter_world, login):
    response = login(filter_world.user(Role.COUNTY)).get("/enterprises/?region=130606")
    assert "过滤测试丁" not in listed(response) and "莲池测试企业" not in listed(response)
    assert response.context["filterset"].form.errors["region"]
    assert [r.code for r in response.context["filterset"].form.fields["region"].queryset] == ["130681"]


def test_city_filters_by_county_and_province_sees_everything(filter_world, login):
    client = login(filter_world.user(Role.CITY))
    assert listed(client.get("/enterprises/?region=130606")) == {"莲池测试企业", "过滤测试丁"}
    assert listed(client.get("/enterprises/?double_exceed=true")) == {"过滤测试甲", "过滤测试丁"}
    assert "长安测试企业" not in listed(client.get("/enterprises/"))
    province = login(filter_world.user(Role.PROVINCE))
    assert listed(province.get("/enterprises/?q=测试企业")) == {"涿州测试企业", "莲池测试企业", "长安测试企业", "定州测试企业"}


@pytest.mark.parametrize("role, expected", [
    (Role.ENTERPRISE, {"涿州测试企业"}),
    (Role.CONSULTANCY, {"涿州测试企业"}),  # delegated to it
    (Role.PERMIT_AUTHORITY, {"涿州测试企业", "莲池测试企业"}),  # 保定市's permit authority
])
def test_other_roles_list_only_their_own_rows(world, login, role, expected):
    assert listed(login(world.user(role)).get("/enterprises/")) == expected


def test_list_pages_by_50_and_keeps_the_filter_in_the_page_links(world, login):
    bulk_enterprises(55, "130681", "分页测试企业")
    bulk_enterprises(3, "130606", "分页测试企业莲池")
    client = login(world.user(Role.COUNTY))
    first = client.get("/enterprises/?q=分页")
    assert len(listed(first)) == 50
    assert "共 55 条记录，第 1 / 2 页" in page_text(first)
    assert 'href="?q=%E5%88%86%E9%A1%B5&page=2"' in first.content.decode()
    second = client.get("/enterprises/?q=分页&page=2")
    assert listed(second) == {f"分页测试企业{n:03d}" for n in range(50, 55)}
    assert "共 55 条记录，第 2 / 2 页" in page_text(second)


def test_list_runs_the_same_number_of_queries_for_5_or_50_enterprises(world, login):
    client = login(world.user(Role.COUNTY))
    client.get("/enterprises/")  # warm-up: session, permissions

    def queries_for_list():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/enterprises/")
        assert response.status_code == 200
        return len(captured), len(response.context["object_list"])

    bulk_enterprises(4, "130681", "少量测试企业")
    few, shown_few = queries_for_list()
    bulk_enterprises(45, "130681", "大量测试企业")
    many, shown_many = queries_for_list()
    assert (shown_few, shown_many) == (5, 50)
    assert few == many, (few, many)


def test_list_shows_the_export_import_and_add_buttons_by_permission(world, login):
    page = login(world.user(Role.COUNTY)).get("/enterprises/?status=running").content.decode()
    assert 'id="export-button"' in page and "导入企业" in page and "新增企业" in page
    assert '<input type="hidden" name="query" value="status=running">' in page
    page = login(world.user(Role.ENTERPRISE)).get("/enterprises/").content.decode()
    assert 'id="export-button"' not in page and "导入企业" not in page and "新增企业" not in page


# --- detail ----------------------------------------------------------------------------------

def test_detail_shows_the_enterprise_and_hides_other_jurisdictions(world, login):
    client = login(world.user(Role.COUNTY))
    response = client.get(f"/enterprises/{world.e_zhuozhou.pk}/")
    text = page_text(response)
    assert "涿州测试企业" in text
    assert "河北省 保定市 涿州市" in text
    assert "33 | 金属制品业 336 | 金属表面处理及热处理加工 3360 | 金属表面处理及热处理加工" in text
    assert client.get(f"/enterprises/{world.e_lianchi.pk}/").status_code == 404
    assert login(world.user(Role.ENTERPRISE)).get(f"/enterprises/{world.e_lianchi.pk}/").status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, world):
    for url in ("/enterprises/", f"/enterprises/{world.e_zhuozhou.pk}/", "/enterprises/add/",
                f"/enterprises/{world.e_zhuozhou.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


# --- the form --------------------------------------------------------------------------------

def form_data(enterprise=None, **overrides):
    """What the browser posts: the enterprise's current values, with the user's changes."""
    data = {"name": "", "uscc": "", "region": "", "town": "", "village": "", "address": "",
            "legal_representative": "", "industry": "", "nature": "", "employees": "", "working_days": "",
            "status": "running", "permit_number": "", "permit_category": "", "version": ""}
    if enterprise is not None:
        data.update(
            name=enterprise.name, uscc=enterprise.uscc or "", region=enterprise.region_id,
            address=enterprise.address, legal_representative=enterprise.legal_representative,
            industry=enterprise.industry_id or "", status=enterprise.status, version=enterprise.version,
        )
        for flag in ("double_exceed", "double_toxic", "water_related", "in_approved_park", "centralized_treatment"):
            if getattr(enterprise, flag):
                data[flag] = "on"
    data.update(overrides)
    return data


def test_county_adds_an_enterprise_through_the_form(world, login):
    client = login(world.user(Role.COUNTY))
    form = client.get("/enterprises/add/").context["form"]
    assert [r.code for r in form.fields["region"].queryset] == ["130681"]
    response = client.post("/enterprises/add/", form_data(
        name=" 表单新增测试企业 ", uscc=FAKE_USCC_1.lower(), region="130681", industry="1522", employees="12",
        double_exceed="on"), follow=True)
    enterprise = Enterprise.objects.get(name="表单新增测试企业")
    assert response.redirect_chain[-1][0] == f"/enterprises/{enterprise.pk}/"
    assert "已保存：表单新增测试企业" in messages_of(response)
    assert (enterprise.uscc, enterprise.industry_id, enterprise.employees, enterprise.double_exceed) == (
        FAKE_USCC_1, "1522", 12, True)
    assert Event.objects.for_object(enterprise).get().action == "enterprise.create"


def test_form_refuses_a_county_outside_the_jurisdiction(world, login):
    response = login(world.user(Role.COUNTY)).post("/enterprises/add/", form_data(name="越界表单测试企业", region="130606"))
    assert response.status_code == 200
    assert response.context["form"].errors["region"] == ["选择一个有效的选项： 该选择不在可用的选项中。"]
    assert not Enterprise.objects.filter(name="越界表单测试企业").exists()


def test_half_filled_form_keeps_what_was_typed(world, login):
    response = login(world.user(Role.COUNTY)).post("/enterprises/add/", form_data(
        name="半填测试企业", address="涿州市半填路 8 号", employees="很多", uscc="91130681MA00000017"))
    assert response.status_code == 200
    page = response.content.decode()
    errors = response.context["form"].errors
    assert errors["region"] == ["该字段是必填项。"]
    assert errors["employees"] == ["输入整数。"]
    assert errors["uscc"] == ["统一社会信用代码校验位错误，请核对。"]
    assert "表单有 3 处需要修改，请查看标红的项目。您已填写的内容都已保留。" in page_text(response)
    for typed in ('value="半填测试企业"', 'value="涿州市半填路 8 号"', 'value="很多"', 'value="91130681MA00000017"'):
        assert typed in page
    assert not Enterprise.objects.filter(name="半填测试企业").exists()


def test_stale_edit_form_is_shown_again_with_the_typed_values_and_the_chinese_message(world, login):
    client = login(world.user(Role.COUNTY))
    url = f"/enterprises/{world.e_zhuozhou.pk}/edit/"
    loaded = client.get(url)
    assert loaded.context["form"]["version"].value() == 1
    # meanwhile the city bureau saves a change
    services.update_enterprise(world.user(Role.CITY), world.e_zhuozhou, expected_version=1, address="市局改的地址")

    response = client.post(url, form_data(world.e_zhuozhou, version=1, address="县局填写的地址", legal_representative="县局填写的法人"))

    assert response.status_code == 200
    assert "该企业信息已被他人修改。请刷新页面查看最新内容后再保存；您填写的内容仍保留在下方。" in page_text(response)
    page = response.content.decode()
    assert 'value="县局填写的地址"' in page and 'value="县局填写的法人"' in page
    world.e_zhuozhou.refresh_from_db()
    assert (world.e_zhuozhou.address, world.e_zhuozhou.legal_representative, world.e_zhuozhou.version) == (
        "市局改的地址", "", 2)
    # after reloading, the edit goes through
    reloaded = client.get(url)
    assert reloaded.context["form"]["version"].value() == 2
    done = client.post(url, form_data(world.e_zhuozhou, address="县局填写的地址"))
    assert done.status_code == 302
    world.e_zhuozhou.refresh_from_db()
    assert (world.e_zhuozhou.address, world.e_zhuozhou.version) == ("县局填写的地址", 3)


def test_edit_form_shows_uniqueness_errors_and_keeps_the_typed_values(world, login):
    services.update_enterprise(world.user(Role.PROVINCE), world.e_lianchi, uscc=FAKE_USCC_1)
    make_enterprise("同县另一测试企业", "130681")
    client = login(world.user(Role.COUNTY))
    url = f"/enterprises/{world.e_zhuozhou.pk}/edit/"
    response = client.post(url, form_data(world.e_zhuozhou, uscc=FAKE_USCC_1, address="唯一性测试地址"))
    assert "该统一社会信用代码已登记在其他企业名下，请核实。" in page_text(response)
    assert 'value="唯一性测试地址"' in response.content.decode()
    response = client.post(url, form_data(world.e_zhuozhou, name="同县另一测试企业"))
    assert "涿州市已有名为“同县另一测试企业”的企业。" in page_text(response)
    world.e_zhuozhou.refresh_from_db()
    assert (world.e_zhuozhou.name, world.e_zhuozhou.uscc, world.e_zhuozhou.version) == ("涿州测试企业", None, 1)


def test_editing_an_enterprise_registered_by_division_keeps_its_division(world, login):
    enterprise = make_enterprise("大类测试企业", "130681", industry=Industry.objects.get(code="35"))
    client = login(world.user(Role.COUNTY))
    response = client.post(f"/enterprises/{enterprise.pk}/edit/", form_data(enterprise, address="新地址"))
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.industry_id, enterprise.address) == ("35", "新地址")
    assert "待补充小类" in page_text(client.get(f"/enterprises/{enterprise.pk}/"))


def test_edit_needs_the_permission_and_the_jurisdiction(world, login):
    assert login(world.user(Role.ENTERPRISE)).get(f"/enterprises/{world.e_zhuozhou.pk}/edit/").status_code == 403
    assert login(world.user(Role.ENTERPRISE)).get("/enterprises/add/").status_code == 403
    county = login(world.user(Role.COUNTY))
    assert county.get(f"/enterprises/{world.e_lianchi.pk}/edit/").status_code == 404
    assert county.post(f"/enterprises/{world.e_lianchi.pk}/edit/", form_data(world.e_lianchi, address="x")).status_code == 404
    world.e_lianchi.refresh_from_db()
    assert world.e_lianchi.address == ""


# --- the enterprise's account ----------------------------------------------------------------

def test_county_creates_the_enterprise_account_and_sees_its_password_once(world, login):
    enterprise = make_enterprise("开户测试企业", "130681", uscc=FAKE_USCC_1)
    client = login(world.user(Role.COUNTY))
    detail = client.get(f"/enterprises/{enterprise.pk}/")
    assert "尚未创建企业账号。" in page_text(detail) and "创建企业账号" in page_text(detail)

    response = client.post(f"/enterprises/{enterprise.pk}/account/")
    assert response.status_code == 302 and response["Location"] == "/accounts/initial-password/"
    shown = client.get("/accounts/initial-password/")
    page = shown.content.decode()
    username = re.search(r'id="one-time-username">([^<]+)<', page).group(1)
    password = re.search(r'id="one-time-password">([^<]+)<', page).group(1)
    assert username == "QY1306810002"  # QY + region code + sequence (QY1306810001 exists)
    assert "开户测试企业 的企业账号已创建" in page_text(shown)

    account = User.objects.get(username=username)
    organization = account.organization
    assert (organization.kind, organization.enterprise, organization.account_code, organization.uscc) == (
        Organization.Kind.ENTERPRISE, enterprise, "QY1306810002", FAKE_USCC_1)
    assert account.role == Role.ENTERPRISE and account.is_department_account and account.must_change_password
    assert account.check_password(password)
    assert len(password) >= 12

    again = client.get("/accounts/initial-password/")
    assert password not in again.content.decode()
    assert "初始密码只显示一次，已不能再次查看。" in page_text(again)

    detail = page_text(client.get(f"/enterprises/{enterprise.pk}/"))
    assert "QY1306810002（主账号）" in detail and "创建企业账号" not in detail

    actions = set(Event.objects.values_list("action", flat=True))
    assert {"organization.create", "account.create"} <= actions
    assert not any(password in str(e.after) for e in Event.objects.all())


def test_second_account_for_the_same_enterprise_is_refused(world, login):
    enterprise = make_enterprise("二次开户测试企业", "130681")
    client = login(world.user(Role.COUNTY))
    client.post(f"/enterprises/{enterprise.pk}/account/")
    response = client.post(f"/enterprises/{enterprise.pk}/account/", follow=True)
    assert response.redirect_chain[-1][0] == f"/enterprises/{enterprise.pk}/"
    assert "该单位已有主账号，可重置其密码或添加工作人员账号。" in messages_of(response)
    assert Organization.objects.filter(enterprise=enterprise).count() == 1
    assert User.objects.filter(organization__enterprise=enterprise).count() == 1


def test_account_codes_follow_the_enterprises_county(world, login):
    enterprise = make_enterprise("莲池开户测试企业", "130606")
    login(world.user(Role.CITY)).post(f"/enterprises/{enterprise.pk}/account/")
    assert Organization.objects.get(enterprise=enterprise).account_code == "QY1306060002"


def test_account_creation_needs_permission_and_jurisdiction(world, login):
    enterprise = make_enterprise("无权开户测试企业", "130606")
    assert login(world.user(Role.COUNTY)).post(f"/enterprises/{enterprise.pk}/account/").status_code == 404
    assert login(world.user(Role.ENTERPRISE)).post(f"/enterprises/{enterprise.pk}/account/").status_code == 403
    assert login(world.user(Role.PERMIT_AUTHORITY)).post(f"/enterprises/{enterprise.pk}/account/").status_code == 403
    assert not Organization.objects.filter(enterprise=enterprise).exists()
