from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.views.generic import ListView

from qingshen.audit_trail.filters import EventFilterSet
from qingshen.audit_trail.models import Event
from qingshen.core.scoping import ScopedModel
from qingshen.core.views import Breadcrumbs, ObjectListView


class EventListView(ObjectListView):
    """Every event in the official's jurisdiction, newest first."""

    model = Event
    permission_required = "audit_trail.view_event"
    filterset_class = EventFilterSet
    template_name = "audit_trail/event_list.html"
    breadcrumbs = [("系统管理", None), ("审计日志", None)]


class ObjectHistoryView(LoginRequiredMixin, PermissionRequiredMixin, Breadcrumbs, ListView):
    """The history of one object, shown only if the official may see the object itself."""

    permission_required = "audit_trail.view_event"
    template_name = "audit_trail/object_history.html"
    paginate_by = 50

    def get_target(self):
        try:
            model = apps.get_model(self.kwargs["object_type"])
        except (LookupError, ValueError):
            raise Http404("对象类型不存在") from None
        if not issubclass(model, ScopedModel):
            raise Http404("该类对象没有修改记录页")
        try:
            target = model.objects.restrict(self.request.user).filter(pk=self.kwargs["object_id"]).first()
        except (ValueError, ValidationError):  # "abc" for an integer key
            target = None
        if target is None:
            raise Http404("对象不存在或不在您的辖区")
        return target

    def get_queryset(self):
        self.target = self.get_target()
        return Event.objects.for_object(self.target).select_related("actor").order_by("-seq")

    def get_breadcrumbs(self):
        return [("系统管理", None), ("审计日志", "/audit-trail/"), (f"{self.target} 的修改记录", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["target"] = self.target
        context["field_labels"] = {f.name: f.verbose_name for f in self.target._meta.concrete_fields}
        return context
