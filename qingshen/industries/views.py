from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.views.generic import ListView

from qingshen.core.views import Breadcrumbs
from qingshen.industries.models import Industry


class IndustryListView(LoginRequiredMixin, Breadcrumbs, ListView):
    template_name = "industries/industry_list.html"
    breadcrumbs = [("系统管理", None), ("行业分类", None)]
    paginate_by = 100

    def get_queryset(self):
        queryset = Industry.objects.order_by("code")
        query = self.request.GET.get("q", "").strip()
        if query:
            queryset = queryset.filter(Q(code__startswith=query) | Q(name__contains=query))
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["q"] = self.request.GET.get("q", "")
        context["querystring"] = f"q={context['q']}" if context["q"] else ""
        return context
