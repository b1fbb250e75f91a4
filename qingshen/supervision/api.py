"""Supervision in the API, scoped like the pages.

- `/api/due-items/?campaign=&kind=&state=` — the roster lines the caller may see (officials:
  their jurisdiction; an enterprise or its consultancy: its own), each with its due items
  (节点, 截止日期, 完成日期, 状态); with `kind` and/or `state`, only the lines having such an item,
  and only those items. Paginated by line; the filtering is done in SQL (`supervision.due`).
- `/api/report-items/?campaign=` — the departments' reports due (报送事项: 评估情况汇总, 工作总结,
  排污许可证变更情况) of the organisations in the caller's jurisdiction (officials and permit
  authorities).
- `/api/dashboard/?campaign=` — the figures of 统计看板 (officials): stages by region, industry and
  handling level, overdue steps, options, benchmark levels.

`campaign` defaults to the latest campaign the caller sees; one it does not see is 404.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from qingshen.benchmarking import statistics as benchmark_statistics
from qingshen.campaigns.models import Campaign
from qingshen.core.roles import OFFICIAL_ROLES, Role
from qingshen.supervision import dashboard, due, reports_due

STATE_HELP = "；".join(f"{k} = {v}" for k, v in due.STATES.items())
KIND_HELP = "；".join(f"{k} = {due.title(k)}" for k in due.TRACKED)
CAMPAIGN = OpenApiParameter("campaign", int, description="清审批次编号，默认最新")


def _campaign(request):
    campaigns = Campaign.objects.restrict(request.user).order_by("-year", "-created_at")
    wanted = request.query_params.get("campaign")
    if not wanted:
        return campaigns.first()
    campaign = campaigns.filter(pk=wanted).first() if wanted.isdigit() else None
    if campaign is None:
        raise exceptions.NotFound(f"清审批次“{wanted}”不存在或不在您的范围内。")
    return campaign


class RolesOnly(IsAuthenticated):
    """The roles a viewset names in `roles`, with the permission the pages ask for."""

    def has_permission(self, request, view):
        return (super().has_permission(request, view) and request.user.role in view.roles
                and request.user.has_perm(view.permission))


class DueItemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=KIND_HELP)
    title = serializers.CharField()
    party = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    done = serializers.DateField(allow_null=True)
    state = serializers.CharField(help_text=STATE_HELP)
    state_label = serializers.CharField()
    days = serializers.IntegerField(allow_null=True, help_text="未到期：剩余天数；已逾期或逾期完成：逾期天数")


class DueLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="名单企业（CampaignEnterprise）编号")
    enterprise = serializers.CharField()
    county = serializers.CharField()
    items = DueItemSerializer(many=True)


class _Lines:
    """The lines of the filter as a sequence the paginator slices: one count, and each page's
    items built for that page only."""

    def __init__(self, campaign, lines, pks, kind, state):
        self.campaign, self.lines, self.pks, self.kind, self.state = campaign, lines, pks, kind, state

    def count(self) -> int:
        return self.pks.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key:key + 1][0]
        pks = list(self.pks[key])
        chosen = due.annotated(self.lines.filter(pk__in=pks))
        rows: dict[int, dict] = {}
        for item in due.items(self.campaign, chosen):
            member = item.member
            row = rows.setdefault(member.pk, {"id": member.pk, "enterprise": member.enterprise.name,
                                              "county": member.enterprise.region.name, "items": []})
            if (not self.kind or item.kind == self.kind) and (not self.state or item.state == self.state):
                row["items"].append(item)
        return [rows[pk] for pk in pks if pk in rows]


@extend_schema(parameters=[CAMPAIGN, OpenApiParameter("kind", str, enum=list(due.TRACKED)),
                           OpenApiParameter("state", str, enum=list(due.STATES))])
class DueItemViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """时间节点督办：辖区内（企业：本企业）每家名单企业的时间节点、截止日期、完成日期和状态。"""

    serializer_class = DueLineSerializer
    permission_classes = [RolesOnly]
    roles = frozenset(Role) - {Role.EXPERT}
    permission = "campaigns.view_campaign"
    filter_backends = []

    def get_queryset(self):
        params = self.request.query_params
        kind, state = params.get("kind") or "", params.get("state") or ""
        if kind and kind not in due.TRACKED:
            raise exceptions.ValidationError({"kind": f"时间节点“{kind}”不存在，可选：{KIND_HELP}。"})
        if state and state not in due.STATES:
            raise exceptions.ValidationError({"state": f"状态“{state}”不存在，可选：{STATE_HELP}。"})
        campaign = _campaign(self.request)
        if campaign is None:
            return []
        lines = due.lines(self.request.user, campaign)
        dates = due.Dates(campaign, lines)
        condition = due.NEVER if state else None
        for each in ([kind] if kind else due.TRACKED) if state else ():
            condition |= due.state_condition(each, state, dates)
        chosen = due.with_states(lines, dates)
        if condition is not None:
            chosen = chosen.filter(condition)
        pks = chosen.order_by("county_code", "seq", "pk").values_list("pk", flat=True)
        return _Lines(campaign, lines, pks, kind, state)


class ReportItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="organization.pk", help_text="报送单位（Organization）编号")
    organization = serializers.CharField(source="organization.name")
    kind = serializers.CharField(help_text="evaluation_summary = 报送评估情况汇总；work_summary = 报送工作总结；"
                                           "permit_updated = 审核要求列入排污许可证；"
                                           "permit_reported = 报送排污许可证变更情况")
    title = serializers.CharField()
    due = serializers.DateField(allow_null=True, help_text="上级规定的截止日期")
    done = serializers.DateField(allow_null=True, help_text="首次报送日期（许可证变更：最后一家变更的日期）")
    state = serializers.CharField(help_text=STATE_HELP)
    state_label = serializers.CharField()
    version = serializers.IntegerField(source="report.version", allow_null=True, default=None)
    status = serializers.CharField(source="report.get_status_display", allow_null=True, default=None)
    progress = serializers.CharField(help_text="审核要求列入排污许可证：已变更的家数")


@extend_schema(parameters=[CAMPAIGN])
class ReportItemViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """报送事项：辖区内各部门应报送的评估情况汇总、工作总结和排污许可证变更情况，截止日期与状态。"""

    serializer_class = ReportItemSerializer
    permission_classes = [RolesOnly]
    roles = OFFICIAL_ROLES | {Role.PERMIT_AUTHORITY}
    permission = "campaigns.view_campaign"
    filter_backends = []

    def get_queryset(self):
        campaign = _campaign(self.request)
        return reports_due.items(self.request.user, campaign) if campaign is not None else []


def _breakdown(breakdown) -> list[dict]:
    return [{"key": row.key, "name": row.name, "counts": row.counts, "progress": row.progress}
            for row in [*breakdown.rows, breakdown.total]]


class DashboardViewSet(viewsets.ViewSet):
    """统计看板的数字（生态环境部门）：按区域、行业、办理机构的各阶段企业数，逾期节点，方案，对标等级。"""

    permission_classes = [RolesOnly]
    roles = OFFICIAL_ROLES
    permission = "projects.view_auditproject"

    @extend_schema(parameters=[CAMPAIGN], responses=OpenApiTypes.OBJECT)
    def list(self, request):
        campaign = _campaign(request)
        if campaign is None:
            return Response({"campaign": None})
        user = request.user
        regions = dashboard.by_region(user, campaign)
        overdue_rows, overdue_lines, _ = dashboard.overdue(user, campaign)
        totals, enterprises = dashboard.options(user, campaign)
        benchmark_total = dashboard.benchmarks(user, campaign)
        return Response({
            "campaign": {"id": campaign.pk, "name": campaign.name},
            "stages": [{"key": s.key, "label": s.label} for s in dashboard.STAGES],
            "regions": _breakdown(regions),
            "industries": _breakdown(dashboard.by_division(user, campaign)),
            "handling": _breakdown(dashboard.by_handling(user, campaign)),
            "overdue": {"lines": overdue_lines,
                        "steps": [{"kind": kind, "label": label, "lines": n} for kind, label, n in overdue_rows]},
            "options": {**totals.as_dict(), "enterprises": enterprises,
                        "classes": {"low": "无低费", "high": "中高费", "total": "合计"}},
            "benchmarks": {stage: {key: n for key, n in benchmark_total.cells(stage)}
                           for stage in ("before", "after")},
            "benchmark_columns": dict(benchmark_statistics.COLUMNS),
        })


ROUTES = [
    ("due-items", DueItemViewSet, "due-item"),
    ("report-items", ReportItemViewSet, "report-item"),
    ("dashboard", DashboardViewSet, "dashboard"),
]
