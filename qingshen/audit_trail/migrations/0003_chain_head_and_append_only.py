"""The chain head row, and database triggers that refuse UPDATE and DELETE on events, so the
log stays append-only even for code that bypasses the ORM."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER audit_trail_event_no_update BEFORE UPDATE ON audit_trail_event
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END""",
    """CREATE TRIGGER audit_trail_event_no_delete BEFORE DELETE ON audit_trail_event
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_trail_event_no_update",
    "DROP TRIGGER IF EXISTS audit_trail_event_no_delete",
]
POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION audit_trail_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit trail is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_trail_event_append_only BEFORE UPDATE OR DELETE ON audit_trail_event
       FOR EACH ROW EXECUTE FUNCTION audit_trail_refuse_change()""",
    """CREATE TRIGGER audit_trail_event_no_truncate BEFORE TRUNCATE ON audit_trail_event
       FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_refuse_change()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_trail_event_no_truncate ON audit_trail_event",
    "DROP TRIGGER IF EXISTS audit_trail_event_append_only ON audit_trail_event",
    "DROP FUNCTION IF EXISTS audit_trail_refuse_change()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def create_head(apps, schema_editor):
    apps.get_model("audit_trail", "ChainHead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("audit_trail", "0002_initial")]
    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
