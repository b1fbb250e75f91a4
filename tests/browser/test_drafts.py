"""Half-filled forms survive a refresh and a session timeout (core/static/core/drafts.js).

A county official edits an enterprise (a form with data-draft): the typed values are kept by
the browser, offered back after a refresh, and after the session has expired and the post was
sent to the login page; once saved they are forgotten; signing out removes what is left.
"""

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD, department, make_enterprise, make_user
from qingshen.enterprises.models import Enterprise

pytestmark = pytest.mark.browser

OFFER = ".draft-offer"


@pytest.fixture
def editing(transactional_db):
    user = make_user("130681", department("130681"), full_name="涿州市生态环境分局")
    enterprise = make_enterprise("涿州市华北机械制造有限公司", "130681", legal_representative="张建国", employees=120)
    return user, enterprise


def sign_in(page: Page, username: str) -> None:
    page.get_by_label("登录账号").fill(username)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="立即登录").click()


def test_typed_values_survive_refresh_and_session_timeout(editing, live_server, page: Page, context):
    user, enterprise = editing
    edit_url = f"{live_server.url}/enterprises/{enterprise.pk}/edit/"
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(f"{live_server.url}/accounts/login/?next=/enterprises/{enterprise.pk}/edit/")
    sign_in(page, "130681")
    expect(page).to_have_url(edit_url)
    expect(page.locator(OFFER)).to_have_count(0)
    page.get_by_label("法定代表人").fill("李卫东")
    page.get_by_label("从业人数").fill("")  # half-filled

    # A refresh: the server shows the saved values; the typed ones are offered back.
    page.reload()
    expect(page.get_by_label("法定代表人")).to_have_value("张建国")
    expect(page.locator(OFFER)).to_contain_text("未保存的填写内容")
    page.locator(OFFER).get_by_role("button", name="恢复").click()
    expect(page.get_by_label("法定代表人")).to_have_value("李卫东")
    expect(page.get_by_label("从业人数")).to_have_value("")
    expect(page.locator(OFFER)).to_have_count(0)
    page.get_by_label("从业人数").fill("135")

    # The session expires before 保存 (its cookie is gone; the CSRF cookie stays, as it does
    # when a session times out): the post lands on the login page, nothing is saved.
    context.clear_cookies(name="sessionid")
    page.locator("#enterprise-form").get_by_role("button", name="保存").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/enterprises/{enterprise.pk}/edit/")
    assert Enterprise.objects.get(pk=enterprise.pk).legal_representative == "张建国"

    # Signing in again leads back to the form; the typed values are offered and saved.
    sign_in(page, "130681")
    expect(page).to_have_url(edit_url)
    page.locator(OFFER).get_by_role("button", name="恢复").click()
    expect(page.get_by_label("法定代表人")).to_have_value("李卫东")
    expect(page.get_by_label("从业人数")).to_have_value("135")
    page.locator("#enterprise-form").get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_be_visible()
    saved = Enterprise.objects.get(pk=enterprise.pk)
    assert (saved.legal_representative, saved.employees) == ("李卫东", 135)

    # Saved: nothing is offered any more.
    page.goto(edit_url)
    expect(page.get_by_label("法定代表人")).to_have_value("李卫东")
    expect(page.locator(OFFER)).to_have_count(0)
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('qingshen-draft:'))") == []

    # A draft left behind is removed by signing out.
    page.get_by_label("法定代表人").fill("王五")
    assert len(page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('qingshen-draft:'))")) == 1
    page.locator("form[data-clear-drafts]").evaluate("form => form.requestSubmit()")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('qingshen-draft:'))") == []
    assert problems == []
