"""New check and editing a draft: choose the enterprise, kind, project, campaign and indicator
system, enter the values (the benchmarking app's AnswersForm and table), 计算 to see Y_I/Y_II/Y_III,
the level and the target check, then save, or save and conclude in one step.

Nothing is lost on bad input: every field is redrawn as typed, with the messages of the
benchmarking form naming the indicator row. Choosing another system or enterprise redraws the
page for it without saving (the water context is then defaulted from the new enterprise).
"""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from qingshen.benchmarking import definition as spec
from qingshen.benchmarking.forms import AnswersForm
from qingshen.core.views import ScopedViewMixin
from qingshen.production_checks import services
from qingshen.production_checks.forms import CheckForm
from qingshen.production_checks.models import ProductionCheck
from qingshen.production_checks.views.common import ADD, CRUMBS, int_or_none, show_error

ACTIONS = ("calculate", "save", "conclude")


class CheckEntryView(ScopedViewMixin, TemplateView):
    model = ProductionCheck
    permission_required = ADD
    template_name = "production_checks/check_form.html"

    def get_check(self) -> ProductionCheck | None:
        if "pk" not in self.kwargs:
            return None
        if not hasattr(self, "check_row"):
            self.check_row = get_object_or_404(
                ProductionCheck.objects.restrict(self.request.user).select_related("enterprise__region", "system"),
                pk=self.kwargs["pk"])
        return self.check_row

    def get_breadcrumbs(self):
        check = self.get_check()
        if check is None:
            return [*CRUMBS, ("新建核查", None)]
        return [*CRUMBS, (str(check), check.get_absolute_url()), ("修改", None)]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(ADD):
            check = self.get_check()
            if check is not None and check.is_concluded:
                messages.error(request, services.CONCLUDED)
                return redirect(check)
        return super().dispatch(request, *args, **kwargs)

    # --- building the page -------------------------------------------------------------------

    def initial(self) -> dict:
        check = self.get_check()
        if check is not None:
            return {"enterprise": check.enterprise_id, "kind": check.kind, "project_name": check.project_name,
                    "campaign": check.campaign_id, "system": check.system_id,
                    "in_approved_park": check.in_approved_park, "centralized_treatment": check.centralized_treatment,
                    "peer_comparison": check.peer_comparison, "version": check.version}
        get = self.request.GET
        initial = {name: get[name] for name in ("enterprise", "kind", "project_name", "campaign", "system")
                   if get.get(name)}
        initial["token"] = uuid.uuid4()
        return initial

    def build(self, data=None) -> dict:
        user, check = self.request.user, self.get_check()
        initial = self.initial()
        probe = CheckForm(user=user)
        raw = data if data is not None else initial
        enterprise = _pick(probe.fields["enterprise"].queryset, raw.get("enterprise"))
        system = _pick(probe.fields["system"].queryset, raw.get("system"))
        switched = False
        if data is not None:
            switched = (data.get("system") or "") != (data.get("shown_system") or "") or \
                (data.get("enterprise") or "") != (data.get("shown_enterprise") or "")
            if (data.get("enterprise") or "") != (data.get("shown_enterprise") or "") and enterprise is not None:
                data = data.copy()  # a newly chosen enterprise brings its own water context
                for name in ("in_approved_park", "centralized_treatment"):
                    data.pop(name, None)
                    if getattr(enterprise, name):
                        data[name] = "on"
        elif check is None and enterprise is not None:
            initial.update(in_approved_park=enterprise.in_approved_park,
                           centralized_treatment=enterprise.centralized_treatment)
        form = CheckForm(data, user=user, initial=initial)
        answers_form = None
        if system is not None:
            saved = {}
            if check is not None and check.system_id == system.pk:
                saved = {value.seq: value.answer() for value in check.values.all()}
            answers_form = AnswersForm(spec.from_json(system.definition), None if switched else data, answers=saved)
        kind = raw.get("kind") or ""
        return {"form": form, "answers_form": answers_form, "system": system, "enterprise": enterprise,
                "check_row": check, "switched": switched,
                "warning": services.resumption_warning(kind, enterprise),
                "version": check.version if check else 0}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(kwargs.get("built") or self.build())
        return context

    # --- submitting ----------------------------------------------------------------------------

    def post(self, request, *args, **kwargs):
        built = self.build(request.POST)
        action = request.POST.get("action")
        action = action if action in ACTIONS else "calculate"
        form, answers_form = built["form"], built["answers_form"]
        if built["switched"]:
            messages.info(request, "已切换企业或指标体系，页面已按新的选择重新显示，尚未保存；请填写（核对）指标值后再计算。")
            return self.render(built)
        valid = form.is_valid() & (answers_form is None or answers_form.is_valid())
        if not valid:
            return self.render(built)
        data = form.cleaned_data
        answers = answers_form.answers() if answers_form else {}
        if built["system"] is not None:
            try:
                built["result"], built["target"], built["levels"] = services.compute(
                    built["system"], answers, campaign=data["campaign"], in_approved_park=data["in_approved_park"],
                    centralized_treatment=data["centralized_treatment"])
            except ValidationError as exc:
                answers_form.add_error(None, exc)
                return self.render(built)
        if action == "calculate":
            return self.render(built)
        if action == "conclude" and not data["conclusion"]:
            form.add_error("conclusion", "请选择核查结论。")
            return self.render(built)
        check = built["check_row"]
        try:
            check = services.save_check(
                request.user, check, enterprise=data["enterprise"], kind=data["kind"],
                project_name=data["project_name"], campaign=data["campaign"], system=built["system"], answers=answers,
                in_approved_park=data["in_approved_park"], centralized_treatment=data["centralized_treatment"],
                peer_comparison=data["peer_comparison"], token=data["token"] if check is None else None,
                version=int_or_none(request.POST.get("version")) if check is not None else None,
                conclusion=data["conclusion"] if action == "conclude" else "", opinion=data["opinion"])
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or "您无权进行投产/复产核查。")
            return self.render(built)
        except ValidationError as exc:
            show_error(form, exc)
            return self.render(built)
        if check.is_concluded:
            messages.success(request, f"已保存核查并作出结论：{check.conclusion_text}。")
        else:
            messages.success(request, "已保存核查（尚未作出结论）。")
        return redirect(check)

    def render(self, built):
        return self.render_to_response(self.get_context_data(built=built))


def _pick(queryset, raw):
    pk = int_or_none(raw.pk if hasattr(raw, "pk") else raw)
    return queryset.filter(pk=pk).first() if pk is not None else None
