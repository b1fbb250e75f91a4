"""A system check: the configured SMS sender can be built (`manage.py check`, and at start-up),
so a wrong QINGSHEN_SMS_SENDER or a gateway without its address is found before the first
reminder goes out, not in the worker."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register()
def sms_sender_configured(app_configs, **kwargs):
    from qingshen.notifications.senders import Sender, get_sender

    try:
        sender = get_sender()
    except ImportError as exc:
        return [checks.Error(f"QINGSHEN_SMS_SENDER 无法导入：{exc}", id="notifications.E001")]
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="notifications.E002")]
    if not isinstance(sender, Sender):
        return [checks.Error("QINGSHEN_SMS_SENDER 须为 qingshen.notifications.senders.Sender 的子类。",
                             id="notifications.E003")]
    return []
