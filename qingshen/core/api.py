"""API base classes: the same jurisdiction and role permissions as the pages.

A viewset names its model's permissions through `required_permissions` (action → perm)
or inherits the defaults (view/add/change/delete_<model>); its queryset always comes
from `Model.objects.restrict(user)`.
"""

from rest_framework import viewsets


class ScopedViewSetMixin:
    """get_queryset() = Model.objects.restrict(user), plus the viewset's select_related."""

    select_related: tuple[str, ...] = ()

    def get_queryset(self):
        queryset = self.queryset.model.objects.restrict(self.request.user)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset.order_by(*(self.queryset.query.order_by or self.queryset.model._meta.ordering or ["pk"]))


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass


def raise_service_error(exc):
    """A service's refusal in the API's terms: PermissionDenied → 403, ValidationError → 400
    with its messages (by field where the service named fields)."""
    from django.core.exceptions import PermissionDenied
    from rest_framework import exceptions

    if isinstance(exc, PermissionDenied):
        raise exceptions.PermissionDenied(str(exc)) from exc
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    raise exceptions.ValidationError(detail) from exc
