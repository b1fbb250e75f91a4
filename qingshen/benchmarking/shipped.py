"""The indicator systems shipped with Qingshen (data/), loaded by a migration and by
`manage.py load_indicator_systems`.

Only official tables go here, with their source; today that is the partial 综合电镀 table
(rows 1–12 of 表1), marked incomplete so that it can be viewed and tried but never yields an
official level. Loading is idempotent: a version with the same content is not added again.
"""

from pathlib import Path

from qingshen.benchmarking import definition as spec
from qingshen.benchmarking.formats.source_csv import read_source_csv

DATA = Path(__file__).resolve().parent / "data"
SHIPPED = [DATA / "electroplating_comprehensive_PARTIAL.csv"]


def definitions() -> list[dict]:
    return [read_source_csv(path) for path in SHIPPED]


def load(system_model, industry_model) -> list:
    """Add each shipped definition as a new version unless its latest version has the same
    content; returns the rows added. Takes the model classes so a migration can pass its own."""
    added = []
    for definition in definitions():
        stored = spec.to_json(definition)
        latest = system_model.objects.filter(code=definition["code"]).order_by("-version").first()
        if latest is not None and latest.definition == stored:
            continue
        source = definition["source"]
        system = system_model.objects.create(
            code=definition["code"], version=(latest.version + 1) if latest else 1, name=definition["name"],
            issuers=definition["issuers"], document_number=definition["document_number"], year=definition["year"],
            status=definition["status"], source_file=source.get("file", ""), source_page=source.get("page", ""),
            source_note=source.get("note", ""), definition=stored)
        system.industries.set(industry_model.objects.filter(code__in=definition["industries"]))
        added.append(system)
    return added
