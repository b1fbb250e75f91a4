from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("qingshen.core.urls")),
    path("accounts/", include("qingshen.accounts.urls")),
    path("regions/", include("qingshen.regions.urls")),
    path("industries/", include("qingshen.industries.urls")),
    path("organizations/", include("qingshen.organizations.urls")),
    path("enterprises/", include("qingshen.enterprises.urls")),
    path("audit-trail/", include("qingshen.audit_trail.urls")),
    path("jobs/", include("qingshen.jobs.urls")),
    path("campaigns/", include("qingshen.campaigns.urls")),
    path("rosters/", include("qingshen.rosters.urls")),
    path("notices/", include("qingshen.notices.urls")),
    path("projects/", include("qingshen.projects.urls")),
    path("evidence/", include("qingshen.evidence.urls")),
    path("project-start/", include("qingshen.project_start.urls")),
    path("filings/", include("qingshen.filings.urls")),
    path("audit-data/", include("qingshen.audit_data.urls")),
    path("options/", include("qingshen.options.urls")),
    path("applications/", include("qingshen.applications.urls")),
    path("benchmarking/", include("qingshen.benchmarking.urls")),
    path("experts/", include("qingshen.experts.urls")),
    path("reviews/", include("qingshen.reviews.urls")),
    path("api/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
