"""审核结果移交清单 pages: a campaign's passed / failed / overdue enterprises per stage, and the
same list as .xlsx (a few hundred rows at most: made at once)."""

import io

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import TemplateView
from openpyxl import Workbook
from openpyxl.styles import Font

from qingshen.campaigns.models import Campaign
from qingshen.core.views import Breadcrumbs
from qingshen.reviews import handover

HEADER = ["项目编号", "企业名称", "统一社会信用代码", "所属区县", "行业", "办理机构", "审核状态", "审核结论时间",
          "截止日期", "逾期天数", "排污许可证编号"]


class HandoverMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    permission_required = "reviews.view_handover"

    def choice(self):
        campaigns = list(Campaign.objects.restrict(self.request.user).order_by("-year", "-created_at"))
        wanted = self.request.GET.get("campaign")
        campaign = next((c for c in campaigns if str(c.pk) == wanted), campaigns[0] if campaigns else None)
        stage = self.request.GET.get("stage") if self.request.GET.get("stage") in handover.STAGES else "evaluation"
        category = (self.request.GET.get("category") if self.request.GET.get("category") in handover.CATEGORIES
                    else "passed")
        return campaigns, campaign, stage, category

    def rows(self, campaign, stage, category):
        return handover.lines(self.request.user, campaign, stage, category) if campaign else []


def cells(line) -> list:
    enterprise, review = line.project.enterprise, line.review
    return [line.project.number, enterprise.name, enterprise.uscc, enterprise.region.name,
            str(enterprise.industry) if enterprise.industry_id else "", line.project.member.get_handling_level_display(),
            review.get_status_display() if review else "未提交申请",
            timezone.localtime(review.decided_at).strftime("%Y-%m-%d") if review and review.decided_at else "",
            line.due.isoformat() if line.due else "", line.overdue_days or "", enterprise.permit_number]


class HandoverView(HandoverMixin, TemplateView):
    template_name = "reviews/handover.html"
    breadcrumbs = [("统计分析", None), ("审核结果移交清单", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns, campaign, stage, category = self.choice()
        context.update(campaigns=campaigns, campaign=campaign, stage=stage, category=category,
                       stages=handover.STAGES, categories=handover.CATEGORIES, header=HEADER,
                       lines=[cells(line) for line in self.rows(campaign, stage, category)],
                       querystring=self.request.GET.urlencode())
        return context


class HandoverExportView(HandoverMixin, View):
    def get(self, request):
        _, campaign, stage, category = self.choice()
        title = (f"{campaign.name if campaign else ''} {handover.STAGES[stage]}"
                 f"{handover.CATEGORIES[category]}企业清单")
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "移交清单"
        sheet.append([title])
        sheet.append([f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}"])
        sheet.append(HEADER)
        for line in self.rows(campaign, stage, category):
            sheet.append(cells(line))
        for cell in (sheet["A1"], *sheet[3]):
            cell.font = Font(bold=True)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        response["Content-Disposition"] = content_disposition_header(True, f"{title.strip()}.xlsx")
        return response
