"""激活账号: the enterprise sets its password with the one-time code printed on its letter.

`notices.services.activate` does the work and counts wrong codes per letter (five kill the
code). This module stands in front of it, for the page, so that

- a stranger cannot probe account names: an unknown account, an account without a live code
  and an already activated one answer a wrong code exactly as a real letter does — the same
  words, the same countdown (kept per typed name), about the same time (one hash check);
- whoever types the *right* code of an already activated account is told so, and nobody else;
- one address cannot try without end: after `MAX_FAILURES_PER_ADDRESS` wrong tries in
  `WINDOW` it must wait, whichever names it typed (wrong tries refused this way count against
  no letter).

Every try is kept in `ActivationAttempt`; every failure is also in the audit trail.
"""

import hashlib
import hmac
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qingshen.audit_trail.services import record
from qingshen.core import context
from qingshen.notices import services as notices
from qingshen.notices.models import NoticeLetter
from qingshen.projects.models import ActivationAttempt

# The service's words (notices.services.activate); test_activation checks they still match.
WRONG = "登录账户或激活码不正确。"
DEAD = "激活码已因多次输错失效，请联系所在地生态环境分局重新生成告知书。"
ALREADY_ACTIVE = "该账号已经激活，请直接使用激活时设置的密码登录。忘记密码的，请联系所在地生态环境分局重置。"
TOO_MANY = "本机激活尝试次数过多，请 {minutes} 分钟后再试。"

MAX_FAILURES_PER_ADDRESS = 10
WINDOW = timedelta(minutes=15)


class ActivationRefused(ValidationError):
    """A refusal about the account or code (shown above the form); password problems are
    plain ValidationErrors from the password validators."""


def wrong_code_message(failures: int) -> str:
    """What the service says after the n-th wrong code of a letter."""
    left = notices.MAX_ACTIVATION_FAILURES - failures
    return f"{WRONG}还可尝试 {left} 次。" if left > 0 else DEAD


def account_digest(username: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), username.encode(), hashlib.sha256).hexdigest()


@cache
def _decoy_hash() -> str:
    """A hash to check wrong codes against when there is no live letter, so that both paths
    cost one hash check."""
    return make_password(notices.new_activation_code())


def _address() -> str:
    request = context.current()
    return (request.ip_address or "") if request else ""


def _live_letter(username: str) -> NoticeLetter | None:
    """The letter the service would use (the newest of the account), or None."""
    return NoticeLetter.objects.filter(account__username=username).order_by("-generated_at").first()


def throttled(address: str) -> bool:
    since = timezone.now() - WINDOW
    return ActivationAttempt.objects.filter(
        ip_address=address, succeeded=False, attempted_at__gte=since).count() >= MAX_FAILURES_PER_ADDRESS


def activate(username: str, code: str, new_password: str):
    """Activate the account (returns the user) or raise ActivationRefused / ValidationError."""
    username = username.strip()
    address = _address()
    digest = account_digest(username)
    if throttled(address):
        raise ActivationRefused(TOO_MANY.format(minutes=int(WINDOW.total_seconds() // 60)))
    letter = _live_letter(username)
    if letter is not None and letter.activation_code_hash and letter.activated_at is None:
        code_hash = letter.activation_code_hash
        try:
            account = notices.activate(username, code, new_password)
        except notices.ActivationError as exc:
            _remember(address, digest, letter=letter)
            raise ActivationRefused(exc.messages[0]) from exc
        _remember(address, digest, letter=letter, succeeded=True, spent_code_hash=code_hash)
        return account
    spent = _spent_code_hash(letter) if letter is not None and letter.activated_at is not None else ""
    earlier = ActivationAttempt.objects.filter(account_digest=digest, letter__isnull=True, succeeded=False).count()
    if earlier >= notices.MAX_ACTIVATION_FAILURES and not spent:
        raise ActivationRefused(DEAD)  # as a dead letter: no hash check
    # Otherwise exactly one hash check, as for a live letter, so the time taken tells nothing.
    if check_password(_normalise(code), spent or _decoy_hash()) and spent:
        raise ActivationRefused(ALREADY_ACTIVE)
    if earlier >= notices.MAX_ACTIVATION_FAILURES:
        raise ActivationRefused(DEAD)
    _remember(address, digest)
    record("account.activation_failed", summary="激活失败：（不存在、未发放激活码或已激活的账号）")
    raise ActivationRefused(wrong_code_message(earlier + 1))


def _spent_code_hash(letter) -> str:
    success = ActivationAttempt.objects.filter(letter=letter, succeeded=True).exclude(spent_code_hash="").first()
    return success.spent_code_hash if success is not None else ""


def _normalise(code: str) -> str:
    """As the service reads a typed code: upper case, no spaces, dashes after 4 and 8."""
    normalised = code.strip().upper().replace(" ", "")
    if len(normalised) == 12 and "-" not in normalised:
        normalised = f"{normalised[:4]}-{normalised[4:8]}-{normalised[8:]}"
    return normalised


def _remember(address, digest, *, letter=None, succeeded=False, spent_code_hash=""):
    with transaction.atomic():
        ActivationAttempt.objects.create(ip_address=address, account_digest=digest, letter=letter,
                                         succeeded=succeeded, spent_code_hash=spent_code_hash)
