"""The permit linkage in the API, read only and scoped like the pages:

- `/api/permit-changes/` (?campaign=, ?member=): the recorded changes the user may see, with
  their versions (the file by id and hash; download it from the page's file address);
- `/api/permit-reports/` (?campaign=, ?organization=, ?status=): the permit authorities' reports,
  every version, with the lines frozen at submission.
Recording and reporting happen on the pages, through the same services.
"""

from rest_framework import serializers

from qingshen.core.api import ScopedReadOnlyViewSet
from qingshen.permits.models import PermitChange, PermitChangeVersion, PermitReport


class VersionSerializer(serializers.ModelSerializer):
    file_name = serializers.CharField(source="file.original_name", read_only=True)
    file_sha256 = serializers.CharField(source="file.sha256", read_only=True)

    class Meta:
        model = PermitChangeVersion
        fields = ["version", "changed_on", "permit_number", "requirement", "file", "file_name", "file_sha256", "note",
                  "recorded_by", "recorded_at"]
        read_only_fields = fields


class PermitChangeSerializer(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="member.campaign_id", read_only=True)
    enterprise = serializers.IntegerField(source="member.enterprise_id", read_only=True)
    enterprise_name = serializers.CharField(source="member.enterprise.name", read_only=True)
    permit_category = serializers.CharField(source="member.enterprise.permit_category", read_only=True,
                                            help_text="key = 重点管理, simplified = 简化管理")
    versions = VersionSerializer(many=True, read_only=True)

    class Meta:
        model = PermitChange
        fields = ["id", "member", "campaign", "enterprise", "enterprise_name", "permit_category", "changed_on",
                  "permit_number", "requirement", "file", "note", "recorded_by", "recorded_at", "version", "versions"]
        read_only_fields = fields


class PermitChangeViewSet(ScopedReadOnlyViewSet):
    queryset = PermitChange.objects.all()
    serializer_class = PermitChangeSerializer
    select_related = ("member__enterprise",)
    filterset_fields = {"member__campaign": ["exact"], "member": ["exact"]}

    def get_queryset(self):
        return super().get_queryset().prefetch_related("versions__file")

    def filter_queryset(self, queryset):
        campaign = self.request.query_params.get("campaign")
        if campaign:
            queryset = queryset.filter(member__campaign_id=campaign) if campaign.isdigit() else queryset.none()
        return super().filter_queryset(queryset)


class PermitReportSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text="；".join(
        f"{v} = {label}" for v, label in PermitReport.Status.choices))
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = PermitReport
        fields = ["id", "campaign", "organization", "organization_name", "version", "status", "status_display",
                  "note", "lines", "counts", "submitted_at", "submitted_by", "returned_at", "returned_by",
                  "return_reason", "created_at", "updated_at"]
        read_only_fields = fields


class PermitReportViewSet(ScopedReadOnlyViewSet):
    queryset = PermitReport.objects.all()
    serializer_class = PermitReportSerializer
    select_related = ("organization",)
    filterset_fields = ["campaign", "organization", "status"]


ROUTES = [
    ("permit-changes", PermitChangeViewSet, "permit-change"),
    ("permit-reports", PermitReportViewSet, "permit-report"),
]
