"""对标统计 pages: each campaign's table, and the enterprises behind a figure."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import ListView, TemplateView

from qingshen.benchmarking import statistics
from qingshen.benchmarking.models import Benchmark
from qingshen.campaigns.models import Campaign
from qingshen.core.roles import OFFICIAL_ROLES
from qingshen.core.views import Breadcrumbs
from qingshen.projects.statistics import region_in_jurisdiction

CRUMB = ("对标统计", None)


class StatisticsMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    permission_required = ("benchmarking.view_benchmark", "campaigns.view_campaign", "projects.view_auditproject")

    def has_permission(self):
        """Officials only: the enterprise side has the same read permissions for its own project."""
        return super().has_permission() and (self.request.user.role in OFFICIAL_ROLES)


class StatisticsView(StatisticsMixin, TemplateView):
    template_name = "benchmarking/statistics.html"
    breadcrumbs = [("统计分析", None), CRUMB]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns = list(Campaign.objects.restrict(self.request.user).order_by("-year", "-created_at"))
        tables = []
        for campaign in campaigns:
            level, rows, total = statistics.table(self.request.user, campaign)
            tables.append({"campaign": campaign, "group_label": "地市" if level == "city" else "区县",
                           "rows": rows, "total": total})
        context.update(tables=tables, columns=statistics.COLUMNS, stages=Benchmark.Stage.choices)
        return context


class StatisticsListView(StatisticsMixin, ListView):
    """?stage=after&level=II&region=130681 (by default: every benchmark recorded before the audit)."""

    template_name = "benchmarking/statistics_list.html"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        self.campaign = get_object_or_404(Campaign.objects.restrict(request.user), pk=kwargs["pk"])
        self.stage = request.GET.get("stage") or Benchmark.Stage.BEFORE.value
        self.key = request.GET.get("level") or "recorded"
        if self.stage not in Benchmark.Stage.values or self.key not in statistics.COLUMN_KEYS:
            raise Http404
        code = request.GET.get("region", "")
        self.region = region_in_jurisdiction(request.user, code) if code else None
        if code and self.region is None:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return statistics.benchmarks(self.request.user, self.campaign, self.stage, self.key, self.region)

    def get_breadcrumbs(self):
        label = dict(statistics.COLUMNS)[self.key]
        where = self.region.name if self.region else "全部"
        return [("统计分析", None), ("对标统计", reverse("benchmarking:statistics")),
                (f"{self.campaign.name} · {where} · {Benchmark.Stage(self.stage).label} · {label}", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(campaign=self.campaign, querystring=query.urlencode())
        return context
