"""待办: the reviews waiting for a user, with the days they have waited and the campaign's
deadline for the stage (the earliest any level set for the enterprise's place)."""

from django.db.models import Q
from django.utils import timezone

from qingshen.campaigns import calendar
from qingshen.campaigns.models import Milestone, MilestoneKind
from qingshen.core.roles import Role
from qingshen.reviews.models import Assignment, Review, acting_level

DONE = {"evaluation": MilestoneKind.EVALUATION_DONE, "acceptance": MilestoneKind.ACCEPTANCE_DONE}
FULL_REVIEW = (Review.Status.EXPERT_DRAW, Review.Status.SITE_REVIEW, Review.Status.DECIDING)


def waiting_condition(user) -> Q | None:
    """The reviews whose current step is this user's to take."""
    if user.role == Role.EXPERT:
        return Q(status=Review.Status.DOCUMENT_REVIEW, pk__in=Assignment.objects.filter(
            expert__user=user, status=Assignment.Status.ACTIVE).values("review_id"))
    level = acting_level(user)
    if not level:
        return None
    intake = {"county": Review.Status.COUNTY_INTAKE, "city": Review.Status.CITY_INTAKE,
              "province": Review.Status.PROVINCE_INTAKE}[level]
    condition = Q(status=intake)
    if level in ("city", "province"):
        condition |= Q(status__in=FULL_REVIEW, handling_level=level)
    return condition


def waiting(user):
    condition = waiting_condition(user)
    queryset = Review.objects.restrict(user)
    if condition is None:
        return queryset.none()
    return (queryset.filter(condition)
            .select_related("project__enterprise__region", "project__campaign", "application")
            .order_by("arrived_at", "pk"))


def annotate(reviews) -> list[tuple]:
    """[(review, days waited, deadline)] with the campaigns' milestones fetched once."""
    reviews = list(reviews)
    campaigns = {review.project.campaign_id for review in reviews}
    milestones = list(Milestone.objects.filter(campaign_id__in=campaigns).select_related("region"))
    today = timezone.localdate()
    rows = []
    for review in reviews:
        mine = [m for m in milestones if m.campaign_id == review.project.campaign_id]
        due = next((d.date for d in calendar.deadlines(review.project.campaign, review.project.enterprise.region,
                                                       milestones=mine) if d.kind == DONE[review.stage]), None)
        rows.append((review, (today - timezone.localtime(review.arrived_at).date()).days, due))
    return rows
