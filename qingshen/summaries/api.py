"""Summary reports in the API, read-only and scoped like the pages (a department's draft only
for itself):

- `/api/summary-reports/?campaign=<id>&kind=work|evaluation` — every version the caller may
  see, with its text, its state and, once submitted, the figures frozen at submission
  (`figures`; null for a draft, whose figures are live on the page).
"""

from datetime import date

import django_filters
from django.db.models import Q
from django.urls import reverse
from rest_framework import serializers

from qingshen.campaigns.models import Milestone
from qingshen.core.api import ScopedReadOnlyViewSet
from qingshen.summaries import services
from qingshen.summaries.models import Kind, SummaryReport


class SummaryReportFilterSet(django_filters.FilterSet):
    campaign = django_filters.NumberFilter(field_name="campaign_id", label="清审批次")
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label="类型")

    class Meta:
        model = SummaryReport
        fields = ["campaign", "kind"]


class SummaryReportSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    due_date = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = SummaryReport
        fields = ["id", "campaign", "organization", "organization_name", "kind", "kind_display", "version", "status",
                  "status_display", "due_date", "progress", "achievements", "problems", "next_steps", "figures",
                  "submitted_at", "returned_at", "return_reason", "pdf_url", "xlsx_url",
                  "province_code", "city_code", "county_code", "created_at", "updated_at"]
        read_only_fields = fields

    def get_due_date(self, report) -> date | None:
        milestones = self.context.get("milestones", {}).get(report.campaign_id)
        if milestones is None:
            return None
        return report.due_date(milestones=milestones)

    def get_pdf_url(self, report) -> str:
        return reverse("summaries:pdf", args=[report.pk])

    def get_xlsx_url(self, report) -> str:
        return reverse("summaries:xlsx", args=[report.pk])


class SummaryReportViewSet(ScopedReadOnlyViewSet):
    queryset = SummaryReport.objects.all()
    serializer_class = SummaryReportSerializer
    filterset_class = SummaryReportFilterSet
    select_related = ("organization__region", "campaign")

    def get_queryset(self):
        organization = services.author_of(self.request.user)
        own = Q(organization=organization) if organization is not None else Q(pk__in=[])
        return super().get_queryset().filter(own | ~Q(status=SummaryReport.Status.DRAFT))

    def get_serializer_context(self):
        """The milestones of the campaigns on the page, fetched once (the due dates need them)."""
        context = super().get_serializer_context()
        campaign = self.request.query_params.get("campaign")
        milestones = Milestone.objects.select_related("region")
        if campaign and campaign.isdigit():
            milestones = milestones.filter(campaign_id=campaign)
        else:
            milestones = milestones.filter(campaign__in=self.get_queryset().values("campaign_id"))
        grouped = {}
        for milestone in milestones:
            grouped.setdefault(milestone.campaign_id, []).append(milestone)
        context["milestones"] = _Defaulting(grouped)
        return context


class _Defaulting(dict):
    """{campaign id: milestones}, an empty list for a campaign with none."""

    def get(self, key, default=None):
        return super().get(key, [])


ROUTES = [("summary-reports", SummaryReportViewSet)]
