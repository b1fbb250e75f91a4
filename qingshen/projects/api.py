"""Audit projects in the API: list and read (scoped like the pages); create = 接受清审任务 for
the enterprise, through the same service and with the same messages; and 任务统计 per
campaign (`/api/audit-projects/statistics/?campaign=<id>`).

Activation (激活账号) has no endpoint: it is a one-time step a person takes with the paper
letter in hand, API clients are signed-in accounts (a token comes from 我的账号), and an
anonymous endpoint would only widen the surface for guessing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qingshen.campaigns.models import Campaign, CampaignEnterprise
from qingshen.core.api import ScopedViewSetMixin
from qingshen.projects import services, statistics
from qingshen.projects.filters import AuditProjectFilterSet
from qingshen.projects.models import AuditProject


class MemberField(serializers.PrimaryKeyRelatedField):
    """A roster line the caller may see (an enterprise: only its own)."""

    def get_queryset(self):
        return CampaignEnterprise.objects.restrict(self.context["request"].user)


class AuditProjectSerializer(serializers.ModelSerializer):
    member = MemberField(help_text="名单企业（清审任务）编号，即接受哪一个清审任务")
    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    accepted_by_name = serializers.CharField(source="accepted_by.username", read_only=True)
    # Plain strings, not an enum: every app has a "status", and drf-spectacular warns about
    # (and `check --deploy` fails on) enums that share a name.
    status = serializers.CharField(read_only=True, help_text="accepted = 已接受任务")
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = AuditProject
        fields = ["id", "number", "member", "campaign", "campaign_name", "enterprise", "enterprise_name", "status", "status_display",
                  "project_lead", "project_lead_mobile", "accepted_at", "accepted_by_name",
                  "province_code", "city_code", "county_code"]
        read_only_fields = ["number", "campaign", "enterprise", "status", "accepted_at",
                            "province_code", "city_code", "county_code"]
        # The service checks the lead and the mobile (in its words) and the one-project rule.
        extra_kwargs = {"project_lead": {"allow_blank": True}, "project_lead_mobile": {"allow_blank": True}}
        validators = []


class AuditProjectViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.CreateModelMixin, viewsets.GenericViewSet):
    """清洁生产审核项目：按辖区过滤；POST 即接受清审任务（仅企业账号）。"""

    queryset = AuditProject.objects.all()
    serializer_class = AuditProjectSerializer
    filterset_class = AuditProjectFilterSet
    select_related = ("campaign", "enterprise", "accepted_by")
    required_permissions = {"statistics": "notices.view_noticetask"}

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = services.accept(
                self.request.user, data["member"], project_lead=data.get("project_lead", ""),
                project_lead_mobile=data.get("project_lead_mobile", ""))
        except ValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            raise exceptions.ValidationError(detail) from exc
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc

    @extend_schema(parameters=[OpenApiParameter("campaign", OpenApiTypes.INT, description="清审批次编号；不填则列出全部批次")],
                   responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def statistics(self, request):
        """任务统计：每个清审批次按区县（省级按地市）统计名单企业、告知书生成、盖章、下发（已通知）、
        已接受、未接受的企业数。?campaign=<id> 只看一个批次。"""
        campaigns = Campaign.objects.restrict(request.user).order_by("-year", "-created_at")
        wanted = request.query_params.get("campaign")
        if wanted:
            if not wanted.isdigit():
                raise exceptions.ValidationError({"campaign": ["请填写清审批次编号。"]})
            campaigns = campaigns.filter(pk=wanted)
            if not campaigns.exists():
                raise exceptions.NotFound("清审批次不存在。")
        tables = statistics.tables(request.user, campaigns)
        return Response({"results": [_table_data(table) for table in tables]})


def _row_data(row):
    return {"region_code": row.region_code, "region_name": row.region_name,
            **{status.key: count for status, count in row.cells()}}


def _table_data(table):
    campaign = table.campaign
    return {
        "campaign": {"id": campaign.pk, "name": campaign.name, "document_number": campaign.document_number,
                     "year": campaign.year},
        "group_level": table.group_level,
        "columns": {status.key: status.label for status in statistics.STATUSES},
        "rows": [_row_data(row) for row in table.rows],
        "total": _row_data(table.total),
    }


ROUTES = [("audit-projects", AuditProjectViewSet)]
