"""移交执法部门: the record freezes the list and its file, once per form, and never changes."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.enforcement.models import EnforcementHandover
from qingshen.enforcement.tests.helpers import calendar, days, set_status


def _form(world, **values):
    data = {"campaign": world.campaign.pk, "category": "suspended", "recipient": "涿州市测试执法大队",
            "handed_on": days(0).isoformat(), "note": "测试移交", "form_token": "token-1"}
    data.update(values)
    return data


@pytest.fixture
def listed(world):
    calendar(world)
    set_status(world.e_zhuozhou, "suspended")
    set_status(world.e_lianchi, "suspended")
    return world


def test_record_freezes_lines_and_file(listed, sign_in):
    world = listed
    client = sign_in(world.user(Role.CITY))
    form = client.get(f"/enforcement/handovers/new/?campaign={world.campaign.pk}&category=suspended")
    assert form.status_code == 200 and 'name="form_token"' in form.content.decode()
    response = client.post("/enforcement/handovers/new/", _form(world))
    handover = EnforcementHandover.objects.get()
    assert response.status_code == 302 and response["Location"] == handover.get_absolute_url()
    assert handover.line_count == 2 and handover.organization == world.user(Role.CITY).organization
    assert {row["enterprise"] for row in handover.lines} == {"涿州测试企业", "莲池测试企业"}
    assert all(row["history"] for row in handover.lines)
    event = Event.objects.filter(action="enforcement.handover").get()
    assert event.after["recipient"] == "涿州市测试执法大队" and "涿州市测试执法大队" in event.summary
    # the data change afterwards; what was handed over does not
    set_status(world.e_lianchi, "running")
    handover.refresh_from_db()
    assert handover.line_count == 2 and len(handover.lines) == 2
    book = load_workbook(io.BytesIO(client.get(f"/enforcement/handovers/{handover.pk}/file/").getvalue()))
    assert sorted(r[0] for r in book["因停产未开展"].iter_rows(min_row=4, values_only=True)) == \
        ["涿州测试企业", "莲池测试企业"]
    detail = client.get(handover.get_absolute_url()).content.decode()
    assert "莲池测试企业" in detail and "涿州市测试执法大队" in detail
    listing = client.get("/enforcement/handovers/").content.decode()
    assert handover.workbook.original_name in listing
    assert "莲池测试企业" not in client.get(f"/enforcement/?campaign={world.campaign.pk}&category=suspended") \
        .content.decode()


def test_double_submit_records_once(listed, sign_in):
    world = listed
    client = sign_in(world.user(Role.COUNTY))
    first = client.post("/enforcement/handovers/new/", _form(world))
    second = client.post("/enforcement/handovers/new/", _form(world), follow=True)
    assert first.status_code == 302
    assert EnforcementHandover.objects.count() == 1
    assert "该移交已登记过（重复提交），未重复登记。" in second.content.decode()
    # another form (another token), same hand-over within the minute: refused, typed values kept
    third = client.post("/enforcement/handovers/new/", _form(world, form_token="token-2"))
    page = third.content.decode()
    assert third.status_code == 200 and "一分钟内不重复登记" in page and "涿州市测试执法大队" in page
    assert EnforcementHandover.objects.count() == 1


def test_bad_input_is_named_and_kept(listed, sign_in):
    world = listed
    client = sign_in(world.user(Role.COUNTY))
    response = client.post("/enforcement/handovers/new/", _form(world, recipient="  ", note="测试：保留的说明"))
    page = response.content.decode()
    assert response.status_code == 200 and "请填写接收单位" in page and "测试：保留的说明" in page
    response = client.post("/enforcement/handovers/new/", _form(world, handed_on=days(3).isoformat()))
    assert "晚于今天" in response.content.decode()
    response = client.post("/enforcement/handovers/new/", _form(world, category="refused"))
    assert "目前没有企业，无需移交" in response.content.decode()
    assert EnforcementHandover.objects.count() == 0


def test_immutable_and_scoped(listed, sign_in):
    world = listed
    sign_in(world.user(Role.COUNTY)).post("/enforcement/handovers/new/", _form(world))
    handover = EnforcementHandover.objects.get()
    assert handover.line_count == 1  # the county's own line only
    with pytest.raises(ValidationError):
        handover.save()
    with pytest.raises(ValidationError):
        handover.delete()
    other = sign_in(world.other_county_user)
    assert other.get(handover.get_absolute_url()).status_code == 404
    assert other.get(f"/enforcement/handovers/{handover.pk}/file/").status_code == 404
    assert sign_in(world.user(Role.CITY)).get(handover.get_absolute_url()).status_code == 200
    assert sign_in(world.user(Role.ENTERPRISE)).post("/enforcement/handovers/new/", _form(
        world, form_token="x")).status_code == 403
