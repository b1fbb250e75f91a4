"""指标体系: the list, a version's page (laid out like the official table), export, import
(upload → check → preview → confirm) and the trial calculator (试算).

Indicator systems are reference data: every signed-in user with
`benchmarking.view_indicatorsystem` reads them; importing and changing a version's status need
`benchmarking.change_indicatorsystem`.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from qingshen.benchmarking import definition as spec
from qingshen.benchmarking import services
from qingshen.benchmarking.formats import FormatError
from qingshen.benchmarking.formats.validation import validate
from qingshen.benchmarking.forms import AnswersForm, StatusForm, UploadForm
from qingshen.benchmarking.models import IndicatorSystem
from qingshen.benchmarking.presentation import table_rows
from qingshen.benchmarking.transfer import export_response, read_upload
from qingshen.core.views import Breadcrumbs

VIEW = "benchmarking.view_indicatorsystem"
CHANGE = "benchmarking.change_indicatorsystem"
SYSTEMS = "清洁生产评价指标体系"
PAYLOAD_SALT = "benchmarking.import"
PAYLOAD_MAX_AGE = 3600  # seconds a checked upload waits for its confirmation


def crumbs(*more):
    return [("基础数据", None), (SYSTEMS, reverse_lazy("benchmarking:systems")), *more]


class SystemMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    permission_required = VIEW


class SystemListView(SystemMixin, ListView):
    model = IndicatorSystem
    template_name = "benchmarking/system_list.html"
    paginate_by = 50
    breadcrumbs = crumbs()

    def get_queryset(self):
        queryset = (IndicatorSystem.objects.prefetch_related("industries")
                    .annotate(benchmark_count=Count("benchmarks")).order_by("code", "-version"))
        self.query = (self.request.GET.get("q") or "").strip()
        if self.query:
            queryset = queryset.filter(name__icontains=self.query) | queryset.filter(
                industries__code__startswith=self.query)
        return queryset.distinct()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(query=self.query, can_import=self.request.user.has_perm(CHANGE))
        return context


class SystemDetailView(SystemMixin, DetailView):
    model = IndicatorSystem
    template_name = "benchmarking/system_detail.html"
    context_object_name = "system"

    def get_queryset(self):
        return IndicatorSystem.objects.prefetch_related("industries")

    def get_breadcrumbs(self):
        return crumbs((str(self.object), None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        system = self.object
        definition = spec.from_json(system.definition)
        can_change = self.request.user.has_perm(CHANGE)
        frozen = services.is_frozen(system)
        context.update(
            definition=definition, rows=table_rows(definition), report=validate(definition),
            versions=IndicatorSystem.objects.filter(code=system.code).order_by("-version"),
            frozen=frozen, can_change=can_change,
            status_form=StatusForm(initial={"status": system.status}) if can_change and not frozen else None)
        return context


class SystemStatusView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = CHANGE

    def post(self, request, pk):
        system = get_object_or_404(IndicatorSystem, pk=pk)
        form = StatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择状态。")
            return redirect(system)
        try:
            system = services.set_status(request.user, system, form.cleaned_data["status"])
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                messages.error(request, message)
        else:
            messages.success(request, f"{system} 状态为“{system.get_status_display()}”。")
        return redirect(system)


class SystemExportView(SystemMixin, View):
    """The version as .xlsx (laid out like the official table) or YAML."""

    def get(self, request, pk, fmt):
        return export_response(get_object_or_404(IndicatorSystem, pk=pk), fmt)


class SystemImportView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, FormView):
    """Upload and check; the preview shows the table, the errors (naming rows) and warnings, and
    carries the checked content, signed, to the confirmation — nothing is saved before it."""

    permission_required = CHANGE
    form_class = UploadForm
    template_name = "benchmarking/system_import.html"
    breadcrumbs = crumbs(("导入", None))

    def form_valid(self, form):
        try:
            definition = read_upload(form.cleaned_data["file"])
        except FormatError as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        report = validate(definition)
        payload = signing.dumps(spec.to_json(definition), salt=PAYLOAD_SALT, compress=True) if report.ok else ""
        latest = IndicatorSystem.objects.filter(code=definition.get("code")).order_by("-version").first()
        return self.render_to_response(self.get_context_data(
            form=form, definition=definition, rows=table_rows(definition) if report.ok else [], report=report,
            payload=payload, latest=latest, filename=form.cleaned_data["file"].name))


class SystemImportConfirmView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = CHANGE

    def post(self, request):
        try:
            stored = signing.loads(request.POST.get("payload", ""), salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
        except signing.SignatureExpired:
            messages.error(request, "检查结果已过期（超过 1 小时），请重新上传文件。")
            return redirect("benchmarking:import")
        except signing.BadSignature:
            messages.error(request, "导入内容无效，请重新上传文件。")
            return redirect("benchmarking:import")
        try:
            system = services.import_system(request.user, spec.from_json(stored))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("benchmarking:import")
        messages.success(request, f"已导入 {system}。")
        return redirect(system)


class SystemTryView(SystemMixin, DetailView):
    """试算: enter values and see the result and the check against Hebei's targets; nothing is
    saved. Any status may be tried — that is what an incomplete table is for."""

    model = IndicatorSystem
    template_name = "benchmarking/system_try.html"
    context_object_name = "system"

    def get_breadcrumbs(self):
        return crumbs((str(self.object), self.object.get_absolute_url()), ("试算", None))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        definition = spec.from_json(self.object.definition)
        bound = self.request.method == "POST"
        form = AnswersForm(definition, self.request.POST if bound else None)
        in_park = bound and bool(self.request.POST.get("in_approved_park"))
        centralized = bound and bool(self.request.POST.get("centralized_treatment"))
        result = check = None
        if bound and form.is_valid():
            try:
                result, check = services.trial(self.object, form.answers(), in_approved_park=in_park,
                                               centralized_treatment=centralized)
            except ValidationError as exc:
                form.add_error(None, exc)
        context.update(definition=definition, form=form, result=result, check=check, in_park=in_park,
                       centralized=centralized)
        return context
