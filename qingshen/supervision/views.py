"""时间节点督办 pages: a campaign's due items over the user's jurisdiction (officials), or the
enterprise's own (企业待办)."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Q
from django.views.generic import TemplateView

from qingshen.campaigns.models import Campaign
from qingshen.core.roles import OFFICIAL_ROLES, Role
from qingshen.core.views import Breadcrumbs
from qingshen.supervision import due, reports_due

#: Who sees the departments' reports (报送事项) on this page.
REPORTERS = OFFICIAL_ROLES | {Role.PERMIT_AUTHORITY}


class DueView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, TemplateView):
    permission_required = "campaigns.view_campaign"
    template_name = "supervision/due.html"
    breadcrumbs = [("统计分析", None), ("时间节点督办", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns = list(Campaign.objects.restrict(self.request.user).order_by("-year", "-created_at"))
        wanted = self.request.GET.get("campaign")
        campaign = next((c for c in campaigns if str(c.pk) == wanted), campaigns[0] if campaigns else None)
        state = self.request.GET.get("state") if self.request.GET.get("state") in due.STATES else ""
        kind = self.request.GET.get("kind") if self.request.GET.get("kind") in due.TRACKED else ""
        summary, shown = {}, []
        page = Paginator([], 50).get_page(1)
        if campaign is not None:
            lines = due.lines(self.request.user, campaign)
            dates = due.Dates(campaign, lines)
            summary, _ = due.counts(lines, dates)
            chosen = due.with_states(lines, dates).filter(_condition(kind, state, dates))
            page = Paginator(chosen.order_by("county_code", "seq", "pk").values_list("pk", flat=True), 50).get_page(
                self.request.GET.get("page"))
            on_page = due.annotated(lines.filter(pk__in=list(page.object_list))).order_by("county_code", "seq", "pk")
            shown = [item for item in due.items(campaign, on_page)
                     if (not state or item.state == state) and (not kind or item.kind == kind)]
        query = self.request.GET.copy()
        query.pop("page", None)
        reports = []
        if campaign is not None and self.request.user.role in REPORTERS:
            reports = reports_due.items(self.request.user, campaign)
        context.update(reports=reports, reports_overdue=sum(item.state == due.OVERDUE for item in reports),
                       intake=_intake(self.request.user, campaign))
        context.update(campaigns=campaigns, campaign=campaign, state=state, kind=kind, states=due.STATES,
                       kinds=[(k, due.title(k)) for k in due.TRACKED], summary=summary,
                       page_obj=page, items=shown, querystring=query.urlencode())
        return context


def _intake(user, campaign):
    """The reviews of the campaign waiting for this official's level (受理审核 and, for the
    handling level, the full review): how many, and since when the oldest waits — the county's
    and city's due items of intake; the list itself is the reviews app's 待办."""
    from django.db.models import Count, Min

    from qingshen.reviews import worklist

    if campaign is None or user.role not in OFFICIAL_ROLES:
        return None
    figures = worklist.waiting(user).filter(project__campaign=campaign).order_by().aggregate(
        count=Count("pk"), oldest=Min("arrived_at"))
    return figures if figures["count"] else None


def _condition(kind, state, dates):
    """The lines to list: with the step (or any step) in the state asked for."""
    if not state:
        return Q()
    if kind:
        return due.state_condition(kind, state, dates)
    condition = due.NEVER
    for each in due.TRACKED:
        condition |= due.state_condition(each, state, dates)
    return condition
