"""Tampering with the audit trail the way someone with database access would: the
append-only triggers (migration 0003) must be switched off first, and are back afterwards."""

import importlib
from contextlib import contextmanager

from django.db import connection

APPEND_ONLY = importlib.import_module("qingshen.audit_trail.migrations.0003_chain_head_and_append_only")
SQLITE_TRIGGERS = ("audit_trail_event_no_update", "audit_trail_event_no_delete")


@contextmanager
def triggers_off():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER {name}")
        else:
            # Django's foreign keys are deferred on PostgreSQL; ALTER TABLE refuses to run
            # while their checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_trail_event DISABLE TRIGGER USER")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for statement in APPEND_ONLY.SQLITE:
                    cursor.execute(statement)
            else:
                cursor.execute("ALTER TABLE audit_trail_event ENABLE TRIGGER USER")


def tamper(sql, params=()):
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(sql, params)
