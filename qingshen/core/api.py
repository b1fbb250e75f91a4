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
