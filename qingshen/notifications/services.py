"""Sending messages, and reading them.

`notify()` is what the rest of the system calls (the daily reminder command, workflow steps):
one in-app message per recipient and, optionally, one SMS; the SMS goes out in the background
(`tasks.send_pending_sms`) once the transaction commits. It is idempotent by `dedupe_key`: a
recipient who already has a message with that key gets no second one, and an SMS with that key
is never recorded (so never sent) twice — rerunning the daily job is harmless.

A bad phone number is not an exception: the SMS is recorded as failed with the reason, so one
wrong number never stops a batch of reminders.
"""

import re
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from qingshen.audit_trail.services import record
from qingshen.notifications.models import Message, SmsMessage

#: A failed SMS is put back in the queue until it has been tried this many times.
MAX_ATTEMPTS = 3
#: A pending SMS older than this has lost its task (a worker stopped, a queue emptied).
STALE_PENDING = timedelta(minutes=10)
MOBILE = re.compile(r"1[3-9]\d{9}")
KIND = re.compile(r"[a-z][a-z0-9_]{0,29}")
INVALID_PHONE = "手机号码“{phone}”格式不正确（应为 11 位中国大陆手机号码），短信未发送。"


def normalize_phone(phone: str) -> str:
    """The number as the gateway wants it: spaces and hyphens dropped, and a +86 / 86 prefix."""
    digits = re.sub(r"[\s-]", "", phone or "")
    return re.sub(r"^(\+86|0086|86)(?=1\d{10}$)", "", digits)


def is_mobile(phone: str) -> bool:
    """A mainland China mobile number: 11 digits, 1 then 3–9."""
    return MOBILE.fullmatch(phone) is not None


def notify(recipients, *, kind: str, title: str, body: str, link: str = "", dedupe_key: str = "",
           sms_phone: str = "", sms_text: str = "", actor=None) -> list[Message]:
    """Send `title`/`body` to each recipient's 消息中心 and, with `sms_phone`, one SMS.

    Returns the messages created (a recipient who already had `dedupe_key` is skipped). The SMS
    text defaults to the title. `actor` is who caused it (None for the daily job); one audit
    event records each call that created anything.
    """
    if not KIND.fullmatch(kind or ""):
        raise ValueError(f"kind must be a short lower-case code, not {kind!r}")
    if not title or len(title) > 200 or len(link) > 500 or len(dedupe_key) > 200:
        raise ValueError("a message needs a title of at most 200 characters (link: 500, dedupe_key: 200)")
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(f"link must be a path on this site, not {link!r}")
    with transaction.atomic():
        messages = _create_messages(_distinct(recipients), kind=kind, title=title, body=body, link=link,
                                    dedupe_key=dedupe_key)
        sms = None
        if sms_phone:
            sms = _create_sms(sms_phone, sms_text or title, dedupe_key=dedupe_key,
                              message=messages[0] if messages else None)
        if messages or sms is not None:
            _audit(actor, kind=kind, title=title, dedupe_key=dedupe_key, messages=messages, sms=sms)
        if sms is not None and sms.status == SmsMessage.Status.PENDING:
            from qingshen.notifications.tasks import send_pending_sms

            sms_id = sms.pk
            transaction.on_commit(lambda: send_pending_sms.enqueue([sms_id]))
    return messages


def _distinct(recipients) -> list:
    seen, result = set(), []
    for user in recipients:
        if user.pk not in seen:
            seen.add(user.pk)
            result.append(user)
    return result


def _create_messages(recipients, *, dedupe_key, **fields) -> list[Message]:
    if not dedupe_key:
        return Message.objects.bulk_create([Message(recipient=user, **fields) for user in recipients])
    already = set(Message.objects.filter(dedupe_key=dedupe_key, recipient__in=recipients)
                  .values_list("recipient_id", flat=True))
    created = []
    for user in recipients:
        if user.pk in already:
            continue
        try:
            with transaction.atomic():  # another worker may have just created it
                created.append(Message.objects.create(recipient=user, dedupe_key=dedupe_key, **fields))
        except IntegrityError:
            continue
    return created


def _create_sms(phone, text, *, dedupe_key, message) -> SmsMessage | None:
    """The SMS row (pending, or failed at once for a bad number); None if `dedupe_key` already has one."""
    if dedupe_key and SmsMessage.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    number = normalize_phone(phone)
    sms = SmsMessage(phone=number[:20], text=text, dedupe_key=dedupe_key, message=message)
    if not is_mobile(number):
        sms.status = SmsMessage.Status.FAILED
        sms.error = INVALID_PHONE.format(phone=phone)[:500]
    try:
        with transaction.atomic():
            sms.save()
    except IntegrityError:  # recorded meanwhile by a concurrent call
        return None
    return sms


def _audit(actor, *, kind, title, dedupe_key, messages, sms):
    sms_said = "无" if sms is None else ("待发送" if sms.status == SmsMessage.Status.PENDING else "号码错误未发送")
    record("notification.notify", actor=actor, object_repr=title,
           summary=f"发送消息「{title}」：站内消息 {len(messages)} 条，短信{sms_said}",
           after={"kind": kind, "dedupe_key": dedupe_key, "recipients": [m.recipient_id for m in messages],
                  "messages": [m.pk for m in messages], "sms": sms.pk if sms else None,
                  "sms_status": sms.status if sms else None})


def mark_read(user, message: Message) -> Message:
    """Mark one of the user's messages read (reading it again keeps the first time)."""
    if message.recipient_id != user.pk:
        raise PermissionDenied("这不是您的消息。")
    if message.read_at is None:
        now = timezone.now()
        if Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now):
            message.read_at = now
        else:
            message.refresh_from_db(fields=["read_at"])
    return message


def mark_all_read(user) -> int:
    """Mark all the user's unread messages read; returns how many there were."""
    return Message.objects.restrict(user).unread().update(read_at=timezone.now())


def unread_count(user) -> int:
    return Message.objects.restrict(user).unread().count()


def requeue_sms(actor=None) -> list[int]:
    """Put back in the queue the SMS worth another try: failed after fewer than MAX_ATTEMPTS
    tries, and pending ones whose task was lost. A number refused as malformed (never tried,
    attempts 0) is not retried: trying again cannot fix it. Returns the SMS ids queued."""
    from qingshen.notifications.tasks import send_pending_sms

    with transaction.atomic():
        failed = list(SmsMessage.objects.select_for_update()
                      .filter(status=SmsMessage.Status.FAILED, attempts__gte=1, attempts__lt=MAX_ATTEMPTS)
                      .values_list("pk", flat=True))
        stale = list(SmsMessage.objects.filter(status=SmsMessage.Status.PENDING,
                                               created_at__lt=timezone.now() - STALE_PENDING)
                     .values_list("pk", flat=True))
        if not failed and not stale:
            return []
        SmsMessage.objects.filter(pk__in=failed).update(status=SmsMessage.Status.PENDING)
        ids = sorted(failed + stale)
        record("sms.requeue", actor=actor, summary=f"重新发送短信 {len(ids)} 条（失败 {len(failed)}，滞留 {len(stale)}）",
               after={"failed": sorted(failed), "stale": sorted(stale)})
        transaction.on_commit(lambda: send_pending_sms.enqueue(ids))
    return ids
