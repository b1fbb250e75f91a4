from django import forms

from qingshen.core.forms import StyledFormMixin
from qingshen.organizations.models import Organization
from qingshen.regions.models import Region


class OrganizationForm(StyledFormMixin, forms.ModelForm):
    kind = forms.ChoiceField(
        label="单位类型",
        choices=[(Organization.Kind.CONSULTANCY, "咨询服务机构"),
                 (Organization.Kind.EXPERT_INSTITUTION, "专家所在单位")],
    )

    class Meta:
        model = Organization
        fields = ["kind", "name", "region", "uscc", "contact_person", "contact_phone", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("code")
        if self.instance.pk:
            del self.fields["kind"]


