"""激活账号: the enterprise's first sign-in with the code printed on its letter."""

import pytest
from django.contrib.auth import SESSION_KEY

from qingshen.accounts.models import User
from qingshen.audit_trail.models import Event
from qingshen.notices import services as notices
from qingshen.notices.models import NoticeLetter
from qingshen.projects import activation
from qingshen.projects.models import ActivationAttempt
from qingshen.projects.tests.conftest import sign_in

URL = "/projects/activate/"
NEW_PASSWORD = "Qingshen-2021!ok"
WRONG_CODE = "AAAA-BBBB-CCCC"


def post(client, username, code, password=NEW_PASSWORD, password2=None, address="10.0.0.1"):
    return client.post(URL, {"username": username, "code": code, "new_password1": password,
                             "new_password2": password if password2 is None else password2},
                       REMOTE_ADDR=address)


def errors(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return list(response.context["form"].non_field_errors())


def test_the_page_asks_for_the_letters_account_and_code(notified, client):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for words in ("激活企业账号", "登录账户", "激活码", "新密码", "确认新密码", "激活并登录", "连续输错 5 次即失效"):
        assert words in page


def test_the_right_code_sets_the_password_signs_in_and_goes_to_the_tasks(notified, client):
    response = post(client, "QY1306060001", notified.lianchi_code)
    assert response.status_code == 302 and response["Location"] == "/projects/tasks/"
    account = User.objects.get(username="QY1306060001")
    assert client.session[SESSION_KEY] == str(account.pk)
    assert account.check_password(NEW_PASSWORD) and not account.must_change_password
    letter = NoticeLetter.objects.get(pk=notified.lianchi_letter.pk)
    assert letter.activated_at is not None and letter.activation_code_hash == ""
    assert Event.objects.filter(action="account.activate", actor=account).exists()
    assert ActivationAttempt.objects.filter(letter=letter, succeeded=True).count() == 1
    page = client.get("/projects/tasks/").content.decode()
    assert "账号已激活" in page
    # …and the new password signs in on the login page.
    client.logout()
    response = client.post("/accounts/login/", {"username": "QY1306060001", "password": NEW_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def test_the_code_may_be_typed_in_lower_case_without_dashes(notified, client):
    typed = notified.lianchi_code.replace("-", "").lower()
    assert post(client, " QY1306060001 ", typed).status_code == 302


def test_wrong_codes_count_down_then_the_code_is_dead(notified, client):
    seen = [errors(post(client, "QY1306060001", WRONG_CODE))[0] for _ in range(5)]
    assert seen == [f"登录账户或激活码不正确。还可尝试 {n} 次。" for n in (4, 3, 2, 1)] + [activation.DEAD]
    # Dead: even the right code no longer works; the county must regenerate the letter.
    assert errors(post(client, "QY1306060001", notified.lianchi_code)) == [activation.DEAD]
    assert not User.objects.get(username="QY1306060001").has_usable_password()
    assert NoticeLetter.objects.get(pk=notified.lianchi_letter.pk).activation_failures == 5
    assert Event.objects.filter(action="account.activation_failed").count() == 5


def test_the_page_uses_the_services_words():
    assert activation.wrong_code_message(1) == "登录账户或激活码不正确。还可尝试 4 次。"
    assert notices.MAX_ACTIVATION_FAILURES == 5


@pytest.mark.parametrize("username", [
    "QY1306069999",  # no such account
    "QY1306810001",  # 涿州测试企业: already activated (by CampaignWorld, through the service)
    "130681",  # a department account: no letter at all
])
def test_a_stranger_cannot_tell_accounts_apart(notified, client, username):
    """An unknown name, an activated account and a real letter answer wrong codes alike."""
    real = [errors(post(client, "QY1306060001", WRONG_CODE, address="10.0.0.1"))[0] for _ in range(6)]
    other = [errors(post(client, username, WRONG_CODE, address="10.0.0.2"))[0] for _ in range(6)]
    assert other == real
    assert real[-1] == activation.DEAD


def test_unknown_names_are_not_written_down(notified, client):
    post(client, "mysecretpassword", WRONG_CODE)
    event = Event.objects.filter(action="account.activation_failed").latest("seq")
    assert "mysecretpassword" not in f"{event.summary} {event.after} {event.object_repr}"
    attempt = ActivationAttempt.objects.latest("pk")
    assert attempt.account_digest != "mysecretpassword" and len(attempt.account_digest) == 64


def test_the_right_code_again_says_already_activated(notified, client):
    assert post(client, "QY1306060001", notified.lianchi_code).status_code == 302
    client.logout()
    assert errors(post(client, "QY1306060001", notified.lianchi_code)) == [activation.ALREADY_ACTIVE]
    # A wrong code for the activated account tells nothing.
    assert errors(post(client, "QY1306060001", WRONG_CODE)) == ["登录账户或激活码不正确。还可尝试 4 次。"]


def test_a_second_click_after_success_goes_to_the_tasks(notified, client):
    assert post(client, "QY1306060001", notified.lianchi_code).status_code == 302
    response = post(client, "QY1306060001", notified.lianchi_code)  # still signed in
    assert response.status_code == 302 and response["Location"] == "/projects/tasks/"
    assert ActivationAttempt.objects.filter(succeeded=True).count() == 1


def test_a_weak_password_shows_the_rules_and_spends_nothing(notified, client):
    response = post(client, "QY1306060001", notified.lianchi_code, password="12345678")
    assert response.status_code == 200
    messages = response.context["form"].errors["new_password1"]
    assert any("10" in m for m in messages), messages
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in messages), messages  # in Chinese
    letter = NoticeLetter.objects.get(pk=notified.lianchi_letter.pk)
    assert letter.activation_failures == 0 and letter.activated_at is None
    # The password fields are not sent back; the account and code are kept.
    page = response.content.decode()
    assert "12345678" not in page and notified.lianchi_code in page
    assert post(client, "QY1306060001", notified.lianchi_code).status_code == 302


def test_a_password_containing_the_account_name_is_refused(notified, client):
    response = post(client, "QY1306060001", notified.lianchi_code, password="Qy1306060001-abc")
    assert response.status_code == 200 and response.context["form"].errors["new_password1"]


def test_the_two_passwords_must_match(notified, client):
    response = post(client, "QY1306060001", notified.lianchi_code, password2="Something-else-1")
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"] == ["两次输入的新密码不一致。"]
    assert NoticeLetter.objects.get(pk=notified.lianchi_letter.pk).activation_failures == 0


def test_empty_fields_are_named(notified, client):
    response = client.post(URL, {}, REMOTE_ADDR="10.0.0.1")
    assert set(response.context["form"].errors) == {"username", "code", "new_password1", "new_password2"}
    assert not ActivationAttempt.objects.exists()


def test_one_address_is_throttled_whatever_names_it_tries(notified, client):
    for n in range(activation.MAX_FAILURES_PER_ADDRESS):
        post(client, f"QY13060699{n:02d}", WRONG_CODE, address="10.9.9.9")
    refused = errors(post(client, "QY1306060001", notified.lianchi_code, address="10.9.9.9"))
    assert refused == ["本机激活尝试次数过多，请 15 分钟后再试。"]
    # Refusals by the throttle count against no letter; another address goes through.
    assert NoticeLetter.objects.get(pk=notified.lianchi_letter.pk).activation_failures == 0
    assert post(client, "QY1306060001", notified.lianchi_code, address="10.1.1.1").status_code == 302


def test_the_throttle_forgets_after_its_window(notified, client):
    from datetime import timedelta

    from django.utils import timezone

    for n in range(activation.MAX_FAILURES_PER_ADDRESS):
        post(client, f"QY13060699{n:02d}", WRONG_CODE, address="10.9.9.9")
    ActivationAttempt.objects.update(attempted_at=timezone.now() - activation.WINDOW - timedelta(seconds=1))
    assert post(client, "QY1306060001", notified.lianchi_code, address="10.9.9.9").status_code == 302


def test_a_signed_in_user_may_still_open_the_page(notified, client):
    sign_in(client, notified.other_city_user)
    assert client.get(URL).status_code == 200
