"""痕迹清单: the default checklist, and each campaign's own copy, kept by the province (or the
system administrator): create the copy, add, edit, remove, make required or optional, reorder,
or go back to the default. Every page needs filings.change_checklist; every change goes through
the services, which check it again."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from qingshen.campaigns.models import Campaign
from qingshen.core.views import Breadcrumbs
from qingshen.filings import checklist, services, tables
from qingshen.filings.forms import ChecklistItemForm
from qingshen.filings.models import CampaignChecklist, ChecklistItem, Phase

SYSTEM_CRUMB = ("系统管理", None)
INDEX_CRUMB = ("痕迹清单", "/filings/checklists/")


def grouped(items):
    """[(phase, [items])] for every phase, in order."""
    by_phase = {phase.value: [] for phase in Phase}
    for item in items:
        by_phase[item.phase].append(item)
    return [(phase, by_phase[phase.value]) for phase in Phase]


class AdminMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    permission_required = "filings.change_checklist"

    def get_campaign(self, pk=None):
        return get_object_or_404(Campaign.objects.restrict(self.request.user), pk=pk or self.kwargs["pk"])

    def get_item(self):
        """A campaign's own item (the default set is data: it is changed in its file)."""
        campaigns = Campaign.objects.restrict(self.request.user)
        return get_object_or_404(ChecklistItem.objects.select_related("campaign")
                                 .filter(campaign__in=campaigns), pk=self.kwargs["pk"])


class ChecklistIndexView(AdminMixin, TemplateView):
    """Every campaign and which set it uses; below, the default set."""

    template_name = "filings/checklist_index.html"
    breadcrumbs = [SYSTEM_CRUMB, ("痕迹清单", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaigns = (Campaign.objects.restrict(self.request.user)
                     .annotate(has_own=Exists(CampaignChecklist.objects.filter(campaign=OuterRef("pk"))),
                               item_count=Count("checklist_items"))
                     .order_by("-year", "-created_at"))
        context.update(campaigns=campaigns, phases=grouped(ChecklistItem.objects.filter(campaign__isnull=True)
                                                         .order_by("order", "pk")),
                       table_labels=dict(tables.choices()), registered=set(tables.TABLES))
        return context


class CampaignChecklistView(AdminMixin, TemplateView):
    template_name = "filings/checklist_campaign.html"

    def get_breadcrumbs(self):
        return [SYSTEM_CRUMB, INDEX_CRUMB, (f"{self.campaign.name}", None)]

    def get_context_data(self, **kwargs):
        self.campaign = self.get_campaign()
        context = super().get_context_data(**kwargs)
        own = checklist.has_own(self.campaign.pk)
        context.update(campaign=self.campaign, own=own, phases=grouped(checklist.items_for(self.campaign.pk)),
                       table_labels=dict(tables.choices()), registered=set(tables.TABLES))
        return context


class CampaignActionView(AdminMixin, View):
    """建立本批次清单 / 恢复默认清单 (POST)."""

    action = ""

    def post(self, request, pk):
        campaign = self.get_campaign(pk)
        try:
            if self.action == "copy":
                services.copy_default(request.user, campaign)
                messages.success(request, "已建立本批次痕迹清单（复制默认清单），可以修改。")
            else:
                services.discard(request.user, campaign)
                messages.success(request, "本批次已恢复使用默认痕迹清单。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect("filings:checklist", pk=campaign.pk)


class ItemFormView(AdminMixin, FormView):
    """增加清单项 (pk = the campaign) or 修改清单项 (pk = the item)."""

    template_name = "filings/checklist_item_form.html"
    form_class = ChecklistItemForm
    editing = False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission_required):
            if self.editing:
                self.item = self.get_item()
                self.campaign = self.item.campaign
            else:
                self.item = None
                self.campaign = self.get_campaign()
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return [SYSTEM_CRUMB, INDEX_CRUMB, (self.campaign.name, reverse("filings:checklist", args=[self.campaign.pk])),
                ("修改清单项" if self.editing else "增加清单项", None)]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["editing"] = self.editing
        return kwargs

    def get_initial(self):
        if self.item is None:
            return {"phase": self.request.GET.get("phase", ""), "required": True}
        item = self.item
        return {"title": item.title, "kind": item.kind, "table_code": item.table_code, "required": item.required,
                "guidance": item.guidance, "version": item.version}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(campaign=self.campaign, item=self.item, own=checklist.has_own(self.campaign.pk))
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        fields = {"title": data["title"], "kind": data["kind"], "required": data["required"],
                  "guidance": data["guidance"], "table_code": data.get("table_code", "")}
        try:
            if self.editing:
                item = services.update_item(self.request.user, self.item, expected_version=data.get("version"),
                                            **fields)
            else:
                item = services.add_item(self.request.user, self.campaign, phase=data["phase"], **fields)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and set(exc.error_dict) <= set(form.fields):
                form.add_error(None, exc)
            else:
                for message in exc.messages:
                    form.add_error(None, message)
            return self.form_invalid(form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"已保存：{item}")
        return redirect(reverse("filings:checklist", args=[self.campaign.pk]) + f"#item-{item.pk}")


class ItemActionView(AdminMixin, View):
    """删除 / 上移 / 下移 a campaign's item (POST)."""

    action = ""

    def post(self, request, pk):
        item = self.get_item()
        try:
            if self.action == "delete":
                services.remove_item(request.user, item, expected_version=request.POST.get("version"))
                messages.success(request, f"已删除：{item}")
            else:
                services.move_item(request.user, item, request.POST.get("direction", ""))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect(reverse("filings:checklist", args=[item.campaign_id]) + f"#phase-{item.phase}")
