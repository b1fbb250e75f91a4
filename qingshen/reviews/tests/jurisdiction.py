"""The reviews app's rows of the jurisdiction harness (tests/test_jurisdiction.py).

Inside: the review of 涿州测试企业's evaluation application (world.project; rows made directly);
for the expert role, the expert of the world is drawn for it. Outside: the same for a project
in 莲池区 (another county of 保定) or 长安区 (another city); for the expert, a review it is not
drawn for.
"""

from django.utils import timezone

from qingshen.applications.models import Application
from qingshen.campaigns.tests.jurisdiction import campaign
from qingshen.core.roles import Role
from qingshen.projects.tests.jurisdiction import other_project
from qingshen.regions.models import Region
from qingshen.reviews import draw as drawing
from qingshen.reviews.models import Assignment, ExpertDraw, Review
from tests.jurisdiction_support import OFFICIALS, Case

READERS = OFFICIALS | {Role.ENTERPRISE, Role.CONSULTANCY, Role.EXPERT}
HANDOVER = OFFICIALS | {Role.PERMIT_AUTHORITY}


def _review_of(project):
    application, _ = Application.objects.get_or_create(project=project, stage="evaluation", number=1, defaults=dict(
        status="submitted", submitted_at=timezone.now()))
    review = Review.objects.filter(application=application).first()
    if review is None:
        review = Review.objects.create(application=application, project=project, stage="evaluation",
                                       handling_level="province", arrived_at=timezone.now())
    return review


def _drawn(world, review, assign=True):
    """A draw of the review (a real, verifiable record of one candidate: the world's expert),
    which puts that expert on the group unless `assign` is false."""
    from qingshen.experts.models import Expert

    expert, _ = Expert.objects.get_or_create(user=world.user(Role.EXPERT), defaults=dict(
        name="李测试", employer="测试专家单位", pool=Region.objects.get(code="130000"),
        home_region=Region.objects.get(code="130102"), fields=["cleaner_production"]))
    draw = review.draws.first()
    if draw is None:
        candidate = drawing.Candidate(id=expert.pk, name=expert.name, employer=expert.employer, home_county="130102",
                                      home_city="130100", fields=("cleaner_production",), divisions=(),
                                      conflict_consultancy_ids=(), conflict_enterprise_ids=(), reviewed=())
        subject = drawing.Subject(enterprise_id=review.project.enterprise_id, enterprise_name="涿州测试企业",
                                  county_code="130681", division="33", consultancy_ids=(), consultancy_names=(),
                                  stage="evaluation", previous_stage=None)
        outcome = drawing.draw([candidate], subject, drawing.Rules(size=1, min_industry=0), "harness-seed")
        draw = ExpertDraw.objects.create(review=review, number=1, record=outcome.as_record(), succeeded=True,
                                         drawn_by=world.user(Role.PROVINCE))
        if assign:
            Assignment.objects.create(review=review, expert=expert, draw=draw, role=Assignment.Role.LEADER)
    return draw


def review(inside: bool):
    def pick(world, role):
        if inside:
            chosen = _review_of(world.project)
            if role == Role.EXPERT:
                _drawn(world, chosen)
            return chosen
        if role == Role.CITY:
            return _review_of(other_project(world, world.e_changan, "202113010200001"))
        if role in (Role.COUNTY, Role.ENTERPRISE, Role.CONSULTANCY, Role.EXPERT):
            return _review_of(other_project(world, world.e_lianchi, "202113060600001"))
        return None

    return pick


def photo(inside: bool):
    """A site review's photo on the review inside / outside."""
    choose = review(inside)

    def pick(world, role):
        from qingshen.files.services import store
        from qingshen.files.tests import samples
        from qingshen.reviews.models import SitePhoto, SiteVisit

        chosen = choose(world, role)
        if chosen is None:
            return None
        visit, _ = SiteVisit.objects.get_or_create(review=chosen, defaults=dict(
            visited_on=timezone.localdate(), place="厂区（测试）", checked="核查（测试）", recorded_by=world.user(Role.CITY)))
        stored = store(None, "现场（测试）.jpg", samples.jpeg_bytes(), allowed=("jpeg",))
        return SitePhoto.objects.create(site_visit=visit, stored=stored, uploaded_by=world.user(Role.CITY))

    return pick


def score_item(inside: bool):
    """An item of the campaign's score sheet (inside); another campaign's is outside for no one
    who may delete (only the province, which sees every campaign)."""
    def pick(world, role):
        from qingshen.reviews.models import ScoreItem

        if not inside:
            return None
        return ScoreItem.objects.create(campaign=world.campaign, stage="evaluation", title="评分项（测试）", max_score=10)

    return pick


def draw(inside: bool):
    choose = review(inside)

    def pick(world, role):
        chosen = choose(world, role)
        return None if chosen is None else _drawn(world, chosen, assign=inside)

    return pick


ACTS = ("reviews:intake", "reviews:draw", "reviews:decline", "reviews:substitute", "reviews:form_group",
        "reviews:opinion", "reviews:compile", "reviews:site_visit", "reviews:decide")

PAGES = {
    "reviews:worklist": Case(READERS),
    "reviews:list": Case(READERS),
    "reviews:handover": Case(HANDOVER),
    "reviews:handover_export": Case(HANDOVER),
    "reviews:detail": Case(READERS, pick=review),
    "reviews:opinion_pdf": Case(READERS, pick=review, check_success=False),  # 404 until an opinion exists
    "reviews:draw_verify": Case(READERS, pick=draw),
    "reviews:compare": Case(READERS, pick=review),
    "reviews:site_photo": Case(READERS, pick=photo),
    "reviews:score_sheet": Case(frozenset({Role.PROVINCE}), pick=campaign),
    **{name: Case(READERS, method="post", pick=review, check_success=False) for name in ACTS},
}

API = {
    "review-list": Case(READERS, pick=review),
    "review-detail": Case(READERS, pick=review),
    "review-verify": Case(READERS, pick=review),
    "review-compare": Case(READERS, pick=review),
    "review-opinion-pdf": Case(READERS, pick=review, check_success=False),  # 404 until an opinion exists
    "review-handover": Case(HANDOVER, check_success=False),  # needs ?campaign= (tested in test_api.py)
    "scoreitem-list": Case(READERS),
    "scoreitem-detail": Case(frozenset({Role.PROVINCE}), method="delete", pick=score_item, check_success=False),
    **{f"review-{name}": Case(READERS, method="post", pick=review, check_success=False) for name in (
        "check", "conclude", "draw", "decline", "substitute", "form-group", "opinion", "compile", "site-visit",
        "decide")},
}
