from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import DetailView, ListView

from qingshen.core.views import Breadcrumbs
from qingshen.jobs.models import Job

JOBS_CRUMB = ("导出文件", "/jobs/")


class JobListView(LoginRequiredMixin, Breadcrumbs, ListView):
    template_name = "jobs/job_list.html"
    paginate_by = 50
    breadcrumbs = [("系统管理", None), ("导出文件", None)]

    def get_queryset(self):
        return Job.objects.restrict(self.request.user)


class JobDetailView(LoginRequiredMixin, Breadcrumbs, DetailView):
    """The job's progress; while it runs, htmx reloads the progress card every second."""

    template_name = "jobs/job_detail.html"
    context_object_name = "job"

    def get_queryset(self):
        return Job.objects.restrict(self.request.user)

    def get_template_names(self):
        if self.request.htmx:
            return ["jobs/_progress.html"]
        return [self.template_name]

    def get_breadcrumbs(self):
        return [("系统管理", None), JOBS_CRUMB, (self.object.title, None)]


class JobDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        job = get_object_or_404(Job.objects.restrict(request.user), pk=pk, status=Job.Status.SUCCEEDED)
        if not job.result:
            raise Http404
        return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name)
