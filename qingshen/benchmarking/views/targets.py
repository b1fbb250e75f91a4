"""对标目标: a campaign's target levels (the seed's rules unless the province changes them)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView

from qingshen.benchmarking import services
from qingshen.benchmarking.forms import TargetForm
from qingshen.benchmarking.models import CampaignTarget
from qingshen.campaigns.models import Campaign
from qingshen.core.views import ScopedViewMixin


class TargetView(ScopedViewMixin, FormView):
    model = Campaign
    permission_required = "campaigns.change_campaign"
    form_class = TargetForm
    template_name = "benchmarking/target_form.html"

    def get_campaign(self):
        if not hasattr(self, "campaign"):
            self.campaign = get_object_or_404(Campaign.objects.restrict(self.request.user), pk=self.kwargs["pk"])
        return self.campaign

    def get_breadcrumbs(self):
        campaign = self.get_campaign()
        return [("任务管理", None), (str(campaign), campaign.get_absolute_url()), ("对标目标", None)]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        campaign = self.get_campaign()
        kwargs["instance"] = CampaignTarget.objects.filter(campaign=campaign).first() or CampaignTarget(
            campaign=campaign, **CampaignTarget.DEFAULTS)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["campaign"] = self.get_campaign()
        return context

    def form_valid(self, form):
        try:
            services.save_target(self.request.user, self.get_campaign(), form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, getattr(exc, "messages", [str(exc)]))
            return self.form_invalid(form)
        messages.success(self.request, "已保存本批次的对标目标。")
        return redirect(reverse("benchmarking:target", args=[self.get_campaign().pk]))
