"""Load GB/T 4754-2017 from `data/gbt4754_2017.csv` (idempotent; parents first)."""

import csv
from pathlib import Path

INDUSTRIES_FILE = Path(__file__).resolve().parent / "data" / "gbt4754_2017.csv"


def load_industries(industry_model, path=INDUSTRIES_FILE) -> int:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    existing = set(industry_model.objects.values_list("code", flat=True))
    division_of = {}
    for row in rows:  # rows are in standard order: a parent always precedes its children
        code, level = row["code"], row["level"]
        division_of[code] = code if level == "division" else division_of.get(row["parent_code"], "")
    new, changed = [], []
    for row in rows:
        obj = industry_model(
            code=row["code"],
            name=row["name"],
            level=row["level"],
            parent_id=row["parent_code"] or None,
            division_code=division_of[row["code"]],
        )
        (changed if row["code"] in existing else new).append(obj)
    industry_model.objects.bulk_create(new, batch_size=500)
    industry_model.objects.bulk_update(changed, ["name", "level", "parent", "division_code"], batch_size=500)
    return len(rows)
