"""Forms of the option ledger and the feasibility page. Each carries the `version` the user
started from, so the service can refuse a save over someone else's; uniqueness and the
feasibility inputs' consistency are checked by the services, in their words."""

from django import forms

from qingshen.core.forms import StyledFormMixin
from qingshen.options.models import Feasibility, Option
from qingshen.options.services import FEASIBILITY_FIELDS, FIELDS

DECIMAL_INPUT = {"inputmode": "decimal", "step": "any"}


class OptionForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Option
        fields = FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "other_benefits": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, suggested_code="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        if suggested_code:
            self.fields["code"].widget.attrs["placeholder"] = suggested_code
            self.fields["code"].help_text = f"不填则自动编为 {suggested_code}"
        for name in ("investment", "economic_benefit", "water_saved", "cod_reduced", "nh3n_reduced", "energy_saved"):
            self.fields[name].widget.attrs.update(DECIMAL_INPUT)
        self.fields["investment"].widget.attrs["min"] = "0"
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def validate_unique(self):
        """The code's uniqueness is checked by the service inside its transaction."""

    def validate_constraints(self):
        """(the same rule, as a constraint)"""


class FeasibilityForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Feasibility
        fields = FEASIBILITY_FIELDS
        widgets = {
            "technical_assessment": forms.Textarea(attrs={"rows": 4}),
            "environmental_assessment": forms.Textarea(attrs={"rows": 4}),
            "conclusion": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("investment", "annual_savings", "tax_rate", "discount_rate", "benchmark_irr"):
            self.fields[name].widget.attrs.update(DECIMAL_INPUT)
        if not self.is_bound:
            # 0 tells the service the page showed no analysis (one created meanwhile is refused).
            self.initial["version"] = self.instance.version if self.instance.pk else 0
