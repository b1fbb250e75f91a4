"""Re-applies data/default_checklist.csv: it gained 对标（审核前）in 预审核 and 对标（实施后）in
方案的实施 (the benchmarking app's tables). Fresh databases already have them from 0002."""

from django.db import migrations


def load(apps, schema_editor):
    from qingshen.filings.checklist import load_default

    load_default(apps.get_model("filings", "ChecklistItem"))


class Migration(migrations.Migration):
    dependencies = [("filings", "0002_load_default_checklist")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
