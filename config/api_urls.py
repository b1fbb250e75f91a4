"""The REST API: one router, every viewset scoped like the pages.

Apps declare their endpoints in their `api.py` as `ROUTES = [("prefix", ViewSet), ...]` (a third
item, when present, is the route names' basename; by default the model's name); they are
registered here in app order.
"""

import importlib

from django.apps import apps
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
for config in apps.get_app_configs():
    if not config.name.startswith("qingshen."):
        continue
    try:
        module = importlib.import_module(f"{config.name}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{config.name}.api":
            raise
        continue
    for prefix, viewset, *basename in getattr(module, "ROUTES", ()):
        router.register(prefix, viewset, basename=basename[0] if basename else None)

urlpatterns = router.urls
