"""工作过程痕迹 pages: the progress overview, a project's phases, a phase and its submission.

The enterprise reaches them as the seed says (业务办理 → 详情); officials through 痕迹填报进度.
Every page finds its rows through `restrict(user)`: another enterprise's project or phase does
not exist for the user (404).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View

from qingshen.core.roles import Role
from qingshen.core.views import ObjectDetailView, ObjectListView, ScopedViewMixin
from qingshen.filings import completeness, services
from qingshen.filings.filters import ProgressFilterSet
from qingshen.filings.forms import SubmitForm
from qingshen.filings.models import PHASE_STAGE, Phase, PhaseFiling, Stage, phases_of
from qingshen.projects.models import AuditProject

ENTERPRISE_SIDE = frozenset({Role.ENTERPRISE, Role.CONSULTANCY})
BUSINESS_CRUMB = ("业务办理", None)


def progress_crumb(user):
    label = "工作过程痕迹" if user.role in ENTERPRISE_SIDE else "痕迹填报进度"
    return (label, reverse("filings:progress"))


def project_crumb(project):
    return (f"{project.number} {project.enterprise.name}", reverse("filings:project", args=[project.pk]))


class ProgressView(ObjectListView):
    """Projects × phases, a status per cell. Constant queries: the page's projects, then their
    filings in one query, and the counts per phase and status for the whole filtered list in
    another; no completeness is computed here (that costs a query per project)."""

    model = AuditProject
    permission_required = "filings.view_phasefiling"
    filterset_class = ProgressFilterSet
    select_related = ("enterprise__region", "campaign")
    template_name = "filings/progress.html"

    def get_breadcrumbs(self):
        return [BUSINESS_CRUMB, (progress_crumb(self.request.user)[0], None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        projects = list(context["object_list"])
        statuses = {}
        for project_id, phase, status in (PhaseFiling.objects.restrict(self.request.user)
                                          .filter(project_id__in=[p.pk for p in projects])
                                          .values_list("project_id", "phase", "status")):
            statuses[(project_id, phase)] = status
        labels = dict(PhaseFiling.Status.choices)
        rows = []
        for project in projects:
            cells = []
            for phase in Phase:
                status = statuses.get((project.pk, phase.value), PhaseFiling.Status.NOT_STARTED)
                cells.append({"phase": phase, "status": status, "label": labels[status]})
            rows.append({"project": project, "cells": cells,
                         "submitted": sum(1 for c in cells if c["status"] == PhaseFiling.Status.SUBMITTED)})
        counts = (PhaseFiling.objects.restrict(self.request.user)
                  .filter(project__in=self.object_list.order_by().values("pk"))
                  .values("phase", "status").annotate(n=Count("pk")).order_by())
        totals = {phase.value: {"submitted": 0, "in_progress": 0} for phase in Phase}
        for row in counts:
            if row["status"] in ("submitted", "in_progress"):
                totals[row["phase"]][row["status"]] = row["n"]
        context.update(rows=rows, phases=list(Phase), totals=[(phase, totals[phase.value]) for phase in Phase],
                       stages=[(stage, phases_of(stage)) for stage in Stage],
                       enterprise_side=self.request.user.role in ENTERPRISE_SIDE)
        return context


class ProjectFilingsView(ObjectDetailView):
    """A project's 工作过程痕迹: the two stages, each phase's status and x / y required items."""

    model = AuditProject
    permission_required = "filings.view_phasefiling"
    select_related = ("enterprise__region", "campaign", "member")
    template_name = "filings/project.html"
    context_object_name = "project"

    def get_breadcrumbs(self):
        return [BUSINESS_CRUMB, progress_crumb(self.request.user),
                (f"{self.object.number} {self.object.enterprise.name}", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filings = services.ensure_filings(self.object)
        states = completeness.for_project(self.object, filings)
        stages = []
        for stage in Stage:
            phase_states = [states[f.pk] for f in filings if PHASE_STAGE[f.phase] == stage]
            stages.append({"stage": stage, "phases": phase_states,
                           "submitted": sum(1 for s in phase_states if s.filing.is_submitted)})
        context["stages"] = stages
        return context


class PhaseView(ObjectDetailView):
    """One phase: each checklist item with its guidance and its evidence panel (or, for a data
    table, a link to the table and its row count), the missing list and 提交."""

    model = PhaseFiling
    permission_required = "filings.view_phasefiling"
    select_related = ("project__enterprise__region", "project__campaign", "submitted_by")
    template_name = "filings/phase.html"
    context_object_name = "filing"

    def get_breadcrumbs(self):
        project = self.object.project
        return [BUSINESS_CRUMB, progress_crumb(self.request.user), project_crumb(project),
                (self.object.get_phase_display(), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filing, user = self.object, self.request.user
        siblings = dict(PhaseFiling.objects.filter(project_id=filing.project_id).values_list("phase", "pk"))
        phases = list(Phase)
        index = phases.index(Phase(filing.phase))
        context.update(
            project=filing.project,
            state=completeness.for_filing(filing),
            stage_label=Stage(filing.stage).label,
            previous=(phases[index - 1], siblings.get(phases[index - 1].value)) if index > 0 else None,
            next=(phases[index + 1], siblings.get(phases[index + 1].value)) if index + 1 < len(phases) else None,
            can_submit=user.role == Role.ENTERPRISE and user.has_perm("filings.submit_phasefiling"),
            can_fill=filing.evidence_editable(user),
            submit_form=SubmitForm(initial={"version": filing.version}),
        )
        return context


class SubmitView(ScopedViewMixin, View):
    """提交 a phase (the enterprise only). Refused with the list of what is missing."""

    model = PhaseFiling
    permission_required = "filings.submit_phasefiling"

    def post(self, request, pk):
        filing = get_object_or_404(self.get_queryset(), pk=pk)
        form = SubmitForm(request.POST)
        version = form.cleaned_data.get("version") if form.is_valid() else None
        try:
            filing = services.submit(request.user, filing, expected_version=version)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages).replace("：；", "："))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已提交“{filing.get_phase_display()}”。")
        return redirect("filings:phase", pk=pk)
