from qingshen.accounts import policy
from qingshen.core.views import ObjectDetailView, ObjectFormView, ObjectListView
from qingshen.organizations import services
from qingshen.organizations.filters import OrganizationFilterSet
from qingshen.organizations.forms import OrganizationForm
from qingshen.organizations.models import Organization

LIST_CRUMB = ("单位管理", "/organizations/")


class OrganizationListView(ObjectListView):
    model = Organization
    permission_required = "organizations.view_organization"
    filterset_class = OrganizationFilterSet
    select_related = ("region",)
    template_name = "organizations/organization_list.html"
    breadcrumbs = [("系统管理", None), ("单位管理", None)]


class OrganizationDetailView(ObjectDetailView):
    model = Organization
    permission_required = "organizations.view_organization"
    select_related = ("region", "enterprise")
    template_name = "organizations/organization_detail.html"

    def get_breadcrumbs(self):
        return [("系统管理", None), LIST_CRUMB, (self.object.name, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        org = self.object
        context["accounts"] = org.users.order_by("-is_department_account", "username")
        context["has_main_account"] = any(a.is_department_account for a in context["accounts"])
        context["can_create_main_account"] = policy.can_manage(user, org, department_account=True)
        context["can_create_staff"] = policy.can_manage(user, org, department_account=False)
        return context


class OrganizationFormView(ObjectFormView):
    """Add a consultancy or expert institution, or edit one."""

    model = Organization
    form_class = OrganizationForm
    template_name = "organizations/organization_form.html"
    add_permission = "organizations.add_organization"
    change_permission = "organizations.change_organization"

    def get_queryset(self):
        # Only consultancies and expert institutions are edited here (see services).
        return super().get_queryset().filter(kind__in=list(services.ACCOUNT_PREFIX))

    def get_breadcrumbs(self):
        return [("系统管理", None), LIST_CRUMB, ("修改单位" if self.object else "添加单位", None)]

    def save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "kind"}
        if self.object is None:
            return services.create_organization(self.request.user, kind=form.cleaned_data["kind"], **data)
        return services.update_organization(self.request.user, self.object, **data)
