"""The wizard's forms. Nothing is required to save (a draft may be half-filled); the fields
that 提交 needs carry `required_for_submit`, shown with the red asterisk as on the seed's
screen (for a disclosure or contract, the service requires them at once). The service checks
values (negative numbers, dates after today, an industry that is not a class) and its messages
land beside the fields."""

from django import forms

from qingshen.core.forms import StyledFormMixin
from qingshen.core.roles import Role
from qingshen.enterprises.forms import IndustryChoiceField
from qingshen.industries.models import Industry
from qingshen.organizations.models import Organization
from qingshen.project_start import services
from qingshen.project_start.models import AuditContract, Disclosure, Product, ProjectStart

def consultancies():
    """Every consultancy in the register: an enterprise chooses among all of them."""
    return Organization.objects.filter(kind=Organization.Kind.CONSULTANCY, is_active=True).order_by("name")


class ConsultancyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.account_code}）"


class VersionedForm(StyledFormMixin, forms.ModelForm):
    """A form whose `version` carries the row version the user's page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def validate_unique(self):
        """Nothing unique is typed here (the service saves)."""


class BasicForm(VersionedForm):
    """步骤 1 基本信息. For a consultancy, 审核方式 and 咨询服务机构 are shown but not editable."""

    industry = IndustryChoiceField(label="所属行业", queryset=Industry.objects.none(), required=False,
                                   help_text="GB/T 4754-2017 小类，可输入代码或名称搜索")
    audit_mode = forms.ChoiceField(label="审核方式", choices=ProjectStart.AuditMode.choices, required=False,
                                   widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    consultancy = ConsultancyChoiceField(label="咨询服务机构", queryset=Organization.objects.none(), required=False,
                                         empty_label="请选择", help_text="审核方式为委托咨询机构时选择")

    class Meta:
        model = ProjectStart
        fields = services.BASIC_FIELDS
        widgets = {"address": forms.TextInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        industries = Industry.objects.filter(level=Industry.Level.CLASS)
        self.fields["industry"].queryset = industries.order_by("code")
        self.fields["industry"].widget.attrs["data-industry-search"] = "/api/industries/?level=class"
        self.fields["consultancy"].queryset = consultancies()
        self.fields["nature"].choices = [("", "请选择"), *ProjectStart._meta.get_field("nature").choices]
        for name in services.BASIC_REQUIRED:
            self.fields[name].required_for_submit = True
        for field in self.fields.values():
            field.required = False
        self.fields["employees"].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        self.fields["working_days"].widget.attrs.update({"min": 0, "max": 366, "inputmode": "numeric"})
        self.delegation_locked = user.role != Role.ENTERPRISE
        if self.delegation_locked:
            for name in services.DELEGATION_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = "由企业本身选择"

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in services.BASIC_FIELDS}
        if self.delegation_locked:
            for name in services.DELEGATION_FIELDS:
                data.pop(name)
        return data


class RowForm(VersionedForm):
    """A row of steps 2–5 (or a disclosure / contract), with its file when adding or replacing."""

    file = forms.FileField(label="文件", required=False, help_text="PDF、图片、Word 或 Excel 文件")

    def __init__(self, *args, start=None, with_file=True, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        if not model.evidence_slots or not with_file:
            del self.fields["file"]  # an edit page manages files in its evidence panel
        else:
            self.fields["file"].label = model.evidence_slots["file"]
        for name, field in self.fields.items():
            field.required = False  # the service says what is missing, in the same words as the API
            if name in model.required_fields:
                field.required_for_submit = True
            if isinstance(field.widget, forms.DateInput):
                field.widget = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
        self.start = start

    @property
    def row_fields(self) -> list[str]:
        return services.ROW_FIELDS[self._meta.model]

    def is_empty(self) -> bool:
        """Nothing typed and no file chosen: 保存 / 下一步 on a step adds no row."""
        if not self.is_bound:
            return True
        if "file" in self.fields and self.files.get(self.add_prefix("file")):
            return False
        return all(not (self.data.get(self.add_prefix(name)) or "").strip() for name in self.row_fields)

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.row_fields}

    def upload(self):
        return self.cleaned_data.get("file") if "file" in self.fields else None


def row_form(model, **meta_extra):
    """The ModelForm class for one kind of row."""
    attrs = {"model": model, "fields": services.ROW_FIELDS[model], **meta_extra}
    form = type(f"{model.__name__}Form", (RowForm,), {"Meta": type("Meta", (), attrs)})
    return form


class ProductForm(RowForm):
    class Meta:
        model = Product
        fields = services.ROW_FIELDS[Product]

    def __init__(self, *args, start=None, **kwargs):
        super().__init__(*args, start=start, **kwargs)
        if start is not None:
            for name, label in services.output_labels(start).items():
                self.fields[name].label = label
        for name in ("design_capacity", "output_1", "output_2", "output_3"):
            self.fields[name].widget.attrs.update({"min": 0, "step": "any", "inputmode": "decimal"})


class DisclosureForm(RowForm):
    class Meta:
        model = Disclosure
        fields = services.ROW_FIELDS[Disclosure]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", "请选择"), *Disclosure.Channel.choices]


class ContractForm(RowForm):
    consultancy = ConsultancyChoiceField(label="咨询服务机构", queryset=Organization.objects.none(), empty_label="请选择")

    class Meta:
        model = AuditContract
        fields = services.ROW_FIELDS[AuditContract]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultancy"].queryset = consultancies()
        self.fields["amount"].widget.attrs.update({"min": 0, "step": "0.01", "inputmode": "decimal"})


FORMS = {
    "products": ProductForm,
    "eia": row_form(services.STEP_ROWS["eia"]),
    "monitoring": row_form(services.STEP_ROWS["monitoring"], widgets={"pollutants": forms.Textarea(attrs={"rows": 2})}),
    "acceptance": row_form(services.STEP_ROWS["acceptance"]),
    "disclosures": DisclosureForm,
    "contracts": ContractForm,
}
