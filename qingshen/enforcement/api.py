"""The enforcement lists in the API, read-only and scoped like the pages (officials only).

- `/api/enforcement-lists/?campaign=<id>&category=<all|refused|failed|overdue|suspended>` — the
  roster lines of the campaign (by default the latest one the caller sees) in the caller's
  jurisdiction that fall in the category, each once with all its categories (`id` is the roster
  line's); paginated like every list;
- `/api/enforcement-handovers/` (`?campaign=`, `?category=`) and `/api/enforcement-handovers/<id>/` —
  the hand-overs recorded in the jurisdiction; the detail carries the frozen lines.
Recording a hand-over is done on the page (it makes and stores the .xlsx of that moment).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.reverse import reverse

from qingshen.campaigns.models import Campaign
from qingshen.core.api import ScopedReadOnlyViewSet
from qingshen.core.roles import OFFICIAL_ROLES
from qingshen.enforcement import lists
from qingshen.enforcement.models import ALL, CATEGORY_CHOICES, EnforcementHandover

VIEW = "enforcement.view_enforcementlist"
CATEGORY_HELP = "；".join(f"{value} = {label}" for value, label in CATEGORY_CHOICES)


class OfficialsOnly:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.role not in OFFICIAL_ROLES:
            raise exceptions.PermissionDenied("只有生态环境部门可以查看执法移交清单。")


class LineSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="名单企业（CampaignEnterprise）编号")
    enterprise = serializers.CharField()
    uscc = serializers.CharField()
    county = serializers.CharField()
    handling_level = serializers.CharField()
    enterprise_status = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField(), help_text=CATEGORY_HELP)
    category_labels = serializers.ListField(child=serializers.CharField())
    letter_dispatched_on = serializers.CharField(help_text="告知书下发日期，未下发为空")
    accepted = serializers.BooleanField()
    accepted_on = serializers.CharField()
    project_number = serializers.CharField()
    act_by = serializers.CharField(help_text="公布审核信息截止日期（未接受任务的判断依据）")
    last_review = serializers.CharField()
    failed_reviews = serializers.CharField()
    overdue_steps = serializers.CharField()
    permit_number = serializers.CharField()
    history = serializers.CharField(help_text="企业审核履历页面地址")


@extend_schema(parameters=[OpenApiParameter("campaign", int, description="清审批次编号，默认最新"),
                           OpenApiParameter("category", str, enum=[v for v, _ in CATEGORY_CHOICES])])
class EnforcementLineViewSet(OfficialsOnly, mixins.ListModelMixin, viewsets.GenericViewSet):
    """执法移交清单：某批次辖区内拒不开展、审核未通过、逾期未完成、因停产未开展的企业。"""

    serializer_class = LineSerializer
    required_permissions = {"list": VIEW}
    filter_backends = []

    def get_queryset(self):
        user, params = self.request.user, self.request.query_params
        campaigns = Campaign.objects.restrict(user).order_by("-year", "-created_at")
        wanted = params.get("campaign")
        if wanted:
            campaign = campaigns.filter(pk=wanted).first() if wanted.isdigit() else None
            if campaign is None:
                raise exceptions.NotFound(f"清审批次“{wanted}”不存在或不在您的范围内。")
        else:
            campaign = campaigns.first()
            if campaign is None:
                return []
        category = params.get("category") or ALL
        if category not in dict(CATEGORY_CHOICES):
            raise exceptions.ValidationError({"category": f"移交类别“{category}”不存在，可选：{CATEGORY_HELP}。"})
        return _Rows(lists.Paged(user, campaign, category), self.request)


class _Rows:
    """The API rows of a category, built a page at a time (the paginator slices it)."""

    def __init__(self, paged, request):
        self.paged, self.request = paged, request

    def count(self) -> int:
        return self.paged.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key:key + 1][0]
        return [{**line.as_dict(), "history": reverse("enforcement:history", args=[line.member.pk],
                                                      request=self.request)} for line in self.paged[key]]


class HandoverSerializer(serializers.ModelSerializer):
    category = serializers.CharField(read_only=True, help_text=CATEGORY_HELP)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    created_by_name = serializers.CharField(source="created_by.full_name", read_only=True)
    workbook_url = serializers.SerializerMethodField(help_text="移交时生成的 Excel")

    class Meta:
        model = EnforcementHandover
        fields = ["id", "campaign", "campaign_name", "organization", "organization_name", "category",
                  "category_display", "recipient", "handed_on", "note", "line_count", "workbook_url",
                  "created_by_name", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_workbook_url(self, obj):
        return reverse("enforcement:handover_file", args=[obj.pk], request=self.context.get("request"))


class HandoverDetailSerializer(HandoverSerializer):
    class Meta(HandoverSerializer.Meta):
        fields = [*HandoverSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class EnforcementHandoverViewSet(OfficialsOnly, ScopedReadOnlyViewSet):
    """执法移交记录：辖区内登记的移交（不可修改）。"""

    queryset = EnforcementHandover.objects.all()
    serializer_class = HandoverSerializer
    select_related = ("campaign", "organization", "created_by")
    filterset_fields = ["campaign", "category"]
    required_permissions = {"list": VIEW, "retrieve": VIEW}

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.defer("lines") if self.action == "list" else queryset

    def get_serializer_class(self):
        return HandoverDetailSerializer if self.action == "retrieve" else HandoverSerializer


ROUTES = [("enforcement-lists", EnforcementLineViewSet, "enforcement-line"),
          ("enforcement-handovers", EnforcementHandoverViewSet, "enforcement-handover")]
