"""Which checklist applies, and the default set's data file.

The set that applies to a project is its campaign's own set when the campaign has one (a
`CampaignChecklist` row, even if the province has removed every item), else the default set
(rows with no campaign). A submitted filing is read from its snapshot instead: what it was
checked against, whatever the checklist says today.
"""

import csv
from pathlib import Path

from qingshen.filings.models import (
    PHASE_ORDER, CampaignChecklist, ChecklistItem, ItemKind, Phase, PhaseFiling,
)

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "default_checklist.csv"

#: The fields an item carries into a copy or a snapshot.
ITEM_FIELDS = ("phase", "code", "title", "kind", "required", "order", "guidance", "table_code")


class ChecklistFileError(ValueError):
    pass


def read_file(path=DEFAULT_FILE) -> list[dict]:
    """The data file's rows, checked: known phase and kind, a table code exactly for tables,
    codes unique. Raises ChecklistFileError naming the line."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    seen = set()
    items = []
    for line, row in enumerate(rows, start=2):
        problems = []
        if row["phase"] not in Phase.values:
            problems.append(f"未知阶段 {row['phase']!r}")
        if row["kind"] not in ItemKind.values:
            problems.append(f"未知类型 {row['kind']!r}")
        if (row["kind"] == ItemKind.TABLE) != bool(row["table_code"]):
            problems.append("数据表项须填写 table_code，其他项不填")
        if row["code"] in seen:
            problems.append(f"编号 {row['code']} 重复")
        if row["required"] not in ("0", "1"):
            problems.append("required 须为 0 或 1")
        if problems:
            raise ChecklistFileError(f"{path.name} 第 {line} 行：{'；'.join(problems)}")
        seen.add(row["code"])
        items.append({
            "phase": row["phase"], "code": row["code"], "title": row["title"], "kind": row["kind"],
            "required": row["required"] == "1", "order": int(row["order"]), "guidance": row["guidance"],
            "table_code": row["table_code"],
        })
    return items


def load_default(item_model=ChecklistItem, path=DEFAULT_FILE) -> int:
    """Make the default set (campaign NULL) what the file says: add, update, remove by code.
    Used by the data migration (with the historical model) and `manage.py load_checklist`.
    Campaign sets are copies and stay as they are."""
    items = read_file(path)
    existing = {item.code: item for item in item_model.objects.filter(campaign__isnull=True)}
    new, changed = [], []
    for data in items:
        item = existing.pop(data["code"], None)
        if item is None:
            new.append(item_model(campaign=None, **data))
            continue
        for name, value in data.items():
            setattr(item, name, value)
        changed.append(item)
    item_model.objects.filter(pk__in=[item.pk for item in existing.values()]).delete()
    item_model.objects.bulk_create(new)
    item_model.objects.bulk_update(changed, [f for f in ITEM_FIELDS if f != "code"])
    return len(items)


def has_own(campaign_id) -> bool:
    return CampaignChecklist.objects.filter(campaign_id=campaign_id).exists()


def items_for(campaign_id, phase=None) -> list[ChecklistItem]:
    """The items that apply in this campaign (one phase, or all), in phase then item order."""
    queryset = ChecklistItem.objects.filter(campaign_id=campaign_id if has_own(campaign_id) else None)
    if phase is not None:
        queryset = queryset.filter(phase=phase)
    return sorted(queryset, key=lambda item: (PHASE_ORDER[item.phase], item.order, item.pk))


def items_by_phase(campaign_id) -> dict[str, list[ChecklistItem]]:
    grouped = {phase.value: [] for phase in Phase}
    for item in items_for(campaign_id):
        grouped[item.phase].append(item)
    return grouped


def snapshot_item(item: ChecklistItem) -> dict:
    return {name: getattr(item, name) for name in ITEM_FIELDS}


def items_from_snapshot(snapshot: dict) -> list[ChecklistItem]:
    """Unsaved items rebuilt from a submission's snapshot (read-only)."""
    return [ChecklistItem(**{name: data.get(name, "") for name in ITEM_FIELDS}) for data in snapshot.get("items", [])]


def items_of_filing(filing: PhaseFiling) -> list[ChecklistItem]:
    """The phase's items: as submitted for a submitted filing, else as the checklist says now.
    Cached on the filing object (a page asks several times)."""
    cached = getattr(filing, "_checklist_items", None)
    if cached is None:
        if filing.is_submitted:
            cached = items_from_snapshot(filing.snapshot)
        else:
            cached = items_for(filing.project.campaign_id, filing.phase)
        filing._checklist_items = cached
    return cached
