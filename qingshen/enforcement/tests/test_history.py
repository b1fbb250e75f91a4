"""企业审核履历: every source, oldest first, only this enterprise's, and 404 outside."""

from datetime import timedelta

from django.utils import timezone

from qingshen.audit_trail.services import record
from qingshen.core.roles import Role
from qingshen.enforcement import history
from qingshen.enforcement.tests.helpers import (
    application,
    calendar,
    days,
    decided,
    dispatched_letter,
)
from qingshen.notifications.services import notify
from qingshen.project_start.models import Disclosure
from qingshen.reviews.models import IntakeCheck, Review


def _arrange(world):
    """涿州: a disclosure, an evaluation application returned at intake, a second one decided 整改,
    a reminder to the enterprise; 莲池: its own letter and event (must not leak into 涿州's)."""
    calendar(world)
    Disclosure(project=world.project, disclosed_on=days(0), channel="website", link="https://example.com/测试").save()
    returned = decided(world.project, Review.Status.RETURNED)
    Review.objects.filter(pk=returned.pk).update(decided_at=None)
    IntakeCheck.objects.create(review=returned, level="county", step="application_form", ok=False,
                               problem="测试：缺少盖章页", checked_by=world.user(Role.COUNTY))
    application(world.project, number=2)
    decided(world.project, Review.Status.RECTIFY, number=2, rectify_by=days(30),
            when=timezone.now() + timedelta(minutes=5))
    member = world.member(world.e_zhuozhou)
    notify([world.user(Role.ENTERPRISE)], kind="reminder", title="测试提醒：公布审核信息", body="测试",
           dedupe_key=f"due:{world.campaign.pk}:{member.pk}:disclosure:2099-01-01:remind-3")
    notify([world.user(Role.ENTERPRISE)], kind="reminder", title="测试：别的批次的提醒", body="测试",
           dedupe_key=f"due:{world.campaign.pk + 1000}:{member.pk}:disclosure:2099-01-01:remind-3")
    other = dispatched_letter(world, world.e_lianchi)
    record("test.other", obj=other, summary="测试：莲池的事件")
    return member


def test_timeline_has_every_source_in_order(world):
    member = _arrange(world)
    entries = history.timeline(world.user(Role.COUNTY), member)
    kinds = [e.kind for e in entries]
    for kind in ("roster", "letter", "accept", "disclosure", "application", "intake", "decision", "message", "event"):
        assert kind in kinds, kind
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    texts = [e.text for e in entries]
    timed = [e for e in entries if not e.all_day]  # a date-only fact (the disclosure) opens its day
    assert timed[0].kind == "roster" and timed[0].text.startswith("列入《测试批次清洁生产审核》名单")
    assert entries[0].kind == "disclosure" and entries[0].when() == days(0).isoformat()
    assert any("受理退回（县级）：测试：缺少盖章页" in t for t in texts)
    assert any(t.startswith("评估审核结果：整改") and days(30).isoformat() in t for t in texts)
    assert any("测试提醒：公布审核信息（发送至 1 个企业账号" in t for t in texts)
    assert not any("别的批次" in t for t in texts)
    assert not any("莲池" in t for t in texts)
    letter_index = texts.index(next(t for t in texts if t.endswith("已下发企业")))
    assert letter_index < kinds.index("accept") < kinds.index("application") < kinds.index("decision")
    events = [e for e in entries if e.kind == "event"]
    assert any(e.text.startswith("生成告知书") for e in events)  # the audit trail's own record
    assert all(e.actor for e in events if e.text.startswith("生成告知书"))


def test_history_page_and_outside_line(world, sign_in):
    member = _arrange(world)
    client = sign_in(world.user(Role.COUNTY))
    response = client.get(f"/enforcement/lines/{member.pk}/history/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "企业审核履历" in page and "测试：缺少盖章页" in page and "测试提醒：公布审核信息" in page
    assert "不在执法移交清单中" in page  # nothing overdue, failed or suspended yet
    from qingshen.enforcement.tests.helpers import set_status

    set_status(world.e_zhuozhou, "suspended")
    assert "因停产未开展" in client.get(f"/enforcement/lines/{member.pk}/history/").content.decode()
    outside = world.member(world.e_lianchi)
    assert client.get(f"/enforcement/lines/{outside.pk}/history/").status_code == 404
    assert sign_in(world.user(Role.CITY)).get(f"/enforcement/lines/{outside.pk}/history/").status_code == 200
