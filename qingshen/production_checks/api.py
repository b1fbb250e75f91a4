"""投产/复产核查 in the API, read-only and scoped like the pages: `/api/production-checks/`
(filters: enterprise, kind, conclusion) and `/api/production-checks/<id>/`, each with its values,
the result as computed, the target check and the conclusion. Checks are recorded on the pages
only (for now): the conclusion is an official's act on the record."""

from rest_framework import serializers

from qingshen.core.api import ScopedReadOnlyViewSet
from qingshen.production_checks.models import ProductionCheck
from qingshen.production_checks.presentation import shortfall_lines


class ProductionCheckSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="new 新建项目 / rebuild 改建项目 / expansion 扩建项目 / "
                                                           "resumption 停产企业复产")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    level = serializers.CharField(read_only=True, help_text="I、II、III 或 below（III级以下）；无指标体系时为空")
    conclusion = serializers.CharField(read_only=True, help_text="met 达到 / not_met 未达到；空为尚未作出结论")
    conclusion_text = serializers.CharField(read_only=True)
    shortfalls = serializers.SerializerMethodField(help_text="未达目标的指标及需达到的值")
    values = serializers.SerializerMethodField()

    class Meta:
        model = ProductionCheck
        fields = ["id", "enterprise", "enterprise_name", "kind", "kind_display", "project_name", "campaign", "system",
                  "in_approved_park", "centralized_treatment", "peer_comparison", "enterprise_status", "result",
                  "level", "trial", "target_levels", "target", "target_met", "shortfalls", "recorded_by",
                  "recorded_at", "conclusion", "conclusion_text", "opinion", "concluded_by", "concluded_at",
                  "version", "values"]
        read_only_fields = fields

    def get_shortfalls(self, check) -> list[str]:
        return shortfall_lines(check.target)

    def get_values(self, check) -> list:
        return [{"seq": v.seq, "applicable": v.applicable, "value": None if v.value is None else str(v.value),
                 "met": v.met} for v in check.values.all()]


class ProductionCheckViewSet(ScopedReadOnlyViewSet):
    """投产/复产核查（只读）：按辖区过滤。"""

    queryset = ProductionCheck.objects.all()
    serializer_class = ProductionCheckSerializer
    select_related = ("enterprise",)
    filterset_fields = ["enterprise", "kind", "conclusion"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("values")


ROUTES = [("production-checks", ProductionCheckViewSet)]
