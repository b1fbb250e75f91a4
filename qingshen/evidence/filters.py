import django_filters

from qingshen.evidence.models import Evidence


class EvidenceFilterSet(django_filters.FilterSet):
    """API filters. `current` defaults to true (the viewset applies it when absent): a list
    shows the files in force; `current=false` adds replaced and withdrawn versions."""

    project = django_filters.NumberFilter(field_name="project_id", label="清洁生产审核项目编号")
    owner_type = django_filters.CharFilter(method="filter_owner_type", label="所属对象类型，如 projects.auditproject")
    owner_id = django_filters.NumberFilter(field_name="owner_id", label="所属对象编号")
    slot = django_filters.CharFilter(field_name="slot", label="材料类别")
    series = django_filters.UUIDFilter(field_name="series", label="文件系列")
    current = django_filters.BooleanFilter(method="filter_current", label="只列出当前版本（默认是）")

    class Meta:
        model = Evidence
        fields = []

    def filter_owner_type(self, queryset, name, value):
        app_label, _, model = value.strip().lower().partition(".")
        return queryset.filter(owner_type__app_label=app_label, owner_type__model=model)

    def filter_current(self, queryset, name, value):
        return queryset.current() if value else queryset
