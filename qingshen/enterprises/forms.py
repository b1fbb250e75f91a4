from django import forms

from qingshen.core.forms import StyledFormMixin
from qingshen.enterprises.models import Enterprise
from qingshen.enterprises.services import FIELDS
from qingshen.industries.models import Industry
from qingshen.regions.models import Region


class SelectedOnlySelect(forms.Select):
    """Renders only the chosen option; the browser fetches the others as the user types
    (tom-select on /api/industries/), so the page does not carry 1,381 classes."""

    def optgroups(self, name, value, attrs=None):
        chosen = {str(v) for v in value if v not in (None, "")}
        groups = []
        for group_name, options, index in super().optgroups(name, value, attrs):
            kept = [o for o in options if str(o["value"]) in chosen or o["value"] == ""]
            if kept:
                groups.append((group_name, kept, index))
        return groups


class IndustryChoiceField(forms.ModelChoiceField):
    widget = SelectedOnlySelect

    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class EnterpriseForm(StyledFormMixin, forms.ModelForm):
    """The registry form; `version` carries the row version the user started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    industry = IndustryChoiceField(
        label="所属行业", queryset=Industry.objects.none(), required=False,
        help_text="GB/T 4754-2017 小类，可输入代码或名称搜索",
    )

    class Meta:
        model = Enterprise
        fields = FIELDS
        widgets = {"address": forms.TextInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.enterprise_locations(user)
        self.fields["region"].label_from_instance = lambda r: f"{r.code} {r.name}"
        industries = Industry.objects.filter(level=Industry.Level.CLASS)
        if self.instance.pk and self.instance.industry_id:
            industries = industries | Industry.objects.filter(pk=self.instance.industry_id)
        self.fields["industry"].queryset = industries.order_by("code")
        self.fields["industry"].widget.attrs["data-industry-search"] = "/api/industries/?level=class"
        self.fields["uscc"].widget.attrs.update({"maxlength": 18, "style": "text-transform: uppercase"})
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_uscc(self):
        value = (self.cleaned_data.get("uscc") or "").strip().upper()
        return value or None

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def validate_unique(self):
        """Uniqueness is checked by the service inside its transaction."""

    def validate_constraints(self):
        """So is the (region, name) constraint: the service words it plainly."""


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="企业名单文件", help_text=".xlsx 或 .csv，第一行为列名，不超过 10 MB")
