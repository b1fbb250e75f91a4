"""The review's opinion document (技术审查意见 / 验收意见) from the review as decided: what
`opinion.render` needs, gathered in a constant number of queries."""

from django.utils import timezone

from qingshen.reviews import opinion
from qingshen.reviews.models import Assignment


def content_of(review) -> opinion.OpinionContent:
    project = review.project
    enterprise = project.enterprise
    handling_province = review.handling_level == "province"
    organiser = _organiser(review)
    experts = [(a.expert.name, a.expert.title, a.expert.employer, a.get_role_display())
               for a in review.assignments.filter(status=Assignment.Status.ACTIVE).select_related("expert")]
    visit = getattr(review, "site_visit", None)
    benchmark_note = ""
    if review.stage == "acceptance" and not review.confirmed_level:
        benchmark_note = "实施后对标结果尚未经审核确认。"
    return opinion.OpinionContent(
        kind=review.stage, number=review.opinion_number, organiser=organiser,
        organiser_level="省级" if handling_province else "市级", enterprise_name=enterprise.name,
        project_number=project.number, campaign_name=project.campaign.name,
        industry=str(enterprise.industry) if enterprise.industry_id else "",
        experts=experts,
        document_review_on=timezone.localtime(review.group_opinion_at).date() if review.group_opinion_at else None,
        site_review_on=visit.visited_on if visit else None, site_review_place=visit.place if visit else "",
        decided_on=timezone.localtime(review.decided_at).date(), conclusion=review.conclusion,
        opinion="\n".join(part for part in (review.group_opinion, review.result_opinion) if part),
        rectification=[(item.text, item.deadline) for item in review.rectification.all()],
        rectify_by=review.rectify_by, acceptance_deadline=review.acceptance_deadline,
        confirmed_level=review.confirmed_level, benchmark_note=benchmark_note,
        issued_on=timezone.localtime(review.decided_at).date())


def _organiser(review) -> str:
    """The handling department's name: the province's, or the enterprise's city's."""
    from qingshen.organizations.models import Organization

    region = review.project.enterprise.region
    code = region.province_code if review.handling_level == "province" else region.city_code
    department = Organization.objects.filter(region_id=code, kind__in=Organization.DEPARTMENT_KINDS).first()
    return department.name if department else ""


def render(review) -> bytes:
    return opinion.render(content_of(review))
