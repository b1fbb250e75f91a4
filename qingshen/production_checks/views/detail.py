"""One check, read-only and printable (the result as computed, the target check with the
indicators short of target and what they need, the conclusion), the enterprise's other checks
newest first, and — while no conclusion is recorded — the conclusion form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.generic import DetailView

from qingshen.core.views import ScopedViewMixin
from qingshen.enterprises.choices import Status as EnterpriseStatus
from qingshen.production_checks import services
from qingshen.production_checks.forms import ConcludeForm
from qingshen.production_checks.models import ProductionCheck
from qingshen.production_checks.views.common import (
    ADD,
    CRUMBS,
    VIEW,
    checks_for,
    int_or_none,
    show_error,
)


class CheckDetailView(ScopedViewMixin, DetailView):
    model = ProductionCheck
    permission_required = VIEW
    template_name = "production_checks/check_detail.html"
    context_object_name = "production_check"

    def get_queryset(self):
        return checks_for(self.request.user)

    def get_breadcrumbs(self):
        return [*CRUMBS, (str(self.object), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        check, user = self.object, self.request.user
        enterprise = check.enterprise
        context.update(
            result=check.result, target=check.target,
            history=list(checks_for(user).filter(enterprise=enterprise)),
            refusal=services.refusal(check) if not check.is_concluded else "",
            expected=services.expected_conclusion(check),
            can_conclude=user.has_perm(ADD) and not check.is_concluded,
            conclude_form=kwargs.get("conclude_form") or ConcludeForm(initial={
                "version": check.version, "conclusion": services.expected_conclusion(check) or ""}),
            was_not_suspended=check.is_resumption and check.enterprise_status != EnterpriseStatus.SUSPENDED,
            # 复产 reached: the registry's status is the registry's business; point to it
            status_link=(check.is_resumption and check.conclusion == ProductionCheck.Conclusion.MET
                         and enterprise.status == EnterpriseStatus.SUSPENDED),
        )
        return context


class ConcludeView(CheckDetailView):
    """POST only: the conclusion on a saved draft."""

    permission_required = ADD
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = ConcludeForm(request.POST)
        if form.is_valid():
            try:
                services.conclude(request.user, self.object, conclusion=form.cleaned_data["conclusion"],
                                  opinion=form.cleaned_data["opinion"], version=int_or_none(request.POST.get("version")))
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or "您无权作出核查结论。")
            except ValidationError as exc:
                show_error(form, exc)
            else:
                self.object.refresh_from_db()
                messages.success(request, f"已作出结论：{self.object.conclusion_text}。")
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(conclude_form=form))
