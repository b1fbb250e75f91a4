"""What the permit pages share: the campaign chooser and turning a service's refusal into text."""

from django.core.exceptions import ValidationError

from qingshen.campaigns.models import Campaign


def choose_campaign(request):
    """(campaigns the user may see, the one chosen by ?campaign=, newest first by default)."""
    campaigns = list(Campaign.objects.restrict(request.user).order_by("-year", "-created_at"))
    wanted = request.GET.get("campaign") or request.POST.get("campaign")
    chosen = next((c for c in campaigns if str(c.pk) == wanted), campaigns[0] if campaigns else None)
    return campaigns, chosen


def add_errors(form, exc):
    """A service's ValidationError / PermissionDenied on the form: by field where it named one."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(exc, ValidationError):
        for message in exc.messages:
            form.add_error(None, message)
    else:
        form.add_error(None, str(exc) or "您无权执行该操作。")
