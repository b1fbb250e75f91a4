"""One environment department and one permit authority per region of the tree."""

from django.db import migrations


def create(apps, schema_editor):
    from qingshen.organizations.loader import sync_departments

    sync_departments(apps.get_model("regions", "Region"), apps.get_model("organizations", "Organization"))


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial"), ("regions", "0002_load_region_tree")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
