"""批量上传盖章件: a bulk scan of stamped letters, read page by page by QR code; the pages no code
matched are shown as images and assigned by hand."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from qingshen.core.views import Breadcrumbs
from qingshen.files.views import serve
from qingshen.notices import services
from qingshen.notices.forms import AssignForm, ScanUploadForm
from qingshen.notices.models import NoticeLetter, NoticeTask, ScanBatch, ScanPage
from qingshen.notices.views.base import GROUP_CRUMB, NOTICE_CRUMB, TaskMixin, error_text


class ScanUploadView(TaskMixin, FormView):
    """批量上传盖章件: a multi-page PDF scan or many images; the QR codes are read in the background."""

    permission_required = "notices.generate_letter"
    template_name = "notices/scan_upload.html"
    form_class = ScanUploadForm
    step = "letters"
    step_label = "批量上传盖章件"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission_required) and not self.is_own:
            raise PermissionDenied(services.LETTER_PRIVATE)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            batch = services.receive_scan(self.request.user, self.task, form.cleaned_data["files"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("files" if isinstance(exc, ValidationError) else None, error_text(exc))
            return self.form_invalid(form)
        messages.success(self.request, "已上传，正在识别每页的二维码。")
        return redirect("notices:scan_detail", pk=batch.pk)


# --- bulk scans ------------------------------------------------------------------------------


def visible_scans(user):
    return ScanBatch.objects.filter(task__in=NoticeTask.objects.restrict(user))


class ScanMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    permission_required = "notices.generate_letter"

    def own_or_403(self, task):
        if task.organization_id != self.request.user.organization_id:
            raise PermissionDenied(services.LETTER_PRIVATE)


class ScanDetailView(ScanMixin, TemplateView):
    """Every page of a bulk upload with its outcome; unmatched pages can be assigned by hand."""

    template_name = "notices/scan_detail.html"

    @cached_property
    def batch(self):
        batch = get_object_or_404(visible_scans(self.request.user).select_related(
            "task__organization__region", "task__campaign", "job", "uploaded_by"), pk=self.kwargs["pk"])
        self.own_or_403(batch.task)
        return batch

    def get_breadcrumbs(self):
        return [GROUP_CRUMB, NOTICE_CRUMB, ("告知书", reverse("notices:letters", args=[self.batch.task_id])),
                ("批量上传识别结果", None)]

    def get_template_names(self):
        if self.request.htmx:
            return ["notices/_scan_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.batch
        pages = list(batch.pages.select_related("letter__member__enterprise", "image"))
        letters = list(NoticeLetter.objects.filter(task=batch.task).select_related("member__enterprise")
                       .order_by("number"))
        pending = batch.task.status == NoticeTask.Status.PENDING
        for page in pages:
            page.matched = page.outcome in (ScanPage.Outcome.MATCHED, ScanPage.Outcome.ASSIGNED)
            page.form = AssignForm(letters=letters, prefix=f"p{page.pk}") if pending and not page.matched else None
        context.update(batch=batch, task=batch.task, pages=pages, job=batch.job,
                       finished=batch.job is None or batch.job.is_finished,
                       matched=sum(1 for p in pages if p.matched), unmatched=sum(1 for p in pages if not p.matched),
                       sources=list(batch.sources.all()))
        return context


class ScanPageMixin(ScanMixin):
    @cached_property
    def page(self):
        page = get_object_or_404(ScanPage.objects.filter(batch__in=visible_scans(self.request.user)).select_related(
            "batch__task", "image"), pk=self.kwargs["pk"])
        self.own_or_403(page.batch.task)
        return page


class ScanPageImageView(ScanPageMixin, View):
    def get(self, request, pk):
        return serve(self.page.image, inline=True)


class AssignPageView(ScanPageMixin, View):
    """人工指定: file an unmatched page as the stamped copy of the chosen letter."""

    http_method_names = ["post"]

    def post(self, request, pk):
        page = self.page
        letters = NoticeLetter.objects.filter(task=page.batch.task).select_related("member__enterprise")
        form = AssignForm(request.POST, letters=letters, prefix=f"p{page.pk}")
        target = redirect(f"{reverse('notices:scan_detail', args=[page.batch_id])}#page-{page.index}")
        if not form.is_valid():
            messages.error(request, f"第 {page.index} 页：请选择对应的企业告知书。")
            return target
        try:
            services.assign_scan_page(request.user, page, form.cleaned_data["letter"],
                                      form.cleaned_data["letter_page"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, f"第 {page.index} 页：{error_text(exc)}")
            return target
        messages.success(request, f"第 {page.index} 页已指定为对应企业的盖章版告知书。")
        return target
