"""告知书: the county's letters step, generating one letter or a batch (a background job), a letter's
PDF, its stamped copy and regenerating it. Letters carry activation codes: only the department
that notifies the enterprises may open them."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from qingshen.core.views import Breadcrumbs
from qingshen.files.views import serve
from qingshen.notices import services
from qingshen.notices.forms import BatchDownloadForm, GenerateForm, ScanUploadForm, StampedCopyForm
from qingshen.notices.models import NoticeLetter, NoticeTask, ScanBatch
from qingshen.notices.views.base import GROUP_CRUMB, NOTICE_CRUMB, TaskMixin, error_text


# --- 告知书 ----------------------------------------------------------------------------------


class LettersView(TaskMixin, TemplateView):
    """告知书: per enterprise its letter (number, revision), the stamped copy, and the actions —
    生成 / 重新生成, download, upload the stamped copy; batch download and bulk scan upload."""

    template_name = "notices/task_letters.html"
    step = "letters"

    def get(self, request, *args, **kwargs):
        if not self.notifies:
            messages.info(request, "告知书由区县（或不设区县的市）生成和下发。")
            return redirect("notices:enterprises", pk=self.task.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = list(self.task.members().select_related("enterprise", "letter").order_by("seq", "pk"))
        rows = []
        for member in members:
            letter = getattr(member, "letter", None)
            rows.append({"member": member, "letter": letter,
                         "current": letter is not None and letter.has_current_stamped_copy,
                         "outdated": letter is not None and letter.stamped_copy_id is not None
                         and not letter.has_current_stamped_copy})
        context["rows"] = rows
        context["generated"] = sum(1 for row in rows if row["letter"] and row["letter"].pdf_id)
        context["stamped"] = sum(1 for row in rows if row["current"])
        context["scans"] = (ScanBatch.objects.filter(task=self.task).select_related("job", "uploaded_by")
                            .annotate(page_count=Count("pages"))[:10]) if self.is_own else []
        context["pending"] = self.task.status == NoticeTask.Status.PENDING
        context["warning"] = services.REGENERATE_WARNING
        context["scan_form"] = ScanUploadForm()
        return context


class LetterActionMixin:
    """POST-only actions on a task that redirect back to the letters step with a message."""

    http_method_names = ["post"]

    def back(self):
        return redirect("notices:letters", pk=self.task.pk)


class GenerateLetterView(TaskMixin, LetterActionMixin, View):
    """生成 (revision 0) or 重新生成 (the revision the page showed) one letter."""

    permission_required = "notices.generate_letter"

    def post(self, request, pk):
        form = GenerateForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请求不完整，请刷新页面后重试。")
            return self.back()
        try:
            letter, code = services.generate_letter(request.user, self.task, form.cleaned_data["member"],
                                                    expected_revision=form.cleaned_data["revision"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
            return self.back()
        done = "重新生成" if letter.revision > 1 else "生成"
        messages.success(request, f"已{done}告知书 {letter.number}（第 {letter.revision} 版）"
                         f"{'，原告知书及其激活码已作废' if letter.revision > 1 else ''}。请下载打印、盖章后上传盖章版。")
        return self.back()


class LettersBatchView(TaskMixin, LetterActionMixin, View):
    """批量下载企业告知书: starts the job (ZIP or merged PDF) and shows its progress."""

    permission_required = "notices.generate_letter"

    def post(self, request, pk):
        form = BatchDownloadForm(request.POST)
        fmt = form.cleaned_data["format"] if form.is_valid() else ""
        try:
            job = services.start_letters_batch(request.user, self.task, fmt)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
            return self.back()
        return redirect(job.get_absolute_url())


# --- one letter ------------------------------------------------------------------------------


class LetterMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    """A page about one letter: within the jurisdiction (else 404), and only for the department
    that notifies its enterprise (else 403 — the letter carries the activation code)."""

    permission_required = "notices.generate_letter"

    @cached_property
    def letter(self) -> NoticeLetter:
        queryset = NoticeLetter.objects.restrict(self.request.user).select_related(
            "task__organization__region", "task__campaign", "member__enterprise", "pdf", "stamped_copy")
        letter = get_object_or_404(queryset, pk=self.kwargs["pk"])
        if letter.task.organization_id != self.request.user.organization_id:
            raise PermissionDenied(services.LETTER_PRIVATE)
        return letter

    def get_breadcrumbs(self):
        return [GROUP_CRUMB, NOTICE_CRUMB, ("告知书", reverse("notices:letters", args=[self.letter.task_id])),
                (self.crumb, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["letter"] = self.letter
        context["task"] = self.letter.task
        context["pending"] = self.letter.task.status == NoticeTask.Status.PENDING
        return context


class LetterPdfView(LetterMixin, View):
    """The generated letter (PDF), private."""

    def get(self, request, pk):
        if self.letter.pdf_id is None:
            raise Http404("告知书尚未生成。")
        return serve(self.letter.pdf, inline=request.GET.get("download") != "1")


class StampedCopyView(LetterMixin, View):
    def get(self, request, pk):
        if self.letter.stamped_copy_id is None:
            raise Http404("尚未上传盖章版。")
        return serve(self.letter.stamped_copy, inline=True)


class StampedUploadView(LetterMixin, FormView):
    """上传盖章版 for one letter (PDF/JPG/PNG, checked by content)."""

    template_name = "notices/letter_upload.html"
    form_class = StampedCopyForm
    crumb = "上传盖章版"

    def get(self, request, *args, **kwargs):
        self.letter  # noqa: B018  (404 / 403 first)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.letter  # noqa: B018
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.attach_stamped_copy(self.request.user, self.letter, form.cleaned_data["file"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("file" if isinstance(exc, ValidationError) else None, error_text(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"已上传 {self.letter.member.enterprise.name} 的盖章版告知书（第 "
                                       f"{self.letter.revision} 版）。")
        return redirect("notices:letters", pk=self.letter.task_id)


class RegenerateView(LetterMixin, TemplateView):
    """重新生成 with a confirmation: the old letter, its activation code and its stamped copy
    stop counting."""

    template_name = "notices/letter_regenerate.html"
    crumb = "重新生成告知书"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["warning"] = services.REGENERATE_WARNING
        return context

    def post(self, request, pk):
        letter = self.letter
        try:
            revision = int(request.POST.get("revision", ""))
        except ValueError:
            revision = -1
        try:
            letter, _ = services.generate_letter(request.user, letter.task, letter.member_id,
                                                 expected_revision=revision)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
            return redirect("notices:letters", pk=self.letter.task_id)
        messages.success(request, f"已重新生成告知书 {letter.number}（第 {letter.revision} 版），"
                                  "原告知书及其激活码已作废。请下载打印、盖章后重新上传盖章版。")
        return redirect("notices:letters", pk=letter.task_id)
