"""Load the region tree from the NBS file plus Hebei's administrative adjustments.

Idempotent: running it again updates names, parents and levels in place. Used by the data
migration (with the historical model) and by `manage.py load_regions` after a data file
changes.
"""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
DIVISIONS_FILE = DATA_DIR / "hebei_divisions.csv"
ADJUSTMENTS_FILE = DATA_DIR / "hebei_adjustments.csv"


def read_tree(divisions_file=DIVISIONS_FILE, adjustments_file=ADJUSTMENTS_FILE) -> dict[str, dict]:
    """Rows keyed by code, with adjustments applied and scope codes computed."""
    rows: dict[str, dict] = {}
    with open(divisions_file, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows[row["code"]] = {
                "code": row["code"],
                "name": row["name"],
                "short_name": row["short_name"],
                "level": row["level"],
                "kind": row["kind"],
                "parent_code": row["parent_code"],
                "statistical_parent_code": row["parent_code"],
                "is_official_code": True,
                "note": "",
            }
    with open(adjustments_file, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            target = rows.setdefault(
                row["code"],
                {"code": row["code"], "statistical_parent_code": "", "is_official_code": True, "note": ""},
            )
            for key in ("name", "short_name", "level", "kind", "parent_code"):
                if row[key]:
                    target[key] = row[key]
            if row["official_code"]:
                target["is_official_code"] = row["official_code"].strip().lower() not in {"no", "否", "false"}
            target["note"] = row["note"]
    for row in rows.values():
        _compute_scope(row, rows)
    return rows


def _compute_scope(row: dict, rows: dict) -> None:
    codes = {"province": "", "city": "", "county": ""}
    seen = set()
    current = row
    while current is not None:
        if current["code"] in seen:
            raise ValueError(f"区划树存在循环：{current['code']}")
        seen.add(current["code"])
        if not codes[current["level"]]:
            codes[current["level"]] = current["code"]
        parent_code = current.get("parent_code") or ""
        if parent_code and parent_code not in rows:
            raise ValueError(f"区划 {current['code']} 的上级 {parent_code} 不存在")
        current = rows.get(parent_code) if parent_code else None
    row["province_code"] = codes["province"]
    row["city_code"] = codes["city"]
    row["county_code"] = codes["county"]


def load_regions(region_model, **files) -> int:
    """Upsert every region (parents first); returns the number of regions."""
    rows = read_tree(**files)
    order = {"province": 0, "city": 1, "county": 2}
    for row in sorted(rows.values(), key=lambda r: (order[r["level"]], r["code"])):
        region_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "short_name": row["short_name"],
                "level": row["level"],
                "kind": row["kind"],
                "parent_id": row["parent_code"] or None,
                "statistical_parent_code": row["statistical_parent_code"],
                "is_official_code": row["is_official_code"],
                "note": row["note"],
                "province_code": row["province_code"],
                "city_code": row["city_code"],
                "county_code": row["county_code"],
            },
        )
    return len(rows)
