"""Events cannot be changed or removed: not through the ORM, not with raw SQL (database
triggers, migration 0003), on SQLite and on PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from qingshen.audit_trail.models import AppendOnlyError, Event
from qingshen.audit_trail.services import record
from qingshen.audit_trail.tests.helpers import triggers_off
from qingshen.audit_trail.verify import verify_chain

REFUSED = "审计日志只能追加，不能修改或删除。"


@pytest.fixture
def events(db):
    return [record("test.step", summary=f"第 {i} 步") for i in range(1, 4)]


def raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_orm_refuses_to_change_an_event(events):
    event = Event.objects.get(seq=2)
    event.summary = "改"

    with pytest.raises(AppendOnlyError, match=REFUSED):
        event.save()
    with pytest.raises(AppendOnlyError, match=REFUSED):
        Event.objects.update(summary="改")
    with pytest.raises(AppendOnlyError, match=REFUSED):
        Event.objects.filter(seq=2).update(summary="改")
    with pytest.raises(AppendOnlyError, match=REFUSED), transaction.atomic():  # bulk_update's own
        Event.objects.bulk_update([event], ["summary"])                        # atomic is not a savepoint
    assert Event.objects.get(seq=2).summary == "第 2 步"
    assert verify_chain().ok


def test_the_orm_refuses_to_delete_an_event(events):
    with pytest.raises(AppendOnlyError, match=REFUSED):
        Event.objects.get(seq=2).delete()
    with pytest.raises(AppendOnlyError, match=REFUSED):
        Event.objects.filter(seq=2).delete()
    with pytest.raises(AppendOnlyError, match=REFUSED):
        Event.objects.all().delete()
    assert Event.objects.count() == 3


def test_the_database_refuses_raw_update(events):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE audit_trail_event SET summary = %s WHERE seq = %s", ["改", 2])
    assert Event.objects.get(seq=2).summary == "第 2 步"


def test_the_database_refuses_raw_delete(events):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_trail_event WHERE seq = %s", [2])
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_trail_event")
    assert Event.objects.count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
def test_postgresql_refuses_truncate(events):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # else TRUNCATE stops at the pending FK checks
    with pytest.raises(DatabaseError, match="append-only"):
        raw("TRUNCATE audit_trail_event CASCADE")
    assert Event.objects.count() == 3


def test_the_triggers_are_back_after_a_tampering_test(events):
    with triggers_off():
        raw("UPDATE audit_trail_event SET summary = %s WHERE seq = %s", ["改", 3])

    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE audit_trail_event SET summary = %s WHERE seq = %s", ["再改", 3])
    assert Event.objects.get(seq=3).summary == "改"


def test_appending_still_works(events):
    assert record("test.more").seq == 4
    assert verify_chain().ok
