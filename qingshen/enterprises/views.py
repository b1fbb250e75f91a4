import io

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from qingshen.accounts.views import show_once
from qingshen.core.views import Breadcrumbs, ObjectDetailView, ObjectFormView, ObjectListView
from qingshen.enterprises import importing, services
from qingshen.enterprises.exporting import EXPORT_KIND
from qingshen.enterprises.filters import EnterpriseFilterSet
from qingshen.enterprises.forms import EnterpriseForm, ImportForm
from qingshen.enterprises.models import Enterprise, ImportBatch
from qingshen.jobs.services import start_job

LIST_CRUMB = ("企业名录", "/enterprises/")
GROUP_CRUMB = ("任务管理", None)


class EnterpriseListView(ObjectListView):
    model = Enterprise
    permission_required = "enterprises.view_enterprise"
    filterset_class = EnterpriseFilterSet
    select_related = ("region", "industry")
    template_name = "enterprises/enterprise_list.html"
    breadcrumbs = [GROUP_CRUMB, ("企业名录", None)]


class EnterpriseDetailView(ObjectDetailView):
    model = Enterprise
    permission_required = "enterprises.view_enterprise"
    select_related = ("region__parent", "industry__parent__parent", "organization")
    template_name = "enterprises/enterprise_detail.html"

    def get_breadcrumbs(self):
        return [GROUP_CRUMB, LIST_CRUMB, (self.object.name, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = getattr(self.object, "organization", None)
        context["organization"] = organization
        context["accounts"] = list(organization.users.order_by("-is_department_account", "username")) if organization else []
        context["can_create_account"] = (
            self.request.user.has_perm("accounts.add_enterprise_account")
            and not any(a.is_department_account for a in context["accounts"])
        )
        return context


class EnterpriseFormView(ObjectFormView):
    model = Enterprise
    form_class = EnterpriseForm
    template_name = "enterprises/enterprise_form.html"
    add_permission = "enterprises.add_enterprise"
    change_permission = "enterprises.change_enterprise"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_breadcrumbs(self):
        if self.object is None:
            return [GROUP_CRUMB, LIST_CRUMB, ("新增企业", None)]
        return [GROUP_CRUMB, LIST_CRUMB, (self.object.name, self.object.get_absolute_url()), ("修改", None)]

    def save(self, form):
        data = {name: form.cleaned_data[name] for name in services.FIELDS}
        if self.object is None:
            return services.create_enterprise(self.request.user, **data)
        return services.update_enterprise(
            self.request.user, self.object, expected_version=form.cleaned_data.get("version"), **data
        )


class EnterpriseExportView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Starts the export of the filtered list as a background job and shows its progress."""

    permission_required = "enterprises.export_enterprise"

    def post(self, request):
        query = request.POST.get("query", "")
        job = start_job(request.user, kind=EXPORT_KIND, title="导出企业名录", params={"query": query})
        return redirect(job.get_absolute_url())


class CreateEnterpriseAccountView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "accounts.add_enterprise_account"

    def post(self, request, pk):
        enterprise = get_object_or_404(Enterprise.objects.restrict(request.user), pk=pk)
        try:
            user, password = services.create_enterprise_account(request.user, enterprise)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(enterprise.get_absolute_url())
        return show_once(request, user, password, f"{enterprise.name} 的企业账号已创建")


class ImportView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, FormView):
    """Step 1: upload. The file is checked at once; nothing is written yet."""

    permission_required = "enterprises.import_enterprise"
    form_class = ImportForm
    template_name = "enterprises/import_upload.html"
    breadcrumbs = [GROUP_CRUMB, ("导入企业", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = importing.COLUMNS
        context["recent"] = ImportBatch.objects.filter(owner=self.request.user)[:10]
        return context

    def form_valid(self, form):
        try:
            batch, _ = services.receive_import(self.request.user, form.cleaned_data["file"])
        except importing.FileRejected as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        return redirect("enterprises:import_preview", pk=batch.pk)


class ImportPreviewView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, TemplateView):
    """Step 2: every row with what would happen; confirm writes a clean file, discard drops it."""

    permission_required = "enterprises.import_enterprise"
    template_name = "enterprises/import_preview.html"
    breadcrumbs = [GROUP_CRUMB, ("导入企业", "/enterprises/import/"), ("检查结果", None)]

    def get_batch(self):
        return get_object_or_404(ImportBatch.objects.filter(owner=self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["batch"] = batch = kwargs.get("batch") or self.get_batch()
        if "preview" in kwargs:
            context["preview"] = kwargs["preview"]
        elif batch.status == ImportBatch.Status.PREVIEWED:
            context["preview"] = services.preview_import(self.request.user, batch)
        return context

    def post(self, request, pk):
        batch = self.get_batch()
        if request.POST.get("action") == "discard":
            services.discard_import(request.user, batch)
            messages.info(request, "已放弃导入该文件，没有写入任何数据。")
            return redirect("enterprises:import")
        try:
            preview = services.apply_import(request.user, batch)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, exc.messages[0] if hasattr(exc, "messages") else str(exc))
            return redirect("enterprises:import_preview", pk=batch.pk)
        batch.refresh_from_db()
        if batch.status != ImportBatch.Status.APPLIED:
            messages.error(request, "重新检查时发现错误，未写入任何数据。请修改文件后重新上传。")
            return self.render_to_response(self.get_context_data(batch=batch, preview=preview))
        messages.success(request, f"导入完成：新增 {batch.created_count} 家，更新 {batch.updated_count} 家。")
        return redirect(reverse("enterprises:list"))


class ImportTemplateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """A blank .xlsx with the import's column headers."""

    permission_required = "enterprises.import_enterprise"

    def get(self, request):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "企业名单"
        sheet.append([c.header for c in importing.COLUMNS])
        for index, column in enumerate(importing.COLUMNS, start=1):
            dimension = sheet.column_dimensions[get_column_letter(index)]
            dimension.width = max(12, len(column.header) * 2 + 2)
            dimension.number_format = "@"  # codes keep their leading zeros
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = "attachment; filename*=UTF-8''%E4%BC%81%E4%B8%9A%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
        return response
