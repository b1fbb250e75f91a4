"""What the pages share: permissions, titles, the scoped queryset with what a row shows."""

from django.urls import reverse_lazy

from qingshen.production_checks.models import ProductionCheck

VIEW = "production_checks.view_productioncheck"
ADD = "production_checks.add_productioncheck"
TITLE = "投产/复产核查"
CRUMBS = [("业务办理", None), (TITLE, reverse_lazy("production_checks:list"))]


def checks_for(user):
    """Every check the user may see, with what a list row or an export line shows (no query per row)."""
    return (ProductionCheck.objects.restrict(user)
            .select_related("enterprise__region", "system", "campaign", "recorded_by", "concluded_by")
            .order_by("-recorded_at", "-pk"))


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def show_error(form, exc):
    """A service's refusal (ValidationError) on the form: by field where it names one of the
    form's fields, else above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
