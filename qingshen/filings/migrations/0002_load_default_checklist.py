"""Loads the default checklist from data/default_checklist.csv; `manage.py load_checklist`
re-applies the file later (campaign sets, being copies, are left as they are)."""

from django.db import migrations


def load(apps, schema_editor):
    from qingshen.filings.checklist import load_default

    load_default(apps.get_model("filings", "ChecklistItem"))


class Migration(migrations.Migration):
    dependencies = [("filings", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
