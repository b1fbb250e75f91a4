"""统一社会信用代码 (GB 32100-2015): format and check digit, with the messages users see."""

import pytest
from django.core.exceptions import ValidationError

from qingshen.enterprises.forms import EnterpriseForm
from qingshen.enterprises.validators import normalise_uscc, validate_uscc

CHECKSUM = "统一社会信用代码校验位错误，请核对。"
FORMAT = "统一社会信用代码应为 18 位数字或大写字母。"


@pytest.mark.parametrize("code", [
    "91110000600037341L",  # a published code
    "91350100M000100Y43",  # a published code
    "91130681MA00000016",  # made up, check digit computed
    "",
    None,
])
def test_valid_codes_pass(code):
    validate_uscc(code)


@pytest.mark.parametrize("code, message", [
    ("91110000600037341K", CHECKSUM),  # last character changed
    ("91110000600037342L", CHECKSUM),  # a body digit changed
    ("91130681MA00000017", CHECKSUM),
    ("9111000060003734", FORMAT),  # too short
    ("91110000600037341LX", FORMAT),  # too long
    ("91110000600037341I", FORMAT),  # I is not in the alphabet
    ("9111000060003734OL", FORMAT),  # nor O
    ("ABCDEFGHIJKLMNOPQR", FORMAT),
    ("９１１１００００６０００３７３４１Ｌ", FORMAT),  # full-width digits
])
def test_wrong_codes_give_the_chinese_message(code, message):
    with pytest.raises(ValidationError) as raised:
        validate_uscc(code)
    assert raised.value.messages == [message]


@pytest.mark.parametrize("raw, stored", [
    ("91110000600037341l", "91110000600037341L"),
    (" 91110000 600037341L ", "91110000600037341L"),
    ("", None),
    (None, None),
])
def test_codes_are_normalised_before_they_are_stored(raw, stored):
    assert normalise_uscc(raw) == stored


def test_form_shows_the_message_on_the_field(world):
    from qingshen.core.roles import Role

    form = EnterpriseForm(data={"name": "代码测试企业", "region": "130681", "status": "running",
                                "uscc": "91110000600037341K"}, user=world.user(Role.COUNTY))
    assert not form.is_valid()
    assert form.errors["uscc"] == [CHECKSUM]
    form = EnterpriseForm(data={"name": "代码测试企业", "region": "130681", "status": "running",
                                "uscc": "91110000600037341l"}, user=world.user(Role.COUNTY))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["uscc"] == "91110000600037341L"
