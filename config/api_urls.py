"""The REST API: one router, every viewset scoped like the pages."""

from rest_framework.routers import DefaultRouter

from qingshen.accounts.api import UserViewSet
from qingshen.audit_trail.api import EventViewSet
from qingshen.enterprises.api import EnterpriseViewSet
from qingshen.industries.api import IndustryViewSet
from qingshen.organizations.api import OrganizationViewSet
from qingshen.regions.api import RegionViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet)
router.register("industries", IndustryViewSet)
router.register("organizations", OrganizationViewSet)
router.register("users", UserViewSet)
router.register("enterprises", EnterpriseViewSet)
router.register("events", EventViewSet)

urlpatterns = router.urls
