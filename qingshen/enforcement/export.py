"""The .xlsx of an enforcement list: a sheet 汇总 (every line once, with all its categories), one
sheet per category, and a sheet 企业审核履历 with each listed enterprise's history (one row per
entry, oldest first) — so the file handed to the enforcement department stands on its own.

It is built from plain rows (`Line.as_dict()` plus the history entries as dicts), the same data
a hand-over freezes as JSON, so the file made at a hand-over and its snapshot cannot disagree.
Exported from the list page it runs as a background job (`export_job`): a province's list,
with every enterprise's history, is too much to build while the browser waits.
"""


from django.utils import timezone
from openpyxl import Workbook

from qingshen.core import xlsx
from qingshen.enforcement import history, lists
from qingshen.enforcement.lists import CATEGORIES, COLUMNS, cell
from qingshen.enforcement.models import ALL, CATEGORY_LABELS
from qingshen.jobs.registry import JobError, register

SUMMARY_SHEET = "汇总"
HISTORY_SHEET = "企业审核履历"
HISTORY_HEADER = ["企业名称", "统一社会信用代码", "时间", "类别", "内容", "操作人"]


def entry_dict(entry) -> dict:
    return {"at": entry.when(), "kind": entry.kind_label, "text": entry.text, "actor": entry.actor}


def rows(user, campaign, category: str = ALL, all_lines=None) -> list[dict]:
    """The list's lines as plain rows, each with its history: what is exported and frozen."""
    chosen = lists.only(all_lines, category) if all_lines is not None else lists.lines(user, campaign, category)
    histories = history.timelines(user, [line.member for line in chosen])
    return [{**line.as_dict(), "history": [entry_dict(e) for e in histories[line.member.pk]]} for line in chosen]


def scope_of(user) -> str:
    organization = user.organization
    region = organization.region if organization is not None else None
    return f"范围：{region.name if region else '全省'}"


def _sheet(workbook, title, heading, scope, header, rows, first=False):
    sheet = workbook.active if first else workbook.create_sheet()
    xlsx.fill(sheet, title, heading, scope, header, rows, width=20)
    return sheet


def workbook(campaign_name: str, scope: str, data: list[dict], category: str = ALL, made_at=None) -> bytes:
    """`data`: `Line.as_dict()` each, optionally with "history" (a list of `entry_dict`), as `rows()`."""
    made_at = timezone.localtime(made_at or timezone.now())
    scope_line = xlsx.made_at(scope, made_at)
    header = [heading for _, heading in COLUMNS]
    book = Workbook()
    sheets = ([(SUMMARY_SHEET, data)] if category == ALL else []) + [
        (CATEGORY_LABELS[name], [r for r in data if name in r["categories"]])
        for name in (CATEGORIES if category == ALL else (category,))]
    for index, (title, chosen) in enumerate(sheets):
        _sheet(book, title, f"{campaign_name} 执法移交清单 · {title}（{len(chosen)} 家）", scope_line, header,
               [[cell(row, key) for key, _ in COLUMNS] for row in chosen], first=index == 0)
    history = [[row["enterprise"], row["uscc"], item["at"], item["kind"], item["text"], item["actor"]]
               for row in data for item in row.get("history", [])]
    sheet = _sheet(book, HISTORY_SHEET, f"{campaign_name} 企业审核履历", scope_line, HISTORY_HEADER, history)
    sheet.column_dimensions["E"].width = 80
    return xlsx.to_bytes(book)


EXPORT_KIND = "enforcement.export"


@register(EXPORT_KIND)
def export_job(job, progress):
    """The list as its owner may see it when the job runs (params: campaign, category)."""
    from qingshen.campaigns.models import Campaign

    campaign = Campaign.objects.restrict(job.owner).filter(pk=job.params.get("campaign") or 0).first()
    category = job.params.get("category") or ALL
    if campaign is None:
        raise JobError("清审批次不存在或不在您的管辖范围内。")
    if category != ALL and category not in CATEGORY_LABELS:
        raise JobError("移交类别不存在。")
    progress(0, 2)
    data = rows(job.owner, campaign, category)
    progress(1, 2)
    content = workbook(campaign.name, scope_of(job.owner), data, category)
    progress(2, 2)
    label = "全部" if category == ALL else CATEGORY_LABELS[category]
    return f"执法移交清单-{campaign.code}-{label}.xlsx", content
