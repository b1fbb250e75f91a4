"""统计看板 pages (officials): the dashboard of one campaign over the user's jurisdiction, the list
of enterprises behind any figure, its .xlsx export (and each table's), and 发送提醒 to the
enterprises of a list.

Figures come from `supervision.dashboard` (aggregate queries); the list, the export and the
reminder all read the same query parameters, so what is reminded is what was listed.
"""


from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View
from django.views.generic import ListView, TemplateView

from qingshen.accounts.models import User
from qingshen.benchmarking import statistics as benchmark_statistics
from qingshen.benchmarking.models import Benchmark
from qingshen.campaigns.models import Campaign, Party
from qingshen.core import xlsx
from qingshen.core.roles import OFFICIAL_ROLES
from qingshen.core.views import Breadcrumbs
from qingshen.notifications.services import notify
from qingshen.options.totals import METRICS
from qingshen.projects.statistics import region_in_jurisdiction
from qingshen.supervision import dashboard, due

CRUMB = ("统计分析", None)
LIST_PARAMS = ("stage", "region", "division", "handling", "overdue", "option", "benchmark")


class DashboardMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    permission_required = "projects.view_auditproject"

    def has_permission(self):
        """Officials only: the enterprise side holds the same permission for its own project."""
        return super().has_permission() and self.request.user.role in OFFICIAL_ROLES

    def campaigns(self):
        return list(Campaign.objects.restrict(self.request.user).order_by("-year", "-created_at"))

    def campaign(self, campaigns=None):
        """?campaign= among those the user may see (404 otherwise); by default the latest."""
        campaigns = self.campaigns() if campaigns is None else campaigns
        wanted = self.request.GET.get("campaign") or self.request.POST.get("campaign")
        if wanted:
            chosen = next((c for c in campaigns if str(c.pk) == wanted), None)
            if chosen is None:
                raise Http404
            return chosen
        if not campaigns:
            raise Http404
        return campaigns[0]

    def filters(self) -> dashboard.Filters:
        """The list's filters from the query string (404 for a value that names nothing here)."""
        return parse_filters(self.request.user, self.request.GET if self.request.method == "GET" else self.request.POST)

    def list_query(self, campaign) -> str:
        source = self.request.GET if self.request.method == "GET" else self.request.POST
        return urlencode({"campaign": campaign.pk, **{p: source[p] for p in LIST_PARAMS if source.get(p)}})


def _not_found():
    raise Http404


def parse_filters(user, get) -> dashboard.Filters:
    """A figure's list filters from query parameters; Http404 for a value that names nothing
    the user may see (a region outside the jurisdiction, an unknown stage)."""
    filters = dashboard.Filters()
    if get.get("stage"):
        filters.stage = dashboard.STAGE_BY_KEY.get(get["stage"]) or _not_found()
    if get.get("region"):
        filters.region = region_in_jurisdiction(user, get["region"]) or _not_found()
    if get.get("division"):
        division = get["division"]
        if division != dashboard.NO_DIVISION and not (len(division) == 2 and division.isdigit()):
            _not_found()
        filters.division = division
    if get.get("handling"):
        filters.handling = get["handling"] if get["handling"] in dashboard.HANDLING else _not_found()
    if get.get("overdue"):
        filters.overdue = get["overdue"] if get["overdue"] in (*due.TRACKED, dashboard.OVERDUE_ANY) \
            else _not_found()
    if get.get("option"):
        filters.option = get["option"] if get["option"] in dashboard.OPTION_KEYS else _not_found()
    if get.get("benchmark"):
        stage, _, key = get["benchmark"].partition(":")
        if stage not in Benchmark.Stage.values or key not in benchmark_statistics.COLUMN_KEYS:
            _not_found()
        filters.benchmark = (stage, key)
    return filters


def figures(user, campaign) -> dict:
    """Everything the dashboard shows, from a constant number of aggregate queries."""
    regions = dashboard.by_region(user, campaign)
    overdue_rows, overdue_lines, _ = dashboard.overdue(user, campaign)
    totals, option_enterprises = dashboard.options(user, campaign)
    return {"regions": regions, "industries": dashboard.by_division(user, campaign),
            "handling": dashboard.by_handling(user, campaign), "overdue_rows": overdue_rows,
            "overdue_lines": overdue_lines, "option_totals": totals, "option_enterprises": option_enterprises,
            "benchmarks": dashboard.benchmarks(user, campaign),
            "headline": dashboard.headline(regions, overdue_lines, totals)}


def list_url(campaign, **params) -> str:
    return f"{reverse('supervision:dashboard_list')}?{urlencode({'campaign': campaign.pk, **params})}"


def chart_data(campaign, data) -> dict:
    """What dashboard.js draws; each point carries the address of the list behind it."""
    regions, stages = data["regions"], dashboard.STAGES[1:]
    ranked = sorted(regions.rows, key=lambda row: (-row.progress, row.key))
    totals = data["option_totals"]
    return {
        "stages": [{"name": s.label, "value": regions.total.counts.get(s.key, 0),
                    "url": list_url(campaign, stage=s.key)} for s in stages],
        "regions": [{"name": row.name, "value": row.progress, "roster": row.counts.get("roster", 0),
                     "url": list_url(campaign, region=row.key)} for row in ranked],
        "industries": [{"name": row.name, "value": row.counts.get("roster", 0),
                        "url": list_url(campaign, division=row.key)} for row in data["industries"].rows],
        "handling": [{"name": row.name, "value": row.counts.get("roster", 0),
                      "url": list_url(campaign, handling=row.key)} for row in data["handling"].rows],
        "overdue": [{"name": label, "value": n, "url": list_url(campaign, overdue=kind)}
                    for kind, label, n in data["overdue_rows"]],
        "options": [{"name": label, "all": totals.all[cls].count, "implemented": totals.implemented[cls].count,
                     "investment": float(totals.all[cls].investment),
                     "url": list_url(campaign, option=f"{cls}_all")}
                    for cls, label in (("low", "无低费"), ("high", "中高费"))],
    }


def option_rows(data) -> list[dict]:
    """The options table: a row per class and subset, with the enterprises having such options."""
    totals, enterprises = data["option_totals"], data["option_enterprises"]
    rows = []
    for cls, label in (("low", "无低费"), ("high", "中高费"), ("total", "合计")):
        for subset, subset_label in (("all", "全部方案"), ("implemented", "已实施")):
            key = f"{cls}_{subset}"
            rows.append({"key": key, "label": label, "subset": subset_label, "figures": totals.figures[subset][cls],
                         "enterprises": enterprises[key]})
    return rows


class DashboardView(DashboardMixin, TemplateView):
    template_name = "supervision/dashboard.html"
    breadcrumbs = [CRUMB, ("统计看板", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns = self.campaigns()
        campaign = self.campaign(campaigns) if campaigns else None
        context.update(campaigns=campaigns, campaign=campaign)
        if campaign is not None:
            data = figures(self.request.user, campaign)
            context.update(data, stages=dashboard.STAGES, chart=chart_data(campaign, data),
                           option_rows=option_rows(data),
                           metrics=METRICS, benchmark_columns=benchmark_statistics.COLUMNS,
                           benchmark_stages=Benchmark.Stage.choices,
                           list_base=f"{reverse('supervision:dashboard_list')}?campaign={campaign.pk}",
                           export_base=f"{reverse('supervision:dashboard_export')}?campaign={campaign.pk}")
        return context


class DashboardListView(DashboardMixin, ListView):
    """The enterprises behind one figure: ?campaign=&stage=&region=&division=&handling=&overdue=…"""

    template_name = "supervision/dashboard_list.html"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        self.the_campaign = self.campaign()
        self.the_filters = self.filters()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return dashboard.members(self.request.user, self.the_campaign, self.the_filters)

    def get_breadcrumbs(self):
        back = f"{reverse('supervision:dashboard')}?campaign={self.the_campaign.pk}"
        return [CRUMB, ("统计看板", back), (f"{self.the_campaign.name} · {self.the_filters.describe()}", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.list_query(self.the_campaign)
        context.update(campaign=self.the_campaign, filters=self.the_filters, querystring=query,
                       params={p: self.request.GET[p] for p in LIST_PARAMS if self.request.GET.get(p)})
        return context


def _workbook(title: str, scope: str, header: list, rows: list) -> bytes:
    return xlsx.single(title, title, xlsx.made_at(scope), header, rows)


def _breakdown_table(breakdown) -> tuple[list, list]:
    header = [breakdown.label, *(stage.label for stage in dashboard.STAGES), "进度（%）"]
    rows = [[row.name, *(n for _, n in row.cells()), row.progress] for row in [*breakdown.rows, breakdown.total]]
    return header, rows


def table(name: str, data) -> tuple[str, list, list]:
    """(title, header, rows) of one dashboard table, as shown under its chart."""
    if name == "stages":
        counts = data["regions"].total.counts
        return "按阶段", ["阶段", "企业数"], [[s.label, counts.get(s.key, 0)] for s in dashboard.STAGES]
    if name in ("regions", "industries", "handling"):
        title = {"regions": "按区域", "industries": "按行业", "handling": "按办理机构"}[name]
        return (title, *_breakdown_table(data[name]))
    if name == "overdue":
        return "逾期事项", ["时间节点", "逾期企业数"], [[label, n] for _, label, n in data["overdue_rows"]]
    if name == "options":
        header = ["方案类别", "范围", "涉及企业", "方案数", *(f"{label}（{unit}）" for _, label, unit in METRICS)]
        return "方案情况", header, [
            [row["label"], row["subset"], row["enterprises"], row["figures"].count,
             *(float(getattr(row["figures"], m)) for m, _, _ in METRICS)] for row in option_rows(data)]
    if name == "benchmarks":
        total = data["benchmarks"]
        header = ["对标阶段", *(label for _, label in benchmark_statistics.COLUMNS)]
        return "对标等级", header, [[label, *(n for _, n in total.cells(stage))]
                                 for stage, label in Benchmark.Stage.choices]
    raise Http404


TABLES = ("stages", "regions", "industries", "handling", "overdue", "options", "benchmarks")


def _xlsx(content: bytes, filename: str):
    return xlsx.response(content, filename)


def _scope(user) -> str:
    organization = user.organization
    region = organization.region if organization is not None else None
    return f"统计范围：{region.name if region else '全省'}"


class DashboardExportView(DashboardMixin, View):
    """GET ?table=stages|regions|…: a dashboard table, at once (a few dozen rows). POST with a
    list's parameters: the enterprises behind a figure — as many as the roster holds — exported
    by a background job (`supervision.exporting`) whose page shows its progress."""

    def get(self, request):
        campaign = self.campaign()
        name = request.GET.get("table") or "stages"
        if name not in TABLES:
            raise Http404
        title, header, rows = table(name, figures(request.user, campaign))
        content = _workbook(f"{campaign.name} · {title}", _scope(request.user), header, rows)
        return _xlsx(content, f"统计看板-{title}-{campaign.code}.xlsx")

    def post(self, request):
        from qingshen.jobs.services import start_job
        from qingshen.supervision.exporting import LIST_KIND

        campaign = self.campaign()
        filters = self.filters()  # a bad parameter is refused now, not in the worker
        job = start_job(request.user, kind=LIST_KIND, title=f"导出统计看板企业名单（{filters.describe()}）",
                        params={"query": self.list_query(campaign)})
        return redirect(job.get_absolute_url())


LIST_HEADER = ["企业名称", "统一社会信用代码", "所属区县", "所属行业", "办理机构", "告知书下发时间", "项目编号",
               "项目负责人", "移动电话"]


def _list_row(member) -> list:
    enterprise, project = member.enterprise, _project(member)
    return [enterprise.name, enterprise.uscc or "", enterprise.region.name,
            str(enterprise.industry) if enterprise.industry else "", member.get_handling_level_display(),
            _letter_time(member), *((project.number, project.project_lead, project.project_lead_mobile)
                                    if project else ("", "", ""))]


def _project(member):
    """The line's project, if any (a missing reverse one-to-one raises an AttributeError)."""
    return getattr(member, "project", None)


def _letter_time(member) -> str:
    letter = getattr(member, "letter", None)
    return f"{timezone.localtime(letter.dispatched_at):%Y-%m-%d %H:%M}" if letter and letter.dispatched_at else ""


class RemindView(DashboardMixin, View):
    """发送提醒: a message to the accounts of each enterprise of the list, naming its step and due
    date. The key holds the sender and today's date, so a double click sends once a day."""

    def post(self, request):
        campaign = self.campaign()
        filters = self.filters()
        lines = dashboard.members(request.user, campaign, filters)
        items = due.items(campaign, due.annotated(lines))
        accounts: dict[int, list] = {}
        for user in User.objects.filter(is_active=True, organization__enterprise_id__in=lines.values(
                "enterprise_id")).select_related("organization"):
            accounts.setdefault(user.organization.enterprise_id, []).append(user)
        today = timezone.localdate()
        chosen = _step_per_member(items, filters.overdue)
        reminded = without_account = already = 0
        for member, item in chosen.values():
            recipients = accounts.get(member.enterprise_id, [])
            if not recipients:
                without_account += 1
                continue
            title, body = _wording(campaign, member, item)
            project = _project(member)
            sent = notify(recipients, kind="reminder", title=title, body=body,
                          link=project.get_absolute_url() if project else reverse("supervision:due"),
                          dedupe_key=f"remind:{request.user.pk}:{today.isoformat()}:{campaign.pk}:{member.pk}",
                          actor=request.user)
            if sent:
                reminded += 1
            else:
                already += 1
        said = f"已向 {reminded} 家企业发送提醒。"
        if already:
            said += f"{already} 家今日已由您提醒过，未重复发送。"
        if without_account:
            said += f"{without_account} 家企业尚无系统账号，未能提醒。"
        messages.success(request, said)
        return redirect(f"{reverse('supervision:dashboard_list')}?{self.list_query(campaign)}")


def _step_per_member(items, overdue_kind) -> dict:
    """{member pk: (member, the due item to name or None)}: the overdue step the list is about,
    else the enterprise's first step not yet done."""
    chosen: dict[int, tuple] = {}
    for item in items:
        member_pk = item.member.pk
        chosen.setdefault(member_pk, (item.member, None))
        if chosen[member_pk][1] is not None or item.done is not None:
            continue
        if overdue_kind and overdue_kind != dashboard.OVERDUE_ANY:
            if item.kind == overdue_kind:
                chosen[member_pk] = (item.member, item)
        elif item.party == Party.ENTERPRISE and (not overdue_kind or item.state == due.OVERDUE):
            chosen[member_pk] = (item.member, item)
    return chosen


def _wording(campaign, member, item) -> tuple[str, str]:
    name = member.enterprise.name
    if item is None:
        return f"督办提醒：{campaign.name}", f"{name}：请按{campaign.name}的要求及时推进清洁生产审核工作。"
    step = item.title
    if item.due is None:
        return f"督办提醒：{step}", f"{name}：请尽快完成“{step}”。"
    if item.state == due.OVERDUE:
        return (f"督办提醒：{step}（已逾期）",
                f"{name}：“{step}”已于{item.due:%Y年%-m月%-d日}到期，尚未完成，已逾期 {item.days} 天，请尽快完成。")
    return f"督办提醒：{step}", f"{name}：请于{item.due:%Y年%-m月%-d日}前完成“{step}”。"
