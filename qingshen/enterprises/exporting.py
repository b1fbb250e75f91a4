"""The enterprise list as .xlsx, with the import's column headers (a file exported here
imports back unchanged). Runs as a background job (`qingshen.jobs`)."""

import io

from django.http import QueryDict
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from qingshen.enterprises.choices import PermitCategory, Status
from qingshen.enterprises.filters import EnterpriseFilterSet
from qingshen.enterprises.importing import COLUMNS
from qingshen.enterprises.models import Enterprise
from qingshen.industries.models import Industry
from qingshen.jobs.registry import register

EXPORT_KIND = "enterprises.export"
STATUS_LABEL = dict(Status.choices)
PERMIT_LABEL = dict(PermitCategory.choices)


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def row_values(enterprise: Enterprise, division_names: dict[str, str]) -> dict:
    region = enterprise.region
    industry = enterprise.industry
    division = division_names.get(industry.division_code, "") if industry is not None else ""
    return {
        "name": enterprise.name,
        "uscc": enterprise.uscc or "",
        "city": region.parent.name if region.level == "county" and region.parent else region.name,
        "county": region.name if region.level == "county" else "",
        "region_code": region.code,
        "town": enterprise.town,
        "village": enterprise.village,
        "address": enterprise.address,
        "legal_representative": enterprise.legal_representative,
        "industry_code": industry.code if industry else "",
        "division_name": division,
        "industry_name": industry.name if industry and industry.level != "division" else "",
        "nature": enterprise.nature,
        "employees": enterprise.employees if enterprise.employees is not None else "",
        "working_days": enterprise.working_days if enterprise.working_days is not None else "",
        "status": STATUS_LABEL[enterprise.status],
        "double_exceed": _yes_no(enterprise.double_exceed),
        "double_toxic": _yes_no(enterprise.double_toxic),
        "water_related": _yes_no(enterprise.water_related),
        "in_approved_park": _yes_no(enterprise.in_approved_park),
        "centralized_treatment": _yes_no(enterprise.centralized_treatment),
        "permit_number": enterprise.permit_number,
        "permit_category": PERMIT_LABEL.get(enterprise.permit_category, ""),
    }


class _RequestOf:
    """What the filter set reads from a request (its user), for a job that runs without one."""

    def __init__(self, user):
        self.user = user


def export_queryset(user, querystring: str):
    """The same rows the user's filtered list shows (the filter set built as the list builds it)."""
    queryset = Enterprise.objects.restrict(user).select_related("region__parent", "industry")
    return EnterpriseFilterSet(QueryDict(querystring) or None, queryset=queryset, request=_RequestOf(user)).qs


@register(EXPORT_KIND)
def export_enterprises(job, progress):
    queryset = export_queryset(job.owner, job.params.get("query", ""))
    total = queryset.count()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名录")
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    division_names = dict(Industry.objects.filter(level=Industry.Level.DIVISION).values_list("code", "name"))
    done = 0
    for enterprise in queryset.iterator(chunk_size=500):
        values = row_values(enterprise, division_names)
        sheet.append([values[c.key] for c in COLUMNS])
        done += 1
        if done % 200 == 0:
            progress(done, total)
    progress(done, total)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return "企业名录.xlsx", buffer.getvalue()
