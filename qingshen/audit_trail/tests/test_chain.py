"""The hash chain: record() appends with consecutive numbers, each hash covers the previous
one, and `manage.py verify_audit_trail` finds the first altered or missing event."""

import copy
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import transaction

from conftest import department, make_user
from qingshen.audit_trail.hashing import HASHED_FIELDS, compute_hash
from qingshen.audit_trail.models import GENESIS_HASH, ChainHead, Event
from qingshen.audit_trail.services import record, snapshot
from qingshen.audit_trail.tests.helpers import tamper
from qingshen.audit_trail.verify import verify_chain


def chain(n):
    return [record("test.step", summary=f"第 {i} 步", after={"step": i, "名称": "测试"}) for i in range(1, n + 1)]


def verify():
    out = StringIO()
    call_command("verify_audit_trail", stdout=out)
    return out.getvalue()


def verify_fails():
    with pytest.raises(CommandError) as error:
        verify()
    assert error.value.returncode == 1
    return str(error.value)


def test_record_appends_with_consecutive_numbers_and_links_each_hash_to_the_previous(db):
    events = chain(5)

    stored = list(Event.objects.order_by("seq"))
    assert [e.seq for e in stored] == [1, 2, 3, 4, 5]
    assert stored[0].prev_hash == GENESIS_HASH
    for previous, event in zip(stored, stored[1:]):
        assert event.prev_hash == previous.hash
    for event in stored:
        assert event.hash == compute_hash(event)  # recomputed from what the database returns
    head = ChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (5, events[-1].hash)
    assert stored[2].after == {"step": 3, "名称": "测试"}


def different(value):
    if value is None:
        return "x"
    if isinstance(value, int):
        return value + 1
    if isinstance(value, dict):
        return {**value, "x": 1}
    return f"{value}x"


def test_each_hash_covers_every_recorded_field_and_the_previous_hash(db):
    chain(2)
    event = Event.objects.get(seq=2)
    original = compute_hash(event)

    for name in HASHED_FIELDS:
        changed = copy.copy(event)
        setattr(changed, name, different(getattr(event, name)))
        assert compute_hash(changed) != original, name
    moved = copy.copy(event)
    moved.occurred_at = event.occurred_at + timedelta(microseconds=1)
    assert compute_hash(moved) != original


def test_an_event_names_its_actor_organisation_and_object(db):
    org = department("130600")
    user = make_user("130600", org, full_name="李局长")

    event = record("account.update", actor=user, obj=user, before={"mobile": ""}, after={"mobile": "138"},
                   summary="修改")

    assert event.actor == user and event.actor_name == "李局长（130600）"
    assert event.organization == org and event.organization_name == "保定市生态环境局"
    assert (event.object_type, event.object_id, event.object_repr) == ("accounts.user", str(user.pk), "李局长（130600）")
    assert (event.province_code, event.city_code, event.county_code) == ("130000", "130600", "")
    assert event.changes() == [("mobile", "", "138")]


def test_snapshots_never_copy_a_password(db):
    user = make_user("130600", department("130600"))

    data = snapshot(user)

    assert "password" not in data
    assert data["username"] == "130600"


def test_an_event_exists_only_if_its_transaction_commits(db):
    chain(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        record("test.rolled_back")
        raise RuntimeError

    assert not Event.objects.filter(action="test.rolled_back").exists()
    assert ChainHead.objects.get(pk=1).seq == 2
    assert record("test.next").seq == 3
    assert verify_chain().ok


def test_verify_accepts_an_intact_chain(db):
    assert verify() == "审计日志完整：共 0 条事件，哈希链无误。\n"
    chain(5)
    assert verify() == "审计日志完整：共 5 条事件，哈希链无误。\n"


def test_verify_exits_non_zero_like_manage_py_does(db, capsys):
    chain(3)
    tamper("UPDATE audit_trail_event SET summary = %s WHERE seq = %s", ["改过的摘要", 2])

    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "verify_audit_trail"]).execute()

    assert exit_.value.code == 1
    assert "审计日志校验失败：事件 #2 的内容已被修改" in capsys.readouterr().err


def test_verify_names_an_altered_event(db):
    chain(5)
    tamper("UPDATE audit_trail_event SET summary = %s WHERE seq = %s", ["第 3 步（已改）", 3])

    assert verify_fails() == "审计日志校验失败：事件 #3 的内容已被修改（已校验 2 条）"


def test_verify_notices_altered_before_after_data(db):
    chain(5)
    tamper("""UPDATE audit_trail_event SET after = '{"step": 99, "名称": "测试"}' WHERE seq = 4""")

    assert verify_fails() == "审计日志校验失败：事件 #4 的内容已被修改（已校验 3 条）"


def test_verify_notices_an_altered_actor(db):
    chain(3)
    tamper("UPDATE audit_trail_event SET actor_name = %s WHERE seq = %s", ["别人", 1])

    assert verify_fails() == "审计日志校验失败：事件 #1 的内容已被修改（已校验 0 条）"


def test_verify_notices_an_altered_event_whose_hash_was_recomputed(db):
    """A forger who recomputes the altered event's hash breaks the link to the next event."""
    chain(5)
    event = Event.objects.get(seq=3)
    event.summary = "伪造"
    forged = compute_hash(event)
    tamper("UPDATE audit_trail_event SET summary = %s, hash = %s WHERE seq = %s", ["伪造", forged, 3])

    assert verify_fails() == "审计日志校验失败：事件 #4 的前一哈希与链不符（已校验 3 条）"


def test_verify_names_a_removed_middle_event(db):
    chain(5)
    tamper("DELETE FROM audit_trail_event WHERE seq = %s", [3])

    assert verify_fails() == "审计日志校验失败：事件 #3 缺失（下一条为 #4）（已校验 2 条）"


def test_verify_names_a_removed_first_event(db):
    chain(3)
    tamper("DELETE FROM audit_trail_event WHERE seq = %s", [1])

    assert verify_fails() == "审计日志校验失败：事件 #1 缺失（下一条为 #2）（已校验 0 条）"


def test_verify_notices_a_removed_tail(db):
    chain(5)
    tamper("DELETE FROM audit_trail_event WHERE seq = %s", [5])

    assert verify_fails() == "审计日志校验失败：链头记录到 #5，但日志只到 #4：末尾事件被删除（已校验 4 条）"


def test_verify_result_names_the_first_bad_event(db):
    chain(6)
    tamper("UPDATE audit_trail_event SET summary = %s WHERE seq IN (2, 5)", ["改"])

    verdict = verify_chain()

    assert not verdict.ok and verdict.first_bad_seq == 2 and verdict.checked == 1


def test_a_missing_chain_head_is_reported_not_crashed(db):
    from qingshen.audit_trail.models import ChainHead
    from qingshen.audit_trail.services import record
    from qingshen.audit_trail.verify import verify_chain

    record("test.touch", summary="链头测试")
    ChainHead.objects.all().delete()
    verdict = verify_chain()
    assert not verdict.ok and verdict.reason == "链头记录缺失：审计链头表被改动"
