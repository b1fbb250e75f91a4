"""Pages of the expert pool (专家库): the list, an expert's page, the form, 停用/启用, the
account, and the import (upload → every row checked → preview → confirm).

Every page starts from `Expert.objects.restrict(user)`: the province sees every pool, a city
its own, so an expert of another pool is a 404. Changing needs `experts.add_expert` /
`experts.change_expert`, checked again (with the pool rules) by the services.
"""

import io
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import FormView
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from qingshen.accounts.views import show_once
from qingshen.core.views import (
    Breadcrumbs,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
)
from qingshen.experts import importing, services
from qingshen.experts.filters import ExpertFilterSet
from qingshen.experts.forms import ExpertForm, ImportForm
from qingshen.experts.models import Expert

VIEW = "experts.view_expert"
GROUP_CRUMB = ("系统管理", None)
LIST_CRUMB = ("专家库", "/experts/")
IMPORT_SALT = "experts.import"
IMPORT_MAX_AGE = 3600  # seconds a checked file may wait for its confirmation
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return exc.messages[0]
    return str(exc) or "您无权执行该操作。"


class ExpertListView(ObjectListView):
    model = Expert
    permission_required = VIEW
    filterset_class = ExpertFilterSet
    select_related = ("pool", "home_region", "user")
    template_name = "experts/expert_list.html"
    breadcrumbs = [GROUP_CRUMB, ("专家库", None)]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("industries")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = self.filterset.qs.order_by().aggregate(
            total=Count("pk", distinct=True), active=Count("pk", filter=Q(is_active=True), distinct=True),
            with_account=Count("pk", filter=Q(user__isnull=False), distinct=True))
        totals["inactive"] = totals["total"] - totals["active"]
        pools = (Expert.objects.restrict(self.request.user).order_by().values("pool_id", "pool__name", "pool__level")
                 .annotate(total=Count("pk"), active=Count("pk", filter=Q(is_active=True))).order_by("pool_id"))
        context.update(totals=totals, pools=[
            {**row, "label": "省级专家库" if row["pool__level"] == "province" else f"{row['pool__name']}专家库"}
            for row in pools])
        return context


class ExpertDetailView(ObjectDetailView):
    model = Expert
    permission_required = VIEW
    select_related = ("pool", "home_region__parent", "user__organization")
    template_name = "experts/expert_detail.html"
    context_object_name = "expert"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("industries", "conflict_consultancies",
                                                       "conflict_enterprises__region")

    def get_breadcrumbs(self):
        return [GROUP_CRUMB, LIST_CRUMB, (self.object.name, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = services.can_change(self.request.user, self.object)
        context["pool_label"] = services.pool_label(self.object.pool)
        return context


class ExpertFormView(ObjectFormView):
    """登记专家 or 修改. Bad input is shown beside its field with everything typed kept; a
    stale page is refused on top."""

    model = Expert
    form_class = ExpertForm
    template_name = "experts/expert_form.html"
    add_permission = services.ADD
    change_permission = services.CHANGE
    success_message = "已保存专家：{object}"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_breadcrumbs(self):
        if self.object is None:
            return [GROUP_CRUMB, LIST_CRUMB, ("登记专家", None)]
        return [GROUP_CRUMB, LIST_CRUMB, (self.object.name, self.object.get_absolute_url()), ("修改", None)]

    def save(self, form):
        data = form.service_data()
        try:
            if self.object is None:
                return services.create_expert(self.request.user, **data)
            return services.update_expert(self.request.user, self.object,
                                          expected_version=form.cleaned_data.get("version"), **data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "fields" in exc.error_dict:  # the form calls it specialties
                errors = dict(exc.error_dict)
                errors["specialties"] = errors.pop("fields")
                raise ValidationError(errors) from exc
            raise


class SetActiveView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """停用 / 启用 (POST `active` = 1 or 0)."""

    permission_required = services.CHANGE

    def post(self, request, pk):
        expert = get_object_or_404(Expert.objects.restrict(request.user), pk=pk)
        active = request.POST.get("active", "1" if not expert.is_active else "0") == "1"
        version = request.POST.get("version")
        try:
            expert = services.set_active(request.user, expert, active,
                                         expected_version=int(version) if version and version.isdigit() else None)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(request, f"已{'启用' if expert.is_active else '停用'}专家 {expert.name}。")
        return redirect(expert.get_absolute_url())


class CreateAccountView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """创建账号: the one-time password is shown once, on the accounts' page for it."""

    permission_required = services.CHANGE

    def post(self, request, pk):
        expert = get_object_or_404(Expert.objects.restrict(request.user), pk=pk)
        try:
            user, password = services.create_expert_account(request.user, expert)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _message(exc))
            return redirect(expert.get_absolute_url())
        return show_once(request, user, password, f"专家 {expert.name} 的账号已创建")


# --- import ------------------------------------------------------------------------------------


class ImportView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, FormView):
    """Upload and check: the preview shows every row with what would happen and its errors; a
    clean file's rows travel, signed, to the confirmation. Nothing is written before it."""

    permission_required = services.IMPORT
    form_class = ImportForm
    template_name = "experts/import.html"
    breadcrumbs = [GROUP_CRUMB, LIST_CRUMB, ("导入专家", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = [(c.header, importing.GUIDE[c.key]) for c in importing.COLUMNS]
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            rows, preview = importing.check_file(self.request.user, upload.name, upload.read())
        except importing.FileRejected as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        return self.render_to_response(self.get_context_data(
            form=form, preview=preview, filename=upload.name, payload=_payload(rows, upload.name, preview)))


def _payload(rows, filename, preview) -> str:
    if not preview.is_clean:
        return ""
    return signing.dumps({"rows": rows, "file": filename}, salt=IMPORT_SALT, compress=True)


class ImportConfirmView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Confirm: the rows are checked again against the pool as it is now and written in one
    transaction; if they no longer pass, nothing is written and the new check is shown."""

    permission_required = services.IMPORT

    def post(self, request):
        try:
            stored = signing.loads(request.POST.get("payload", ""), salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
        except signing.SignatureExpired:
            messages.error(request, "检查结果已过期（超过 1 小时），请重新上传文件。")
            return redirect("experts:import")
        except signing.BadSignature:
            messages.error(request, "导入内容无效，请重新上传文件。")
            return redirect("experts:import")
        try:
            preview = services.apply_import(request.user, stored["rows"], filename=stored["file"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _message(exc))
            return redirect("experts:import")
        if not preview.applied:
            messages.error(request, "重新检查时发现错误，未写入任何数据。请修改文件后重新上传。")
            view = ImportView()
            view.setup(request)
            return view.render_to_response(view.get_context_data(form=ImportForm(), preview=preview,
                                                                 filename=stored["file"]))
        messages.success(request, f"导入完成：新增 {preview.create_count} 名专家，更新 {preview.update_count} 名，"
                                  f"无变化 {preview.unchanged_count} 名。")
        return redirect("experts:list")


class ImportTemplateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The .xlsx template: the columns, and one example row (marked 示例, never imported)."""

    permission_required = services.IMPORT

    def get(self, request):
        own = services.pools_for(request.user).first()
        example = ["示例：张三", "河北省环境科学研究院", "正高级工程师", own.name if own else "河北省",
                   "石家庄市桥西区", "清洁生产、行业工艺", "26、27", "13800000000", "zhangsan@example.com",
                   "", "", "示例行不会导入，填写时请删除或覆盖本行"]
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "专家名单"
        sheet.append([c.header for c in importing.COLUMNS])
        sheet.append(example)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for cell in sheet[2]:
            cell.font = Font(italic=True, color="808080")
            cell.fill = PatternFill("solid", fgColor="F2F2F2")
        for index, column in enumerate(importing.COLUMNS, start=1):
            dimension = sheet.column_dimensions[get_column_letter(index)]
            dimension.width = max(12, len(column.header) * 2 + 4)
            dimension.number_format = "@"  # codes and phone numbers stay text
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('专家导入模板.xlsx')}"
        return response
