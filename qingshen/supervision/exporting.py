"""The enterprises behind a dashboard figure as .xlsx, run as a background job
(`qingshen.jobs`): a province's list can hold every roster line, and the page shows the job's
progress instead of waiting for the file.

The job re-reads the list's parameters as its owner, so it exports exactly what that official
may see — at the moment it runs."""

import io

from django.http import Http404, QueryDict
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from qingshen.campaigns.models import Campaign
from qingshen.jobs.registry import JobError, register
from qingshen.supervision import dashboard

LIST_KIND = "supervision.dashboard_list"


@register(LIST_KIND)
def export_list(job, progress):
    from qingshen.supervision.views_dashboard import (
        LIST_HEADER,
        _list_row,
        _scope,
        parse_filters,
    )

    params = QueryDict(job.params.get("query", ""))
    campaign = Campaign.objects.restrict(job.owner).filter(pk=params.get("campaign") or 0).first()
    if campaign is None:
        raise JobError("清审批次不存在或不在您的管辖范围内。")
    try:
        filters = parse_filters(job.owner, params)
    except Http404:
        raise JobError("名单条件无效（区域或条件已不在您的管辖范围内）。") from None
    lines = dashboard.members(job.owner, campaign, filters)
    total = lines.count()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名单")
    bold = Font(bold=True)

    def heading(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        return cell

    sheet.append([heading(f"{campaign.name} · {filters.describe()}")])
    sheet.append([f"{_scope(job.owner)}　导出时间：{timezone.localtime():%Y-%m-%d %H:%M}"])
    sheet.append([heading(value) for value in LIST_HEADER])
    done = 0
    for member in lines.iterator(chunk_size=500):
        sheet.append(_list_row(member))
        done += 1
        if done % 500 == 0:
            progress(done, total)
    progress(done, total)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return f"统计看板-企业名单-{campaign.code}.xlsx", buffer.getvalue()
