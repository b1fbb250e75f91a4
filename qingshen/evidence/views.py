"""The evidence panel's endpoints: upload, replace, withdraw (POST), download, thumbnail and
the versions of a document (GET).

Rows come from `Evidence.objects.restrict(user)`; an owner named in an upload must belong to
a project in `AuditProject.objects.restrict(user)`. Outside the jurisdiction → 404, without
the permission → 403. The panel lives on another app's page, whose other fields are not in
these forms: a refusal goes back to that page (the `next` address) as a message, or, for an
htmx request, as the re-rendered panel with the message in it. A change answered through htmx
also fires the `evidence-changed` event (HX-Trigger), so the page around the panel can update
what depends on its files (a phase's completeness and its 提交 button) without a reload.
"""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from qingshen.core.views import ScopedViewMixin
from qingshen.evidence import services
from qingshen.evidence.forms import ReplaceForm, UploadForm
from qingshen.evidence.models import Evidence
from qingshen.evidence.panels import panel_context
from qingshen.evidence.registry import owner_model, project_of
from qingshen.files.views import serve
from qingshen.projects.models import AuditProject

#: The event an htmx answer fires after a file was added, replaced or withdrawn.
CHANGED_EVENT = "evidence-changed"


def _first_error(form) -> str:
    for errors in form.errors.values():
        if errors:
            return errors[0]
    return "提交的内容有误。"


def _messages_of(exc) -> str:
    if isinstance(exc, PermissionDenied):
        return str(exc) or "您无权执行该操作。"
    return "；".join(exc.messages)


class EvidenceView(ScopedViewMixin, View):
    model = Evidence
    select_related = ("stored", "thumbnail", "project")

    def get_evidence(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class PanelActionView(EvidenceView):
    """A POST from the panel: answer with the panel (htmx) or go back to the page."""

    permission_required = "evidence.add_evidence"
    http_method_names = ["post"]

    def back_url(self, project):
        for candidate in (self.request.POST.get("next"), self.request.META.get("HTTP_REFERER")):
            if candidate and url_has_allowed_host_and_scheme(candidate, {self.request.get_host()},
                                                              require_https=self.request.is_secure()):
                return candidate
        return project.get_absolute_url() if project is not None else "/"

    def answer(self, owner, slot, *, project, error="", notice="", typed=None):
        if self.request.htmx and owner is not None:
            context = panel_context(self.request.user, owner, slot, self.request.POST.get("label", ""),
                                    next_url=self.request.POST.get("next", ""), error=error, notice=notice,
                                    typed=typed)
            response = TemplateResponse(self.request, "evidence/_panel.html", context)
            if not error:
                response["HX-Trigger"] = CHANGED_EVENT
            return response
        if error:
            messages.error(self.request, error)
        elif notice:
            messages.success(self.request, notice)
        return redirect(self.back_url(project))


class UploadView(PanelActionView):
    def resolve_owner(self):
        """The owner named by the form, if the user's jurisdiction holds its project; else 404."""
        label = self.request.POST.get("owner_type", "")
        try:
            model = owner_model(*label.split(".", 1))
            owner = model._default_manager.get(pk=int(self.request.POST.get("owner_id", "")))
            project = project_of(owner)
        except (TypeError, ValueError, ValidationError, ObjectDoesNotExist) as exc:
            raise Http404("材料所属对象不存在。") from exc
        if not AuditProject.objects.restrict(self.request.user).filter(pk=project.pk).exists():
            raise Http404("材料所属对象不存在。")
        return owner, project

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not request.POST.get("owner_type"):
            # Nothing names the owner (a bare POST): nothing to show but the message.
            return self.answer(None, "", project=None, error="缺少材料所属对象。")
        owner, project = self.resolve_owner()
        slot = request.POST.get("slot", "")
        typed = {key: request.POST.get(key, "") for key in ("title", "document_date")}
        if not form.is_valid():
            return self.answer(owner, slot, project=project, error=_first_error(form), typed=typed)
        data = form.cleaned_data
        try:
            evidence = services.attach(request.user, owner, data["file"], slot=slot, title=data["title"],
                                       document_date=data["document_date"])
        except (ValidationError, PermissionDenied) as exc:
            return self.answer(owner, slot, project=project, error=_messages_of(exc), typed=typed)
        return self.answer(owner, slot, project=project, notice=f"已上传：{evidence.display_name}")


class ReplaceView(PanelActionView):
    def post(self, request, pk):
        evidence = self.get_evidence()
        owner = evidence.owner
        form = ReplaceForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.answer(owner, evidence.slot, project=evidence.project, error=_first_error(form))
        try:
            new = services.replace(request.user, evidence, form.cleaned_data["file"],
                                   document_date=form.cleaned_data["document_date"])
        except (ValidationError, PermissionDenied) as exc:
            return self.answer(owner, evidence.slot, project=evidence.project, error=_messages_of(exc))
        return self.answer(owner, evidence.slot, project=evidence.project,
                           notice=f"已替换为第 {new.version} 版：{new.stored.original_name}")


class WithdrawView(PanelActionView):
    def post(self, request, pk):
        evidence = self.get_evidence()
        owner = evidence.owner
        try:
            services.withdraw(request.user, evidence)
        except (ValidationError, PermissionDenied) as exc:
            return self.answer(owner, evidence.slot, project=evidence.project, error=_messages_of(exc))
        return self.answer(owner, evidence.slot, project=evidence.project,
                           notice=f"已删除：{evidence.display_name}（历史版本仍保留）")


class DownloadView(EvidenceView):
    permission_required = "evidence.view_evidence"

    def get(self, request, pk):
        return serve(self.get_evidence().stored, inline=False)


class ThumbnailView(EvidenceView):
    permission_required = "evidence.view_evidence"

    def get(self, request, pk):
        evidence = self.get_evidence()
        if evidence.thumbnail is None:
            raise Http404("该文件没有缩略图。")
        return serve(evidence.thumbnail, inline=True)


class VersionsView(EvidenceView):
    """Every version of one document, newest first; the htmx partial or a page of its own."""

    permission_required = "evidence.view_evidence"

    def get(self, request, pk):
        evidence = self.get_evidence()
        rows = list(services.versions(evidence).filter(pk__in=self.get_queryset().values("pk")))
        project = (AuditProject.objects.select_related("campaign", "enterprise__region")
                   .get(pk=evidence.project_id))
        context = {"evidence": evidence, "versions": rows, "project": project}
        if request.htmx:
            return TemplateResponse(request, "evidence/_versions.html", context)
        context["breadcrumbs"] = [("清审项目", "/projects/"), (project.number, project.get_absolute_url()),
                                  (f"“{evidence.display_name}”的历史版本", None)]
        return TemplateResponse(request, "evidence/versions.html", context)
