"""The expert form, the import upload and the filters' widgets. The form carries the `version`
the user started from; uniqueness, the pool rules and the conflicts' limits are checked by the
services, in their words."""

from django import forms

from qingshen.core.forms import StyledFormMixin
from qingshen.enterprises.models import Enterprise
from qingshen.experts import services
from qingshen.experts.models import Expert, Field
from qingshen.industries.models import Industry
from qingshen.organizations.models import Organization
from qingshen.regions.models import Region

REQUIRED_MESSAGES = {"name": "请填写专家姓名。", "employer": "请填写工作单位。", "pool": "请选择所属专家库。",
                     "home_region": "请选择所在地区。"}


def place_label(region) -> str:
    """桥西区 exists in two cities: a county is shown with its city."""
    if region.level == Region.Level.COUNTY and region.parent is not None:
        return f"{region.parent.name} {region.name}"
    return region.name


class ExpertForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Named apart from the model's `fields`: a form's own `fields` is its dict of fields.
    specialties = forms.MultipleChoiceField(label="专业领域", choices=Field.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    industries = forms.ModelMultipleChoiceField(
        label="熟悉行业（大类）", required=False,
        queryset=Industry.objects.filter(level=Industry.Level.DIVISION).order_by("code"),
        help_text="GB/T 4754-2017 大类，可多选，输入代码或名称查找")
    conflict_consultancies = forms.ModelMultipleChoiceField(
        label="曾服务的咨询机构", required=False, queryset=Organization.objects.none(),
        help_text="回避：专家受雇于或曾为其工作的咨询服务机构")
    conflict_enterprises = forms.ModelMultipleChoiceField(
        label="曾服务或指导的企业", required=False, queryset=Enterprise.objects.none(),
        help_text="回避：专家任职、服务或指导过的企业；输入企业名称或统一社会信用代码查找")

    class Meta:
        model = Expert
        fields = ["name", "employer", "title", "pool", "home_region", "industries", "phone", "email",
                  "conflict_consultancies", "conflict_enterprises", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        pool = self.fields["pool"]
        pool.queryset = services.pools_for(user)
        pool.label_from_instance = services.pool_label
        if not instance.pk and len(pool.queryset) == 1:
            pool.initial = pool.queryset[0].pk
        home = self.fields["home_region"]
        home.queryset = (Region.objects.filter(level__in=(Region.Level.CITY, Region.Level.COUNTY))
                         .select_related("parent").order_by("code"))
        home.label_from_instance = place_label
        self.fields["industries"].label_from_instance = lambda i: f"{i.code} {i.name}"
        self.fields["industries"].widget.attrs["data-choices"] = "search"
        consultancies = Organization.objects.filter(kind=Organization.Kind.CONSULTANCY)
        enterprises = Enterprise.objects.restrict(user)
        if instance.pk:  # what is already declared stays choosable, whoever added it
            consultancies = consultancies.filter(is_active=True) | consultancies.filter(
                pk__in=instance.conflict_consultancies.values("pk"))
            enterprises = enterprises | Enterprise.objects.filter(pk__in=instance.conflict_enterprises.values("pk"))
        else:
            consultancies = consultancies.filter(is_active=True)
        self.fields["conflict_consultancies"].queryset = consultancies.order_by("name")
        self.fields["conflict_consultancies"].widget.attrs["data-choices"] = "search"
        field = self.fields["conflict_enterprises"]
        field.queryset = enterprises.order_by("name")
        field.widget.attrs["data-enterprise-search"] = "/api/enterprises/"
        # Only the chosen enterprises are rendered; the others are fetched as the user types.
        field.widget.choices = [(e.pk, enterprise_label(e)) for e in field.queryset.filter(pk__in=self._chosen())]
        for name, message in REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message
        if instance.pk and not self.is_bound:
            self.initial["version"] = instance.version
            self.initial["specialties"] = list(instance.fields)

    def _chosen(self) -> list[int]:
        if self.is_bound:
            return [int(v) for v in self.data.getlist(self.add_prefix("conflict_enterprises")) if str(v).isdigit()]
        if self.instance.pk:
            return list(self.instance.conflict_enterprises.values_list("pk", flat=True))
        return []

    def validate_unique(self):
        """Uniqueness in the pool is checked by the service inside its transaction."""

    def validate_constraints(self):
        """So is the (pool, name, employer) constraint: the service words it plainly."""

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in services.EDITABLE if name != "fields"}
        data["fields"] = self.cleaned_data["specialties"]
        return data


def enterprise_label(enterprise) -> str:
    return f"{enterprise.name}（{enterprise.uscc}）" if enterprise.uscc else enterprise.name


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="专家名单文件", help_text="Excel 文件（.xlsx），请使用导入模板，第一行为列名")
