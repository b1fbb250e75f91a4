"""评分表: a campaign's score sheet per stage, kept by the province (items and their points)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView

from qingshen.campaigns.models import Campaign
from qingshen.core.forms import StyledFormMixin
from qingshen.core.views import ScopedViewMixin
from qingshen.reviews import services
from qingshen.reviews.models import ScoreItem


class ScoreItemForm(StyledFormMixin, forms.Form):
    stage = forms.ChoiceField(label="阶段", choices=[("evaluation", "评估"), ("acceptance", "验收")])
    title = forms.CharField(label="评分项", max_length=200, error_messages={"required": "请填写评分项。"})
    max_score = forms.IntegerField(label="分值", min_value=1, max_value=100,
                                   error_messages={"required": "请填写分值。"})


class ScoreSheetView(ScopedViewMixin, FormView):
    model = Campaign
    permission_required = "campaigns.change_campaign"
    form_class = ScoreItemForm
    template_name = "reviews/score_sheet.html"

    def get_campaign(self):
        if not hasattr(self, "campaign"):
            self.campaign = get_object_or_404(Campaign.objects.restrict(self.request.user), pk=self.kwargs["pk"])
        return self.campaign

    def get_breadcrumbs(self):
        campaign = self.get_campaign()
        return [("任务管理", None), (str(campaign), campaign.get_absolute_url()), ("专家评分表", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = list(ScoreItem.objects.filter(campaign=self.get_campaign()))
        context.update(campaign=self.campaign,
                       sheets=[(label, [i for i in items if i.stage == stage],
                                sum(i.max_score for i in items if i.stage == stage))
                               for stage, label in (("evaluation", "评估"), ("acceptance", "验收"))])
        return context

    def post(self, request, *args, **kwargs):
        if "remove" in request.POST:
            item = get_object_or_404(ScoreItem, pk=request.POST.get("remove"), campaign=self.get_campaign())
            try:
                services.remove_score_item(request.user, item)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, f"已删除评分项：{item.title}")
            return redirect("reviews:score_sheet", self.get_campaign().pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.add_score_item(self.request.user, self.get_campaign(), **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, getattr(exc, "messages", [str(exc)]))
            return self.form_invalid(form)
        messages.success(self.request, "已添加评分项。")
        return redirect("reviews:score_sheet", self.get_campaign().pk)
