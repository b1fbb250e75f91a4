from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import ListView

from qingshen.core.views import Breadcrumbs
from qingshen.regions.models import Region


class RegionListView(LoginRequiredMixin, Breadcrumbs, ListView):
    """The whole tree, indented: reference data every signed-in user may read."""

    template_name = "regions/region_list.html"
    breadcrumbs = [("系统管理", None), ("行政区划", None)]

    def get_queryset(self):
        return Region.objects.order_by("province_code", "city_code", "level", "code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        regions = list(context["object_list"])
        children = {}
        for region in regions:
            children.setdefault(region.parent_id, []).append(region)
        rows = []

        def walk(parent_id, depth):
            for region in children.get(parent_id, []):
                rows.append((region, depth))
                walk(region.code, depth + 1)

        walk(None, 0)
        context["rows"] = rows
        return context
