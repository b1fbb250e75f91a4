"""The list of checks (filters by kind and conclusion, counts) and its .xlsx export (the same
filters, every row, not only one page)."""


from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.views import View

from qingshen.benchmarking import definition as spec
from qingshen.core import xlsx
from qingshen.core.views import ObjectListView, ScopedViewMixin
from qingshen.production_checks.forms import PENDING, CheckFilterSet
from qingshen.production_checks.models import ProductionCheck
from qingshen.production_checks.presentation import shortfall_lines
from qingshen.production_checks.views.common import TITLE, VIEW, checks_for


class CheckListView(ObjectListView):
    model = ProductionCheck
    permission_required = VIEW
    filterset_class = CheckFilterSet
    template_name = "production_checks/check_list.html"
    breadcrumbs = [("业务办理", None), (TITLE, None)]

    def get_queryset(self):
        self.filterset = CheckFilterSet(self.request.GET or None, queryset=checks_for(self.request.user))
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = self.filterset
        context["counts"] = counts(self.filterset.qs)
        context["export_url"] = f"{reverse('production_checks:export')}?{context['querystring']}"
        return context


def counts(queryset) -> dict:
    """Totals of the filtered rows by kind and by conclusion, in one query."""
    rows = queryset.order_by().values("kind", "conclusion").annotate(n=Count("pk"))
    by_kind = {kind: 0 for kind in ProductionCheck.Kind.values}
    by_conclusion = {"met": 0, "not_met": 0, PENDING: 0}
    for row in rows:
        by_kind[row["kind"]] += row["n"]
        by_conclusion[row["conclusion"] or PENDING] += row["n"]
    return {"total": sum(by_kind.values()),
            "kinds": [(label, by_kind[value]) for value, label in ProductionCheck.Kind.choices],
            "met": by_conclusion["met"], "not_met": by_conclusion["not_met"], "pending": by_conclusion[PENDING]}


HEADER = ["企业名称", "统一社会信用代码", "所属区县", "核查类型", "项目名称", "清审批次", "指标体系",
          "Y_I", "Y_II", "Y_III", "对标等级", "对照目标", "未达目标的指标及需达到", "核查结论", "核查意见",
          "核查人", "核查时间", "结论时间"]


def export_row(check) -> list:
    result = check.result or {}
    indices = result.get("indices") or {}
    system = f"{check.system.name}（第 {check.system.version} 版）" if check.system else "无（与同行业对比）"
    level = spec.LEVEL_LABELS.get(check.level, "") + ("（试算）" if check.trial else "")
    met = "" if check.target_met is None else ("达到" if check.target_met else "未达到")
    return [check.enterprise.name, check.enterprise.uscc or "", check.enterprise.region.name, check.get_kind_display(),
            check.project_name, check.campaign.name if check.campaign else "", system,
            *(float(indices[k]) if k in indices else None for k in spec.LEVELS), level, met,
            "；".join(shortfall_lines(check.target)), check.conclusion_text or "未作结论", check.opinion,
            check.recorded_by.full_name if check.recorded_by else "", _time(check.recorded_at),
            _time(check.concluded_at)]


def _time(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def workbook(user, rows) -> bytes:
    organization = user.organization
    region = organization.region if organization is not None else None
    return xlsx.single(TITLE.replace("/", "、"), f"{TITLE}清单", xlsx.made_at(f"范围：{region.name if region else '全省'}"),
                       HEADER, [export_row(check) for check in rows])


class CheckExportView(ScopedViewMixin, View):
    permission_required = VIEW

    def get(self, request):
        rows = CheckFilterSet(request.GET or None, queryset=checks_for(request.user)).qs
        return xlsx.response(workbook(request.user, rows), f"投产复产核查-{timezone.localdate():%Y%m%d}.xlsx")
