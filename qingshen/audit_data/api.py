"""The audit data tables in the API, with the pages' rules: reading needs
`filings.view_phasefiling`, writing `filings.change_phasefiling`; rows come from
`restrict(user)`; every write goes through the services (Chinese messages, stale versions
refused, an audit event per change). Computed figures are read-only fields.

Edits carry the `version` read (PUT/PATCH in the body, DELETE as `?version=`); without it the
edit is not checked for staleness. A balance comes with its lines nested; writing `lines`
replaces them all at once (checked against the balance's version, which every line change moves).
"""

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from rest_framework import exceptions, serializers, viewsets

from qingshen.audit_data import services
from qingshen.audit_data.models import AuditFocus, Balance, BalanceLine, MaterialUse, PollutantRecord, Target, WaterUse
from qingshen.audit_data.services import FILL, READ, data_fields
from qingshen.core.api import ScopedViewSetMixin
from qingshen.projects.models import AuditProject

PERMISSIONS = {"list": READ, "retrieve": READ, "create": FILL, "update": FILL, "partial_update": FILL,
               "destroy": FILL}
VERSION_HELP = "修改时传入读取到的版本号，防止覆盖他人的修改"


class ProjectField(serializers.PrimaryKeyRelatedField):
    """A project the caller may see (an enterprise: only its own)."""

    def get_queryset(self):
        return AuditProject.objects.restrict(self.context["request"].user)


def percent_field(source, help_text):
    """A computed percentage (two decimals, as a string like the stored quantities)."""
    return serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, help_text=help_text,
                                    **({"source": source} if source else {}))


def quantity_field(source, help_text):
    return serializers.DecimalField(max_digits=22, decimal_places=4, read_only=True, help_text=help_text,
                                    **({"source": source} if source else {}))


class DataSerializer(serializers.ModelSerializer):
    project = ProjectField(help_text="清洁生产审核项目编号（新增时填写，之后不能更改）")
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)

    class Meta:
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # one row per year is checked by the service, in its words

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list):
            fields["project"].read_only = True
        return fields


def _meta(model, *extra):
    return type("Meta", (DataSerializer.Meta,), {
        "model": model, "fields": ["id", "project", *data_fields(model), *extra, "version", "created_at",
                                   "updated_at"]})


# Choice fields are plain strings (as in the projects API): drf-spectacular warns about enums
# that share a name across apps (every app has a "kind"), and `check --deploy` fails on that.
class MaterialUseSerializer(DataSerializer):
    kind = serializers.CharField(help_text="material = 原辅材料，energy = 能源")
    Meta = _meta(MaterialUse)


class WaterUseSerializer(DataSerializer):
    intake = quantity_field(None, "取水量合计（m³/a）")
    reuse_rate = percent_field(None, "重复利用率（%），重复利用水量与取水量均为零时为 null")
    intake_per_product = quantity_field(None, "单位产品取水量（m³/产品单位），无产量时为 null")
    Meta = _meta(WaterUse, "intake", "reuse_rate", "intake_per_product")


class PollutantRecordSerializer(DataSerializer):
    pollutant = serializers.CharField(help_text="cod、nh3n、tn、tp，或 other（并填写 other_name）")
    pollutant_name = serializers.CharField(read_only=True)
    exceeds_limit = serializers.BooleanField(read_only=True, allow_null=True,
                                             help_text="排放浓度是否超过所填限值；未填限值时为 null")
    Meta = _meta(PollutantRecord, "pollutant_name", "exceeds_limit")


class AuditFocusSerializer(DataSerializer):
    Meta = _meta(AuditFocus)


class TargetSerializer(DataSerializer):
    near_term_change = quantity_field("near_term_change.absolute", "近期变化量 = 近期目标值 − 现状值")
    near_term_change_percent = percent_field("near_term_change.percent", "近期变化率（%），现状值为零时为 null")
    long_term_change = quantity_field("long_term_change.absolute", "中远期变化量")
    long_term_change_percent = percent_field("long_term_change.percent", "中远期变化率（%）")
    Meta = _meta(Target, "near_term_change", "near_term_change_percent", "long_term_change",
                 "long_term_change_percent")


class BalanceLineSerializer(serializers.ModelSerializer):
    direction = serializers.CharField(help_text="in = 投入，out = 产出")

    class Meta:
        model = BalanceLine
        fields = ["id", *data_fields(BalanceLine), "version"]
        read_only_fields = ["id", "version"]


class BalanceSerializer(DataSerializer):
    kind = serializers.CharField(help_text="material = 物料平衡，water = 水平衡")
    lines = BalanceLineSerializer(many=True, required=False,
                                  help_text="投入和产出项目；修改时传入则整体替换")
    # The computed figures: `computed` is the balance's result, worked out once per balance from
    # its loaded lines (see to_representation).
    unit = serializers.CharField(source="computed.unit", read_only=True, help_text="合计的计量单位（各项单位一致时）")
    total_in = quantity_field("computed.total_in", "投入合计")
    total_out = quantity_field("computed.total_out", "产出合计")
    deviation = percent_field("computed.deviation", "偏差（%）=（投入 − 产出）÷ 投入 × 100；无法计算时为 null")
    deviation_limit = percent_field("computed.limit", "判定值（%），审核实践中通常采用的数值，非法规限值")
    within_limit = serializers.BooleanField(source="computed.within_limit", read_only=True, allow_null=True,
                                            help_text="|偏差| 是否不超过判定值；无法计算时为 null")
    reason = serializers.CharField(source="computed.reason", read_only=True, help_text="无法计算偏差的原因")
    Meta = _meta(Balance, "lines", "unit", "total_in", "total_out", "deviation", "deviation_limit",
                 "within_limit", "reason")

    def to_representation(self, instance):
        instance.computed = instance.result(list(instance.lines.all()))
        return super().to_representation(instance)


class DataFilterSet(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id", label="清洁生产审核项目编号")


def _filterset(model, *names):
    extra = {name: django_filters.CharFilter(field_name=name) if name == "kind"
             else django_filters.NumberFilter(field_name=name) for name in names}
    meta = type("Meta", (), {"model": model, "fields": []})
    return type(f"{model.__name__}FilterSet", (DataFilterSet,), {**extra, "Meta": meta})


def _call(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except services.StaleEditError as exc:
        raise exceptions.ValidationError({"version": exc.messages}) from exc
    except ValidationError as exc:
        raise exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict")
                                         else {"non_field_errors": exc.messages}) from exc
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from exc


class DataViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    required_permissions = PERMISSIONS
    select_related = ("project",)

    def values(self, serializer):
        return {k: v for k, v in serializer.validated_data.items() if k in data_fields(self.queryset.model)}

    def perform_create(self, serializer):
        serializer.instance = _call(services.add_row, self.request.user, serializer.validated_data["project"],
                                    self.queryset.model, **self.values(serializer))

    def perform_update(self, serializer):
        serializer.instance = _call(services.update_row, self.request.user, serializer.instance,
                                    expected_version=serializer.validated_data.get("version"),
                                    **self.values(serializer))

    def perform_destroy(self, instance):
        version = self.request.query_params.get("version")
        if version is not None and not version.isdigit():
            raise exceptions.ValidationError({"version": ["版本号应为整数。"]})
        _call(services.delete_row, self.request.user, instance,
              expected_version=int(version) if version else None)


class MaterialUseViewSet(DataViewSet):
    """原辅材料和能源消耗。"""

    queryset = MaterialUse.objects.all()
    serializer_class = MaterialUseSerializer
    filterset_class = _filterset(MaterialUse, "year", "kind")


class WaterUseViewSet(DataViewSet):
    """取水、重复利用和排水（每年一行，m³/a），含重复利用率和单位产品取水量。"""

    queryset = WaterUse.objects.all()
    serializer_class = WaterUseSerializer
    filterset_class = _filterset(WaterUse, "year")


class PollutantRecordViewSet(DataViewSet):
    """废水污染物：排放浓度（mg/L）和年排放量（t/a）。"""

    queryset = PollutantRecord.objects.all()
    serializer_class = PollutantRecordSerializer
    filterset_class = _filterset(PollutantRecord, "year")


class AuditFocusViewSet(DataViewSet):
    """审核重点。"""

    queryset = AuditFocus.objects.all()
    serializer_class = AuditFocusSerializer
    filterset_class = _filterset(AuditFocus)


class TargetViewSet(DataViewSet):
    """清洁生产目标，含变化量和变化率。"""

    queryset = Target.objects.all()
    serializer_class = TargetSerializer
    filterset_class = _filterset(Target)


class BalanceViewSet(DataViewSet):
    """物料平衡和水平衡，含投入产出项目（lines）、合计和偏差。"""

    queryset = Balance.objects.all()
    serializer_class = BalanceSerializer
    filterset_class = _filterset(Balance, "kind")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("lines")

    def lines(self, serializer):
        lines = serializer.validated_data.get("lines")
        if lines is None:
            return None
        return [{k: v for k, v in line.items() if k in data_fields(BalanceLine)} for line in lines]

    def perform_create(self, serializer):
        serializer.instance = _call(services.create_balance, self.request.user,
                                    serializer.validated_data["project"], lines=self.lines(serializer),
                                    **self.values(serializer))

    def perform_update(self, serializer):
        version = serializer.validated_data.get("version")
        balance = serializer.instance
        data, lines = self.values(serializer), self.lines(serializer)
        with transaction.atomic():  # the balance's fields and its lines, both or neither
            if data:
                balance = _call(services.update_row, self.request.user, balance, expected_version=version, **data)
                version = balance.version if version is not None else None
            if lines is not None:
                balance = _call(services.replace_lines, self.request.user, balance, lines,
                                expected_version=version)
        serializer.instance = Balance.objects.prefetch_related("lines").get(pk=balance.pk)


ROUTES = [
    ("audit-data/material-uses", MaterialUseViewSet),
    ("audit-data/water-uses", WaterUseViewSet),
    ("audit-data/pollutant-records", PollutantRecordViewSet),
    ("audit-data/audit-focuses", AuditFocusViewSet),
    ("audit-data/targets", TargetViewSet),
    ("audit-data/balances", BalanceViewSet),
]
