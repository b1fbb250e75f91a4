"""A project's 对标: both stages side by side with the campaign's target, the enterprise's
entry form per stage, and the reviewer's confirmation.

Every page starts from `AuditProject.objects.restrict(user)`: a project outside the user's
jurisdiction is a 404. Reading needs `benchmarking.view_benchmark`; entering needs
`benchmarking.change_benchmark`; confirming needs `benchmarking.review_benchmark`. The services
check all of it again.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import ListView, TemplateView

from qingshen.benchmarking import definition as spec
from qingshen.benchmarking import services
from qingshen.benchmarking.comparison import side_by_side
from qingshen.benchmarking.forms import (
    AnswersForm,
    BenchmarkContextForm,
    ReturnForm,
    ReviewForm,
)
from qingshen.benchmarking.models import Benchmark, IndicatorSystem
from qingshen.core.views import ScopedViewMixin
from qingshen.options.views import ENTERPRISE_SIDE, project_crumbs
from qingshen.projects.models import AuditProject

VIEW = "benchmarking.view_benchmark"
CHANGE = "benchmarking.change_benchmark"
REVIEW = "benchmarking.review_benchmark"
TITLE = "对标"


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ProjectMixin(ScopedViewMixin):
    model = AuditProject

    def get_project(self):
        if not hasattr(self, "project"):
            self.project = get_object_or_404(
                AuditProject.objects.restrict(self.request.user).select_related(
                    "enterprise__region", "enterprise__industry", "campaign"), pk=self.kwargs["project_pk"])
        return self.project

    def benchmarks(self) -> dict:
        project = self.get_project()
        rows = Benchmark.objects.filter(project=project).select_related("system", "confirmed_by__organization")
        return {row.stage: row for row in rows}

    def may(self, permission) -> bool:
        return self.request.user.has_perm(permission)


class ProjectBenchmarkView(ProjectMixin, TemplateView):
    permission_required = VIEW
    template_name = "benchmarking/project.html"

    def get_breadcrumbs(self):
        return [*project_crumbs(self.request.user, self.get_project()), (TITLE, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_project()
        benchmarks = self.benchmarks()
        before, after = benchmarks.get(Benchmark.Stage.BEFORE), benchmarks.get(Benchmark.Stage.AFTER)
        stages = []
        for stage in Benchmark.Stage:
            benchmark = benchmarks.get(stage.value)
            stages.append({"stage": stage, "benchmark": benchmark,
                           "check": services.target_check(benchmark) if benchmark else None})
        context.update(project=project, stages=stages, target=services.target_of(project.campaign),
                       comparison=side_by_side(before, after),
                       can_edit=self.may(CHANGE), can_review=self.may(REVIEW))
        return context


class BenchmarkEditView(ProjectMixin, TemplateView):
    """The enterprise's entry for one stage. `?system=<id>` switches the table shown (the
    choice is saved with the values)."""

    permission_required = CHANGE
    template_name = "benchmarking/benchmark_form.html"

    def get_stage(self):
        stage = self.kwargs["stage"]
        if stage not in Benchmark.Stage.values:
            raise Http404
        return Benchmark.Stage(stage)

    def get_breadcrumbs(self):
        project = self.get_project()
        return [*project_crumbs(self.request.user, project),
                (TITLE, reverse("benchmarking:project", args=[project.pk])), (self.get_stage().label, None)]

    def systems(self):
        project = self.get_project()
        suggested = services.systems_for(project.enterprise.industry)
        others = IndicatorSystem.objects.exclude(pk__in=[s.pk for s in suggested]).order_by("code", "-version")
        return suggested, IndicatorSystem.objects.filter(pk__in=[s.pk for s in suggested] + [s.pk for s in others])

    def chosen_system(self, benchmark, systems, data):
        """The system named by the form (POST) or ?system=, else the saved one, else the first
        suggested for the enterprise's industry."""
        raw = data.get("system") if data is not None else self.request.GET.get("system")
        if raw is not None:
            if raw == "":
                return None
            return systems.filter(pk=_int(raw)).first()
        if benchmark is not None and benchmark.recorded_at is not None:
            return benchmark.system
        suggested = self.suggested
        return suggested[0] if suggested else None

    def build(self, data=None):
        project = self.get_project()
        stage = self.get_stage()
        benchmark = self.benchmarks().get(stage.value)
        self.suggested, systems = self.systems()
        system = self.chosen_system(benchmark, systems, data)
        saved = {}
        if benchmark is not None and system is not None and benchmark.system_id == system.pk:
            saved = {value.seq: {"applicable": value.applicable, "value": value.value, "met": value.met}
                     for value in benchmark.values.all()}
        enterprise = project.enterprise
        initial = {"system": system.pk if system else "",
                   "in_approved_park": benchmark.in_approved_park if benchmark else enterprise.in_approved_park,
                   "centralized_treatment": (benchmark.centralized_treatment if benchmark
                                             else enterprise.centralized_treatment),
                   "peer_comparison": benchmark.peer_comparison if benchmark else ""}
        context_form = BenchmarkContextForm(data, systems=systems, initial=initial)
        answers_form = None
        if system is not None:
            answers_form = AnswersForm(spec.from_json(system.definition), data, answers=saved,
                                       initial={"version": benchmark.version if benchmark else 0})
        return {"project": project, "stage": stage, "benchmark": benchmark, "system": system,
                "suggested": self.suggested, "context_form": context_form, "form": answers_form,
                "version": benchmark.version if benchmark else 0}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(kwargs.get("built") or self.build())
        return context

    def post(self, request, *args, **kwargs):
        built = self.build(request.POST)
        context_form, answers_form = built["context_form"], built["form"]
        valid = context_form.is_valid() & (answers_form is None or answers_form.is_valid())
        if valid:
            try:
                services.save_benchmark(
                    request.user, built["project"], built["stage"].value, system=built["system"],
                    answers=answers_form.answers() if answers_form else {},
                    in_approved_park=context_form.cleaned_data["in_approved_park"],
                    centralized_treatment=context_form.cleaned_data["centralized_treatment"],
                    peer_comparison=context_form.cleaned_data["peer_comparison"],
                    version=_int(request.POST.get("version")))
            except PermissionDenied as exc:
                context_form.add_error(None, str(exc) or "您无权填写对标。")
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "peer_comparison" in exc.error_dict:
                    context_form.add_error("peer_comparison", exc.error_dict["peer_comparison"])
                else:
                    context_form.add_error(None, exc)
            else:
                messages.success(request, f"已保存对标（{built['stage'].label}）。")
                return redirect(f"{reverse('benchmarking:project', args=[built['project'].pk])}#{built['stage'].value}")
        return self.render_to_response(self.get_context_data(built=built))


class BenchmarkReviewView(ProjectMixin, TemplateView):
    """The reviewer confirms (or corrects) the qualitative answers and the level, or returns
    the entry to the enterprise."""

    permission_required = REVIEW
    template_name = "benchmarking/benchmark_review.html"

    def get_benchmark(self):
        if not hasattr(self, "benchmark"):
            self.benchmark = get_object_or_404(
                Benchmark.objects.restrict(self.request.user).select_related("system"),
                project=self.get_project(), stage=self.kwargs["stage"], recorded_at__isnull=False)
        return self.benchmark

    def get_breadcrumbs(self):
        project = self.get_project()
        return [*project_crumbs(self.request.user, project),
                (TITLE, reverse("benchmarking:project", args=[project.pk])), ("审核确认", None)]

    def forms(self, data=None):
        benchmark = self.get_benchmark()
        answers_form = None
        if benchmark.system is not None:
            answers = {value.seq: {"met": value.met if value.confirmed_met is None else value.confirmed_met,
                                   "applicable": value.applicable, "value": value.value}
                       for value in benchmark.values.all()}
            answers_form = AnswersForm(spec.from_json(benchmark.system.definition), data, answers=answers,
                                       confirm=True)
        review = ReviewForm(data, initial={"version": benchmark.version, "review_opinion": benchmark.review_opinion})
        back = ReturnForm(data if data is not None and "return" in data else None,
                          initial={"version": benchmark.version})
        return answers_form, review, back

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        answers_form, review, back = kwargs.get("forms") or self.forms()
        benchmark = self.get_benchmark()
        context.update(project=self.get_project(), benchmark=benchmark, form=answers_form, review_form=review,
                       return_form=back, values={value.seq: value for value in benchmark.values.all()})
        return context

    def post(self, request, *args, **kwargs):
        benchmark = self.get_benchmark()
        forms = self.forms(request.POST)
        answers_form, review, back = forms
        version = _int(request.POST.get("version"))
        try:
            if "return" in request.POST:
                if not back.is_valid():
                    return self.render_to_response(self.get_context_data(forms=forms))
                services.return_benchmark(request.user, benchmark, opinion=back.cleaned_data["review_opinion"],
                                          version=version)
                messages.success(request, "已退回企业修改对标。")
            else:
                if not (review.is_valid() & (answers_form is None or answers_form.is_valid())):
                    return self.render_to_response(self.get_context_data(forms=forms))
                peer = review.cleaned_data.get("peer_reached")
                services.confirm_benchmark(
                    request.user, benchmark, confirmed_met=answers_form.confirmed_met() if answers_form else None,
                    opinion=review.cleaned_data["review_opinion"],
                    peer_reached=None if request.POST.get("peer_reached") in (None, "") else peer, version=version)
                messages.success(request, "已确认对标结果。")
        except PermissionDenied as exc:
            review.add_error(None, str(exc) or "您无权确认对标结果。")
            return self.render_to_response(self.get_context_data(forms=forms))
        except ValidationError as exc:
            target = back if "return" in request.POST else review
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    target.add_error(name if name in target.fields else None, errors)
            else:
                target.add_error(None, exc)
            return self.render_to_response(self.get_context_data(forms=forms))
        return redirect(f"{reverse('benchmarking:project', args=[self.get_project().pk])}#{benchmark.stage}")


class ProjectIndexView(ScopedViewMixin, ListView):
    """对标 from the menu: the projects the user may see with their level before and after; an
    enterprise (or consultancy) with a single project goes straight to its page."""

    model = AuditProject
    permission_required = VIEW
    template_name = "benchmarking/project_index.html"
    paginate_by = 50
    breadcrumbs = [("业务办理", None), (TITLE, None)]

    def get_queryset(self):
        return (AuditProject.objects.restrict(self.request.user).select_related("enterprise__region", "campaign")
                .prefetch_related(Prefetch("benchmarks", queryset=Benchmark.objects.select_related("system")))
                .order_by("-accepted_at", "pk"))

    def get(self, request, *args, **kwargs):
        if request.user.role in ENTERPRISE_SIDE:
            projects = list(AuditProject.objects.restrict(request.user).values_list("pk", flat=True)[:2])
            if len(projects) == 1:
                return redirect("benchmarking:project", projects[0])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [(project, {b.stage: b for b in project.benchmarks.all()}) for project in context["object_list"]]
        return context
