"""Comparing two versions of an application (what the enterprise changed after a return or
整改): per table of the frozen contents, the rows added, removed and changed (field by
field), and the evidence files added or replaced. Rows are matched by id: a row the enterprise
edited keeps its id, so its changes show as changes."""

from dataclasses import dataclass, field

from qingshen.applications.contents import PARTS

IGNORED = {"version", "updated_at", "created_at", "province_code", "city_code", "county_code"}


@dataclass
class TableDiff:
    part: str
    table: str
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # [(row label, [(field, before, after)])]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _label(row: dict) -> str:
    for key in ("code", "name", "title", "phase", "year", "stage"):
        if row.get(key) not in (None, ""):
            return f"{row.get('code', '')} {row.get('name', '')}".strip() if key == "code" else str(row[key])
    return f"#{row.get('id')}"


def _rows(contents, part, table):
    return {row.get("id"): row for row in contents.get(part, {}).get(table, [])}


def diff(before: dict, after: dict) -> list[TableDiff]:
    out = []
    for part, label, models in PARTS:
        tables = set(before.get(part, {})) | set(after.get(part, {}))
        for table in sorted(tables):
            old, new = _rows(before, part, table), _rows(after, part, table)
            result = TableDiff(label, table)
            result.added = [_label(new[key]) for key in new if key not in old]
            result.removed = [_label(old[key]) for key in old if key not in new]
            for key in new:
                if key in old and old[key] != new[key]:
                    fields = [(name, old[key].get(name), new[key].get(name))
                              for name in sorted(set(old[key]) | set(new[key]))
                              if name not in IGNORED and old[key].get(name) != new[key].get(name)]
                    if fields:
                        result.changed.append((_label(new[key]), fields))
            if not result.empty:
                out.append(result)
    files_before = {row["sha256"] for row in before.get("evidence", [])}
    files = TableDiff("佐证材料", "evidence")
    files.added = [row["name"] for row in after.get("evidence", []) if row["sha256"] not in files_before]
    files_after = {row["sha256"] for row in after.get("evidence", [])}
    files.removed = [row["name"] for row in before.get("evidence", []) if row["sha256"] not in files_after]
    if not files.empty:
        out.append(files)
    return out
