"""One form per table. Each carries the row's `version` (hidden) so a save from a stale page is
refused by the service; the model's own checks (no negative quantities, a unit when a figure
is given) run here too, so the messages beside the fields are the service's words."""

from decimal import Decimal

from django import forms

from qingshen.audit_data.models import AuditFocus, Balance, BalanceLine, MaterialUse, PollutantRecord, Target, WaterUse
from qingshen.audit_data.services import data_fields
from qingshen.core.forms import StyledFormMixin


class DataForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.DecimalField):
                field.widget.attrs.update({"step": "any", "inputmode": "decimal"})
                value = self.initial.get(name)
                if isinstance(value, Decimal):  # 8000.0000 from the column is shown as 8000
                    self.initial[name] = format(value.normalize(), "f")
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 2
            if isinstance(field, forms.ChoiceField) and field.choices and field.choices[0][0] == "":
                # Django's blank choice ("- Select an option -") has no Chinese translation yet.
                field.choices = [("", "请选择"), *field.choices[1:]]
        if "year" in self.fields:
            self.fields["year"].widget.attrs.update({"min": 1980, "max": 2100, "placeholder": "如 2021"})
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def values(self) -> dict:
        """The cleaned fields the service takes (not the version)."""
        return {name: self.cleaned_data[name] for name in data_fields(self._meta.model)}

    def validate_unique(self):
        """The service checks one-row-per-year inside its transaction, in its words."""


def _meta(model, **extra):
    return type("Meta", (), {"model": model, "fields": data_fields(model), **extra})


class MaterialUseForm(DataForm):
    Meta = _meta(MaterialUse)


class WaterUseForm(DataForm):
    Meta = _meta(WaterUse)


class PollutantRecordForm(DataForm):
    Meta = _meta(PollutantRecord)


class AuditFocusForm(DataForm):
    Meta = _meta(AuditFocus)


class TargetForm(DataForm):
    Meta = _meta(Target, widgets={"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  "long_term_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")})


class BalanceForm(DataForm):
    """On a kind's page (物料平衡 / 水平衡) the kind is fixed; editing may correct it."""

    Meta = _meta(Balance)

    def __init__(self, *args, fixed_kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_kind:
            self.fields["kind"].widget = forms.HiddenInput()
            self.initial["kind"] = fixed_kind


class BalanceLineForm(DataForm):
    Meta = _meta(BalanceLine)
