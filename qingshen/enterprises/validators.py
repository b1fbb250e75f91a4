from django.core.exceptions import ValidationError
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, ValidationError as StdnumError


def validate_uscc(value):
    """GB 32100-2015: 18 characters and a valid check digit (python-stdnum does the sums)."""
    if not value:
        return
    try:
        uscc.validate(value)
    except InvalidChecksum as exc:
        raise ValidationError("统一社会信用代码校验位错误，请核对。", code="uscc_checksum") from exc
    except StdnumError as exc:
        raise ValidationError("统一社会信用代码应为 18 位数字或大写字母。", code="uscc_format") from exc


def normalise_uscc(value):
    """Codes are stored upper-case without spaces; blank is NULL (uniqueness ignores it)."""
    return (value or "").replace(" ", "").strip().upper() or None
