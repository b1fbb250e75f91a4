from django import template

register = template.Library()


@register.inclusion_tag("reviews/_phase_comments.html")
def review_comments(project, step):
    """The problems the latest returned review of the project found in this step (a phase
    code, or application_form / project_start), shown where the enterprise revises it."""
    from qingshen.reviews.models import IntakeCheck, Review

    latest = (Review.objects.filter(project=project, status__in=(Review.Status.RETURNED, Review.Status.RECTIFY))
              .select_related("application").order_by("-application__number").first())
    if latest is None:
        return {"comments": [], "review": None}
    if latest.status == Review.Status.RECTIFY:
        return {"comments": [], "review": latest, "rectify": True}
    comments = list(IntakeCheck.objects.filter(review=latest, step=step, ok=False).order_by("level"))
    return {"comments": comments, "review": latest}
