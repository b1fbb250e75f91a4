"""Sending SMS in the background (django.tasks; `manage.py db_worker` runs them).

Each SMS is sent while its row is locked, and only if it is still pending: a retried task, a
task enqueued twice or a second worker finds it sent (or failed) and leaves it alone, so no
SMS goes out twice. A failure is recorded on the row with its reason; `manage.py retry_sms`
puts failed ones back in the queue.
"""

import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from qingshen.notifications.models import SmsMessage
from qingshen.notifications.senders import SendError, get_sender

logger = logging.getLogger(__name__)


@task()
def send_pending_sms(sms_ids: list[int]) -> dict:
    """Send each of these SMS that is still pending; returns how many were sent, failed, skipped."""
    sender = get_sender()
    outcome = {"sent": 0, "failed": 0, "skipped": 0}
    for sms_id in sms_ids:
        outcome[_send_one(sender, sms_id)] += 1
    return outcome


def _send_one(sender, sms_id: int) -> str:
    with transaction.atomic():
        sms = SmsMessage.objects.select_for_update().filter(pk=sms_id, status=SmsMessage.Status.PENDING).first()
        if sms is None:
            return "skipped"
        sms.attempts += 1
        sms.sender = sender.name
        try:
            provider_message_id = sender.send(sms.phone, sms.text)
        except SendError as exc:
            sms.status, sms.error = SmsMessage.Status.FAILED, str(exc)[:500]
        except Exception:  # a fault in the sender: this SMS fails, the batch goes on, the log has the trace
            logger.exception("SMS %s: the sender %s failed", sms.pk, sender.name)
            sms.status, sms.error = SmsMessage.Status.FAILED, f"发送出错（短信编号 {sms.pk}），详见系统日志。"
        else:
            sms.status, sms.error = SmsMessage.Status.SENT, ""
            sms.provider_message_id = provider_message_id[:100]
            sms.sent_at = timezone.now()
        sms.save(update_fields=["attempts", "sender", "status", "error", "provider_message_id", "sent_at"])
        return "sent" if sms.status == SmsMessage.Status.SENT else "failed"
