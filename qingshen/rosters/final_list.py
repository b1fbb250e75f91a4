"""The level's final list (最终名单), generated for stamping: as .xlsx and as a PDF.

A department checks its list, downloads it here, prints and stamps it, and uploads the scan
when it submits (提交任务). The list has the seed's columns (附件1: 序号, 企业名称, 所属城市,
所属区县, 行业大类名称, 行业名称, 负责评估验收部门) plus what verification decided: the USCC,
双超 / 双有, why the enterprise is listed, and 增补待审 for enterprises this level or a level
below added. Enterprises marked 否 follow in their own table, with the reason given.

Everything is read in a fixed number of queries whatever the length of the list.
"""

import io
from dataclasses import dataclass, field
from urllib.parse import quote

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from qingshen.campaigns.models import CampaignEnterprise, HandlingLevel
from qingshen.core.pdf import render_pdf
from qingshen.industries.models import Industry
from qingshen.organizations.models import Organization
from qingshen.regions.models import Region

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

LISTED_HEADERS = ["序号", "企业名称", "统一社会信用代码", "所属城市", "所属区县", "行业大类名称", "行业名称",
                  "是否双超", "是否双有", "纳入原因", "负责评估验收部门", "备注"]
EXCLUDED_HEADERS = ["序号", "企业名称", "统一社会信用代码", "所属城市", "所属区县", "情况说明"]


@dataclass
class Row:
    seq: int
    name: str
    uscc: str
    city: str
    county: str
    division: str
    industry: str
    double_exceed: str
    double_toxic: str
    reasons: str
    handling: str
    note: str
    exclusion_reason: str = ""

    def listed_cells(self) -> list:
        return [self.seq, self.name, self.uscc, self.city, self.county, self.division, self.industry,
                self.double_exceed, self.double_toxic, self.reasons, self.handling, self.note]

    def excluded_cells(self) -> list:
        return [self.seq, self.name, self.uscc, self.city, self.county, self.exclusion_reason]


@dataclass
class FinalList:
    task: object
    title: str
    listed: list[Row] = field(default_factory=list)
    excluded: list[Row] = field(default_factory=list)
    made_on: object = None

    @property
    def organization(self):
        return self.task.organization

    @property
    def proposed_count(self) -> int:
        return sum(1 for row in self.listed if row.note)


def build(task) -> FinalList:
    """The task's list as it stands now."""
    members = list(
        task.members().select_related("enterprise__region", "enterprise__industry", "proposed_by")
        .order_by("seq", "pk")
    )
    city_codes = {m.city_code for m in members if m.city_code}
    city_names = dict(Region.objects.filter(code__in=city_codes).values_list("code", "name"))
    departments = dict(
        Organization.objects.filter(region_id__in=city_codes | {task.province_code},
                                    kind__in=Organization.DEPARTMENT_KINDS).values_list("region_id", "name")
    )
    divisions = dict(Industry.objects.filter(level=Industry.Level.DIVISION).values_list("code", "name"))
    province_department = departments.get(task.province_code, "河北省生态环境厅")

    result = FinalList(task=task, title=f"{task.campaign.name}名单", made_on=timezone.localdate())
    for member in members:
        enterprise = member.enterprise
        region = enterprise.region
        industry = enterprise.industry
        handling = (province_department if member.handling_level == HandlingLevel.PROVINCE
                    else departments.get(member.city_code, "市级生态环境部门"))
        note = ""
        if member.status == CampaignEnterprise.Status.PROPOSED:
            note = f"增补待审（{member.proposed_by.name}）" if member.proposed_by_id else "增补待审"
        row = Row(
            seq=0, name=enterprise.name, uscc=enterprise.uscc or "",
            city=city_names.get(member.city_code, ""),
            county=region.name if region.level == Region.Level.COUNTY else "",
            division=divisions.get(industry.division_code, "") if industry else "",
            industry=industry.name if industry else "",
            double_exceed="是" if enterprise.double_exceed else "否",
            double_toxic="是" if enterprise.double_toxic else "否",
            reasons="、".join(member.reason_labels), handling=handling, note=note,
            exclusion_reason=member.exclusion_reason,
        )
        if member.status == CampaignEnterprise.Status.EXCLUDED:
            row.seq = len(result.excluded) + 1
            result.excluded.append(row)
        else:
            row.seq = len(result.listed) + 1
            result.listed.append(row)
    return result


def file_name(task, extension: str) -> str:
    return f"{task.campaign.name}名单（{task.organization.name}）.{extension}"


def content_disposition(name: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(name)}"


# --- .xlsx -------------------------------------------------------------------------------------

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WIDTHS = {"序号": 6, "企业名称": 36, "统一社会信用代码": 22, "所属城市": 10, "所属区县": 14, "行业大类名称": 24,
           "行业名称": 24, "是否双超": 9, "是否双有": 9, "纳入原因": 16, "负责评估验收部门": 20, "备注": 22,
           "情况说明": 50}


def _sheet(sheet, title, headers, rows):
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows(min_row=3):
        for cell in line:
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            cell.number_format = "@" if cell.column > 1 else "General"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(header, 14)
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def as_xlsx(final: FinalList) -> bytes:
    workbook = Workbook()
    listed = workbook.active
    listed.title = "最终名单"
    heading = f"{final.title}（{final.organization.name}核定，共 {len(final.listed)} 家）"
    _sheet(listed, heading, LISTED_HEADERS, [row.listed_cells() for row in final.listed])
    excluded = workbook.create_sheet("标注为否的企业")
    _sheet(excluded, f"标注为“否”的企业（共 {len(final.excluded)} 家）", EXCLUDED_HEADERS,
           [row.excluded_cells() for row in final.excluded])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF ---------------------------------------------------------------------------------------


def as_pdf(final: FinalList) -> bytes:
    """A4 landscape, Song face embedded, with the department's name for the seal and the date."""
    return render_pdf("rosters/final_list_pdf.html", {"final": final, "task": final.task,
                                                      "campaign": final.task.campaign})
