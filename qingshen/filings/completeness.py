"""Whether each checklist item of a phase is filled, and so whether the phase may be submitted.

- photo: at least one current image file in the item's evidence slot;
- document: at least one current file of any type in the slot;
- table: the table's app reports rows for the project (`tables.get(code).rows(project) > 0`);
  a table no app has registered counts as not filled (shown as “数据表尚未提供”), never an error.

A submitted filing answers from its snapshot (what was checked at submission). The cost of a
project's page is constant: one query for the evidence of all its open phases, and one call per
distinct table code (whatever the number of files or rows).
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from qingshen.filings import checklist, tables
from qingshen.filings.models import ChecklistItem, ItemKind, PhaseFiling

UNAVAILABLE = "（数据表尚未提供）"


@dataclass
class ItemState:
    item: ChecklistItem
    evidence_ids: list[int] = field(default_factory=list)
    image_ids: list[int] = field(default_factory=list)
    rows: int | None = None  # table rows; None when the table is not registered
    submitted_filled: bool | None = None  # as recorded in a snapshot
    project: object = None  # the AuditProject (for the table's page)

    @property
    def table(self):
        return tables.get(self.item.table_code) if self.item.kind == ItemKind.TABLE else None

    @property
    def table_label(self) -> str:
        return tables.label_of(self.item.table_code)

    @property
    def table_url(self) -> str:
        table = self.table
        return table.url(self.project) if table is not None and self.project is not None else ""

    @property
    def filled(self) -> bool:
        if self.submitted_filled is not None:
            return self.submitted_filled
        if self.item.kind == ItemKind.PHOTO:
            return bool(self.image_ids)
        if self.item.kind == ItemKind.DOCUMENT:
            return bool(self.evidence_ids)
        return bool(self.rows)

    @property
    def missing_text(self) -> str:
        """How the item reads in the list of what is still missing."""
        if self.item.kind == ItemKind.PHOTO:
            need = "请上传照片" if not self.evidence_ids else "已上传的文件中没有照片，请上传照片"
        elif self.item.kind == ItemKind.DOCUMENT:
            need = "请上传文件"
        elif self.rows is None:
            need = f"数据表“{self.table_label}”尚未提供"
        else:
            need = f"请填写数据表“{self.table_label}”"
        return f"{self.item.title}：{need}"


@dataclass
class PhaseState:
    filing: PhaseFiling
    items: list[ItemState]

    @property
    def required(self) -> list[ItemState]:
        return [state for state in self.items if state.item.required]

    @property
    def required_total(self) -> int:
        return len(self.required)

    @property
    def required_done(self) -> int:
        return sum(1 for state in self.required if state.filled)

    @property
    def missing(self) -> list[ItemState]:
        return [state for state in self.required if not state.filled]

    @property
    def missing_texts(self) -> list[str]:
        return [state.missing_text for state in self.missing]

    @property
    def complete(self) -> bool:
        return not self.missing


def _from_snapshot(filing) -> PhaseState:
    states = []
    for item, data in zip(checklist.items_of_filing(filing), filing.snapshot.get("items", []), strict=True):
        states.append(ItemState(item=item, evidence_ids=list(data.get("evidence", [])), rows=data.get("rows"),
                                submitted_filled=bool(data.get("filled"))))
    return PhaseState(filing=filing, items=states)


def _evidence_by_slot(filings) -> dict[tuple[int, str], tuple[list[int], list[int]]]:
    """(filing id, slot) → (ids of current files, ids of those that are images); one query."""
    from qingshen.evidence.models import Evidence

    if not filings:
        return {}
    owner_type = ContentType.objects.get_for_model(PhaseFiling)
    rows = (Evidence.objects.filter(owner_type=owner_type, owner_id__in=[f.pk for f in filings]).current()
            .order_by("uploaded_at", "pk").values_list("pk", "owner_id", "slot", "stored__mime"))
    found: dict[tuple[int, str], tuple[list[int], list[int]]] = {}
    for pk, owner_id, slot, mime in rows:
        ids, images = found.setdefault((owner_id, slot), ([], []))
        ids.append(pk)
        if mime.startswith("image/"):
            images.append(pk)
    return found


def for_project(project, filings) -> dict[int, PhaseState]:
    """The state of each of the project's filings (filing id → PhaseState)."""
    result = {}
    open_filings = []
    for filing in filings:
        filing.project = project  # the filings were read without their project: no query per row
        if filing.is_submitted:
            result[filing.pk] = _from_snapshot(filing)
        else:
            open_filings.append(filing)
    if open_filings:
        by_phase = checklist.items_by_phase(project.campaign_id)
        evidence = _evidence_by_slot(open_filings)
        row_counts: dict[str, int | None] = {}
        for filing in open_filings:
            filing._checklist_items = by_phase[filing.phase]
            states = []
            for item in filing._checklist_items:
                state = ItemState(item=item, project=project)
                if item.kind == ItemKind.TABLE:
                    if item.table_code not in row_counts:
                        table = tables.get(item.table_code)
                        row_counts[item.table_code] = table.rows(project) if table is not None else None
                    state.rows = row_counts[item.table_code]
                else:
                    state.evidence_ids, state.image_ids = evidence.get((filing.pk, item.code), ([], []))
                states.append(state)
            result[filing.pk] = PhaseState(filing=filing, items=states)
    for state in result.values():
        for item_state in state.items:
            item_state.project = project
    return result


def for_filing(filing) -> PhaseState:
    return for_project(filing.project, [filing])[filing.pk]


def unsubmitted_phases(project, stage) -> list:
    """The stage's phases this project has not submitted yet, in order ([] = every phase of the
    stage is submitted). For the applications: an evaluation application needs the evaluation
    stage's phases submitted, an acceptance application the acceptance stage's."""
    from qingshen.filings.models import phases_of

    submitted = set(PhaseFiling.objects.filter(project=project, status=PhaseFiling.Status.SUBMITTED)
                    .values_list("phase", flat=True))
    return [phase for phase in phases_of(stage) if phase.value not in submitted]
