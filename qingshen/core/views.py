"""Base views. Every page that shows rows inherits from these, so every page is scoped.

- anonymous users are sent to the login page;
- signed-in users without the view's permission get 403;
- rows outside the user's jurisdiction do not exist for them (404), because the queryset
  always comes from `Model.objects.restrict(user)`.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, FormView, ListView, TemplateView

from qingshen.core.roles import Role


class Breadcrumbs:
    """A view's breadcrumb trail: [(label, url or None)], shown as 任务管理 / 清审任务通知 / 下发任务."""

    breadcrumbs: list[tuple[str, str | None]] = []

    def get_breadcrumbs(self):
        return self.breadcrumbs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = self.get_breadcrumbs()
        return context


class ScopedViewMixin(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs):
    """Permission check plus the jurisdiction-restricted queryset."""

    model = None
    select_related: tuple[str, ...] = ()

    def get_permission_required(self):
        if self.permission_required is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must name its permission_required.")
        return super().get_permission_required()

    def get_queryset(self):
        queryset = self.model.objects.restrict(self.request.user)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset


class ObjectListView(ScopedViewMixin, ListView):
    """A filtered, paginated list of the rows the user may see."""

    filterset_class = None
    paginate_by = 50

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
            queryset = self.filterset.qs
        else:
            self.filterset = None
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context


class ObjectDetailView(ScopedViewMixin, DetailView):
    pass


class HomeView(LoginRequiredMixin, Breadcrumbs, TemplateView):
    template_name = "core/home.html"
    breadcrumbs = [("首页", None)]

    def get_context_data(self, **kwargs):
        from qingshen.enterprises.models import Enterprise

        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.has_perm("enterprises.view_enterprise"):
            counts = Enterprise.objects.restrict(user).values("status").annotate(n=Count("pk"))
            by_status = {row["status"]: row["n"] for row in counts}
            context["enterprise_total"] = sum(by_status.values())
            context["enterprise_by_status"] = by_status
        return context


class HelpView(LoginRequiredMixin, Breadcrumbs, TemplateView):
    template_name = "core/help.html"
    breadcrumbs = [("帮助", None), ("使用帮助", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["Role"] = Role
        return context


class ObjectFormView(ScopedViewMixin, FormView):
    """Create (no pk in the URL) or edit (pk) a row through a service.

    Subclasses implement `save(form)`, which calls the service and returns the row. A
    PermissionDenied or ValidationError from the service is shown on the form, with
    everything the user typed kept.
    """

    success_message = "已保存：{object}"
    add_permission: str = ""
    change_permission: str = ""

    def get_permission_required(self):
        return [self.change_permission if "pk" in self.kwargs else self.add_permission]

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            obj = self.save(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and set(exc.error_dict) <= set(form.fields):
                form.add_error(None, exc)  # each message beside the field it is about
            else:
                for message in exc.messages:
                    form.add_error(None, message)
            return self.form_invalid(form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or "您无权执行该操作。")
            return self.form_invalid(form)
        messages.success(self.request, self.success_message.format(object=obj))
        return redirect(self.get_success_url(obj))

    def get_success_url(self, obj):
        return obj.get_absolute_url()
