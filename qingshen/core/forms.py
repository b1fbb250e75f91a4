from django import forms


class StyledFormMixin:
    """Gives widgets Tabler's classes, and fields with errors a red border, so templates stay
    plain; an empty choice reads “请选择” (Django 6.1's "- Select an option -" has no Chinese
    translation yet)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _blank_choice_in_chinese(field)
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput,)):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            elif isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                css = ""
            else:
                css = "form-control"
            if css:
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class StyledForm(StyledFormMixin, forms.Form):
    """Base form for filter sets (FilterSet.Meta.form)."""


def _blank_choice_in_chinese(field):
    if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
        field.empty_label = "请选择"
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        choices = list(field.choices)
        if choices and choices[0][0] == "" and not isinstance(choices[0][1], (list, tuple)):
            field.choices = [("", "请选择"), *choices[1:]]
