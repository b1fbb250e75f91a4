"""时间节点督办 pages: a campaign's due items over the user's jurisdiction (officials), or the
enterprise's own (企业待办)."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.paginator import Paginator
from django.views.generic import TemplateView

from qingshen.campaigns.models import Campaign, MilestoneKind
from qingshen.core.views import Breadcrumbs
from qingshen.supervision import due


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
        all_items = due.for_user(self.request.user, campaign) if campaign else []
        shown = [item for item in all_items if (not state or item.state == state) and (not kind or item.kind == kind)]
        page = Paginator(shown, 100).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(campaigns=campaigns, campaign=campaign, state=state, kind=kind, states=due.STATES,
                       kinds=[(k, MilestoneKind(k).label) for k in due.TRACKED], summary=due.summary(all_items),
                       page_obj=page, items=page.object_list, querystring=query.urlencode())
        return context
