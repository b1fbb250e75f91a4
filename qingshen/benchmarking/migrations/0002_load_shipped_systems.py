"""Loads the indicator systems shipped in data/ (today: the partial 综合电镀 table, incomplete)."""

from django.db import migrations


def load(apps, schema_editor):
    from qingshen.benchmarking.shipped import load as load_shipped

    load_shipped(apps.get_model("benchmarking", "IndicatorSystem"), apps.get_model("industries", "Industry"))


class Migration(migrations.Migration):
    dependencies = [("benchmarking", "0001_initial"), ("industries", "0002_load_gbt4754")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
