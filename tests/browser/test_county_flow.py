"""A county department's first day, through the real UI in Debian's Chromium.

涿州市生态环境分局 (130681) receives its account with a one-time initial password, signs in,
is held on the password page until it sets a proper password, sees only the enterprises of
涿州市 in 企业名录, corrects one of them, and cannot open an enterprise of 莲池区 or 长安区.
Every page it passes is screenshotted to var/screenshots/, and each screenshotted page is
checked to render its Chinese with a real CJK font (see `assert_chinese_rendered` in conftest.py).
"""

from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from conftest import make_enterprise
from qingshen.accounts.services import create_account, create_sysadmin
from qingshen.audit_trail.models import Event
from qingshen.enterprises.models import Enterprise
from qingshen.organizations.models import Organization
from tests.browser.conftest import assert_chinese_rendered

pytestmark = pytest.mark.browser

COUNTY_CODE = "130681"
NEW_PASSWORD = "Qs-Zhuozhou-2024!"
WEAK_PASSWORD = f"Zz-{COUNTY_CODE}-abc"  # long enough and three classes, but contains the account name


@pytest.fixture
def county(transactional_db):
    """Enterprises in and around 涿州市, and 涿州's department account as the service creates it."""
    admin, _ = create_sysadmin("admin")
    own = [
        make_enterprise("涿州市华北机械制造有限公司", COUNTY_CODE, legal_representative="张建国", employees=120,
                        address="涿州市开发区华阳路 8 号"),
        make_enterprise("涿州市绿源印染有限公司", COUNTY_CODE),
    ]
    other_county = make_enterprise("保定市莲池区精细化工有限公司", "130606")
    other_city = make_enterprise("石家庄市长安区金属表面处理有限公司", "130102")
    branch = Organization.objects.get(region_id=COUNTY_CODE, kind=Organization.Kind.COUNTY_BRANCH)
    account, initial_password = create_account(admin, organization=branch, full_name="涿州市生态环境分局")
    assert account.username == COUNTY_CODE and account.must_change_password
    return SimpleNamespace(
        account=account, initial_password=initial_password, own=own,
        other_county=other_county, other_city=other_city,
    )


@pytest.fixture
def page_problems(page: Page):
    """Script errors and failed static files seen by the page, for a final check."""
    problems = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if "/static/" in r.url and r.status >= 400 else None)
    return problems


def snap(page: Page, directory, name: str) -> None:
    page.evaluate("document.fonts.ready.then(() => true)")  # the icon web font, before the picture
    page.screenshot(path=directory / f"county-{name}.png", full_page=True)


def test_county_first_sign_in_and_registry_edit(county, live_server, page, page_problems, screenshot_dir):
    site = live_server.url
    target = county.own[0]

    # 1. Sign in with the one-time initial password.
    page.goto(f"{site}/accounts/login/")
    expect(page.get_by_role("heading", name="用户登录")).to_be_visible()
    assert_chinese_rendered(page, "h2.h3")
    snap(page, screenshot_dir, "1-login")
    page.get_by_label("登录账号").fill(COUNTY_CODE)
    page.get_by_label("密码", exact=True).fill(county.initial_password)
    page.get_by_role("button", name="立即登录").click()

    # 2. Held on the password page until the initial password is replaced.
    expect(page).to_have_url(f"{site}/accounts/password/")
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("您正在使用初始密码")
    page.goto(f"{site}/enterprises/")
    expect(page).to_have_url(f"{site}/accounts/password/")
    expect(page.locator("h2.page-title")).to_have_text("修改密码")
    assert_chinese_rendered(page, "h2.page-title")
    snap(page, screenshot_dir, "2-password-change")

    current, new1, new2 = (page.get_by_label(label, exact=True) for label in ("当前密码", "新密码", "确认新密码"))
    current.fill(county.initial_password)
    new1.fill(WEAK_PASSWORD)
    new2.fill(WEAK_PASSWORD)
    page.get_by_role("button", name="修改密码").click()
    new1_block = page.locator("div.mb-3", has=new1)
    expect(new1_block.locator(".invalid-feedback")).to_contain_text("密码不能包含登录账号。")
    expect(page.locator(".alert-danger")).to_contain_text("请查看标红的项目")
    expect(page).to_have_url(f"{site}/accounts/password/")
    snap(page, screenshot_dir, "3-password-rejected")
    county.account.refresh_from_db()
    assert county.account.must_change_password and county.account.check_password(county.initial_password)

    expect(current).to_have_value("")  # password fields are not echoed back; the form is ready again
    current.fill(county.initial_password)
    new1.fill(NEW_PASSWORD)
    new2.fill(NEW_PASSWORD)
    page.get_by_role("button", name="修改密码").click()
    expect(page).to_have_url(f"{site}/")
    expect(page.locator(".alert-success")).to_have_text("密码已修改。")
    county.account.refresh_from_db()
    assert not county.account.must_change_password and county.account.check_password(NEW_PASSWORD)

    # 3. 企业名录 from the left menu: exactly 涿州's enterprises.
    page.locator("#main-menu").get_by_role("link", name="企业名录", exact=True).click()
    expect(page).to_have_url(f"{site}/enterprises/")
    names = page.locator("#enterprise-table tbody tr td:first-child")
    expect(names).to_have_count(len(county.own))
    assert sorted(names.all_inner_texts()) == sorted(e.name for e in county.own)
    for stranger in (county.other_county, county.other_city):
        expect(page.get_by_text(stranger.name)).to_have_count(0)
    assert_chinese_rendered(page, "#enterprise-table tbody td a")
    snap(page, screenshot_dir, "4-enterprise-list")

    # 4. Open one, change 法定代表人 and 从业人数, save.
    page.get_by_role("link", name=target.name).click()
    expect(page).to_have_url(f"{site}/enterprises/{target.pk}/")
    expect(page.locator("h2.page-title")).to_have_text(target.name)
    page.get_by_role("link", name="修改", exact=True).click()
    expect(page).to_have_url(f"{site}/enterprises/{target.pk}/edit/")
    expect(page.get_by_label("法定代表人")).to_have_value("张建国")
    page.get_by_label("法定代表人").fill("李卫东")
    page.get_by_label("从业人数").fill("260")
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(f"{site}/enterprises/{target.pk}/")
    expect(page.locator(".alert-success")).to_have_text(f"已保存：{target.name}")
    facts = page.locator("#enterprise-facts")

    def fact(label):
        return facts.locator(f"xpath=dt[normalize-space()='{label}']/following-sibling::dd[1]")

    expect(fact("法定代表人")).to_have_text("李卫东")
    expect(fact("从业人数")).to_have_text("260")
    expect(fact("更新时间")).to_contain_text("第 2 版")
    assert_chinese_rendered(page, "h2.page-title")
    snap(page, screenshot_dir, "5-enterprise-edited")

    edited = Enterprise.objects.get(pk=target.pk)
    assert (edited.legal_representative, edited.employees, edited.version) == ("李卫东", 260, 2)
    assert edited.address == target.address and edited.industry_id == target.industry_id
    event = Event.objects.filter(action="enterprise.update", object_id=str(target.pk)).get()
    assert event.object_type == "enterprises.enterprise"
    assert event.actor_id == county.account.pk
    assert event.changes() == [("employees", 120, 260), ("legal_representative", "张建国", "李卫东")]

    # 5. Outside the jurisdiction, enterprises do not exist.
    for stranger in (county.other_county, county.other_city):
        for path in (f"/enterprises/{stranger.pk}/", f"/enterprises/{stranger.pk}/edit/"):
            response = page.goto(f"{site}{path}")
            assert response.status == 404, path
            expect(page.locator("h2.page-title")).to_have_text("页面不存在")
            expect(page.get_by_text(stranger.name)).to_have_count(0)

    assert page_problems == []
