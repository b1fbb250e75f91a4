"""清审批次 in the API: the same rules as the pages, every change through the services."""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response

from qingshen.campaigns import calendar, services
from qingshen.campaigns.filters import CampaignFilterSet, MemberApiFilterSet, MilestoneFilterSet
from qingshen.campaigns.models import (
    Campaign, CampaignEnterprise, HandlingLevel, Milestone, MilestoneKind, Party, Reason, TargetRule,
)
from qingshen.core.api import ScopedViewSetMixin
from qingshen.enterprises.models import Enterprise


def call_service(func, *args, **kwargs):
    """A service's Chinese errors as the API's: ValidationError → 400, PermissionDenied → 403."""
    try:
        return func(*args, **kwargs)
    except ValidationError as exc:
        raise exceptions.ValidationError(getattr(exc, "message_dict", None) or exc.messages) from exc
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None) from exc


def choice_field(choices, **kwargs) -> serializers.ChoiceField:
    """A ChoiceField documented as a string whose values the description lists. As an enum,
    drf-spectacular would name a component after the field ("status", "kind"), clash with
    other apps' fields of that name and other values, and warn — which `check --deploy`
    (run by the test suite) fails on; the names it then makes up (Status5a6Enum) are no help."""
    schema = {"type": "string", "description": "可选值：" + "；".join(f"{value}（{label}）" for value, label in choices)}
    field_class = extend_schema_field(schema)(type("InlineChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)


class TargetRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetRule
        fields = ["code", "title", "text"]


class CampaignSerializer(serializers.ModelSerializer):
    target_rules = serializers.SlugRelatedField(
        many=True, slug_field="code", queryset=TargetRule.objects.all(), required=False,
        help_text="审核目标编号（1–4）",
    )
    target_rule_texts = TargetRuleSerializer(source="target_rules", many=True, read_only=True)
    issuing_organization_name = serializers.CharField(source="issuing_organization.name", read_only=True)
    status = choice_field(Campaign.Status.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    version = serializers.IntegerField(required=False, help_text="修改时传入读取到的版本号，防止覆盖他人的修改")

    class Meta:
        model = Campaign
        fields = ["id", "document_number", "batch", "name", "year", "code", "scope", "issuing_organization",
                  "issuing_organization_name", "issue_date", "deadline", "requirements", "letter_preamble",
                  "contact_person", "contact_phone", "target_rules", "target_rule_texts", "status",
                  "status_display", "roster_published_on", "version", "created_at"]
        read_only_fields = ["issuing_organization", "status", "roster_published_on", "created_at"]
        extra_kwargs = {"code": {"validators": []}}  # checked by the service, in its words

    def validate_code(self, value):
        others = Campaign.objects.all() if self.instance is None else Campaign.objects.exclude(pk=self.instance.pk)
        if others.filter(code=value).exists():
            raise serializers.ValidationError("该批次代码已被其他清审批次使用。")
        return value


class DeadlineSerializer(serializers.Serializer):
    """One date that applies in a place (calendar.Deadline)."""

    kind = choice_field(MilestoneKind.choices)
    title = serializers.CharField()
    party = choice_field(Party.choices)
    party_label = serializers.CharField()
    date = serializers.DateField(allow_null=True, help_text="名单公布前，相对日期为 null")
    relative = serializers.CharField(help_text="如“自企业名单公布后 10 日内”")
    set_by = serializers.CharField(help_text="设定该日期的区域")
    document_number = serializers.CharField()
    tightened = serializers.BooleanField(help_text="由市、县提前")


class CampaignDetailSerializer(CampaignSerializer):
    deadlines = serializers.SerializerMethodField(help_text="适用于当前账号所在区域的时间节点")

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "deadlines"]

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, campaign):
        region = calendar.region_of(self.context["request"].user)
        return [
            {"kind": d.kind, "title": d.title, "party": d.party, "party_label": d.party_label,
             "date": d.date.isoformat() if d.date else None, "relative": d.relative, "set_by": d.region_name,
             "document_number": d.document_number, "tightened": d.tightened}
            for d in calendar.deadlines(campaign, region)
        ] if region else []


class CampaignViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """清审批次：所有可查看的账号可列出和读取；省级经业务服务新建、修改（名单下发后，文号等不能再改）。"""

    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilterSet
    select_related = ("issuing_organization",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("target_rules")

    def get_serializer_class(self):
        return CampaignDetailSerializer if self.action == "retrieve" else CampaignSerializer

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in services.EDITABLE_FIELDS}
        rules = data.pop("target_rules", [])
        serializer.instance = call_service(services.create_campaign, self.request.user, target_rules=rules, **data)

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in services.EDITABLE_FIELDS}
        serializer.instance = call_service(services.update_campaign, self.request.user, serializer.instance,
                                           expected_version=serializer.validated_data.get("version"), **data)


class CampaignMemberSerializer(serializers.ModelSerializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.none())
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True, default="")
    region = serializers.CharField(source="enterprise.region_id", read_only=True)
    region_name = serializers.CharField(source="enterprise.region.name", read_only=True)
    reasons = serializers.ListField(child=choice_field(Reason.choices), allow_empty=False,
                                    help_text="纳入原因：double_exceed 双超、double_toxic 双有、high_energy 综合能耗高、"
                                              "key_task 重点工作任务，可多选")
    reason_labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    handling_level = choice_field(HandlingLevel.choices)
    status = choice_field(CampaignEnterprise.Status.choices, read_only=True)
    handling_level_display = serializers.CharField(source="get_handling_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    proposed_by_name = serializers.CharField(source="proposed_by.name", read_only=True, default="")

    class Meta:
        model = CampaignEnterprise
        fields = ["id", "campaign", "enterprise", "enterprise_name", "uscc", "region", "region_name", "reasons",
                  "reason_labels", "handling_level", "handling_level_display", "status", "status_display",
                  "exclusion_reason", "proposed_by_name", "seq", "province_code", "city_code", "county_code"]
        read_only_fields = ["status", "exclusion_reason", "seq", "province_code", "city_code", "county_code"]
        validators = []  # a duplicate is refused by the service, in its words

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["campaign"].queryset = Campaign.objects.restrict(request.user)
            fields["enterprise"].queryset = Enterprise.objects.restrict(request.user)
        return fields


class MemberViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """名单企业：按辖区列出（可按清审批次、区县、办理机构、核定结果、纳入原因过滤）；
    省级在名单下发前可加入（POST）或移出（DELETE）企业。"""

    queryset = CampaignEnterprise.objects.all()
    serializer_class = CampaignMemberSerializer
    filterset_class = MemberApiFilterSet
    select_related = ("enterprise__region", "proposed_by")
    required_permissions = {
        "list": "campaigns.view_campaign", "retrieve": "campaigns.view_campaign",
        "create": "campaigns.change_campaign", "destroy": "campaigns.change_campaign",
    }

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        added, skipped = call_service(services.add_members, request.user, data["campaign"], [data["enterprise"]],
                                      reasons=data["reasons"], handling_level=data["handling_level"])
        if skipped:
            raise exceptions.ValidationError({"enterprise": [f"{data['enterprise'].name}已在本批次名单中。"]})
        return Response(self.get_serializer(added[0]).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        call_service(services.remove_member, self.request.user, instance)


class MilestoneSerializer(serializers.ModelSerializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.none())
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    kind = choice_field(MilestoneKind.choices)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    party = choice_field(Party.choices, required=False, allow_blank=True, help_text="留空按节点默认；“其他”节点必填")

    class Meta:
        model = Milestone
        fields = ["id", "campaign", "region", "region_name", "kind", "kind_display", "title", "label", "party",
                  "due_date", "days_after_publication", "document_number"]
        read_only_fields = ["title"]
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["campaign"].queryset = Campaign.objects.restrict(request.user)
        return fields

    def validate(self, data):
        if data.get("kind") == MilestoneKind.EXTRA and not data.get("party"):
            raise serializers.ValidationError({"party": "请选择“其他”节点的责任方。"})
        return data


class MilestoneViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """时间节点：列出账号可见的各级设定；POST 为本级设定或提前一个节点（不能晚于上级日期，否则 400）。"""

    queryset = Milestone.objects.all()
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilterSet
    select_related = ("region",)
    required_permissions = {"list": "campaigns.view_campaign", "create": "campaigns.add_milestone"}

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = call_service(
            services.set_milestone, self.request.user, data["campaign"], kind=data["kind"],
            due_date=data.get("due_date"), days_after_publication=data.get("days_after_publication"),
            label=data.get("label", ""), party=data.get("party", ""), document_number=data.get("document_number", ""),
        )


ROUTES = [
    ("campaigns", CampaignViewSet),
    ("campaign-members", MemberViewSet),
    ("milestones", MilestoneViewSet),
]
