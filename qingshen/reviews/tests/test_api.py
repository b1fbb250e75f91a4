"""The reviews API: acts through the same services (who may act when), the opinion PDF, version
comparison, the hand-over list and the score sheet."""

from django.urls import reverse

from qingshen.core.roles import Role
from qingshen.options.tests.helpers import project_for
from qingshen.reviews import steps
from qingshen.reviews.models import Review, ScoreItem
from qingshen.reviews.tests.helpers import pool, submit


def all_ok(stage="evaluation"):
    return {code: {"ok": True} for code, _ in steps.steps_of(stage)}


def test_intake_draw_and_group_through_the_api(world, sign_in):
    lianchi = project_for(world, world.e_lianchi, "202113060600001")
    review = submit(world, lianchi)
    city = sign_in(world.user(Role.CITY))
    early = city.post(reverse("review-check", args=[review.pk]), {"checks": all_ok()}, content_type="application/json")
    assert early.status_code == 403 and "县级" in str(early.json())
    county = sign_in(world.other_county_user)
    county.post(reverse("review-check", args=[review.pk]), {"checks": all_ok()}, content_type="application/json")
    assert county.post(reverse("review-conclude", args=[review.pk]), {}, content_type="application/json").json()[
        "status"] == Review.Status.CITY_INTAKE
    city = sign_in(world.user(Role.CITY))
    city.post(reverse("review-check", args=[review.pk]), {"checks": all_ok()}, content_type="application/json")
    city.post(reverse("review-conclude", args=[review.pk]), {}, content_type="application/json")
    small = city.post(reverse("review-draw", args=[review.pk]), {"size": 3}, content_type="application/json")
    assert small.status_code == 400 and "可抽取专家不足" in str(small.json())
    pool(4)
    drawn = city.post(reverse("review-draw", args=[review.pk]), {"size": 3}, content_type="application/json").json()
    assert len(drawn["assignments"]) == 3
    verified = city.get(reverse("review-verify", args=[review.pk])).json()
    assert [(row["draw"], row["same"]) for row in verified] == [(2, True)]  # the failed first attempt is not re-run
    assert city.post(reverse("review-form-group", args=[review.pk]), {}, content_type="application/json").json()[
        "status"] == Review.Status.DOCUMENT_REVIEW
    assert city.get(reverse("review-opinion-pdf", args=[review.pk])).status_code == 404


def test_compare_and_handover(world, sign_in):
    lianchi = project_for(world, world.e_lianchi, "202113060600001")
    first = submit(world, lianchi)
    county = sign_in(world.other_county_user)
    checks = all_ok()
    checks["preparation"] = {"ok": False, "problem": "缺少培训照片（测试）"}
    county.post(reverse("review-check", args=[first.pk]), {"checks": checks}, content_type="application/json")
    county.post(reverse("review-conclude", args=[first.pk]), {}, content_type="application/json")
    second = submit(world, lianchi)
    compared = sign_in(world.user(Role.CITY)).get(reverse("review-compare", args=[second.pk])).json()
    assert compared["previous"] == first.pk
    listed = sign_in(world.user(Role.PERMIT_AUTHORITY)).get(
        reverse("review-handover"), {"campaign": world.campaign.pk, "stage": "evaluation", "category": "overdue"}).json()
    assert "莲池测试企业" in {row["enterprise"] for row in listed}
    assert sign_in(world.user(Role.CITY)).get(reverse("review-handover")).status_code == 404


def test_score_sheet_through_the_api(world, sign_in):
    province = sign_in(world.user(Role.PROVINCE))
    made = province.post(reverse("scoreitem-list"), {"campaign": world.campaign.pk, "stage": "evaluation",
                                                     "title": "方案可行性（测试）", "max_score": 30},
                         content_type="application/json")
    assert made.status_code == 201 and made.json()["order"] == 1
    refused = sign_in(world.user(Role.CITY)).post(reverse("scoreitem-list"), {
        "campaign": world.campaign.pk, "stage": "evaluation", "title": "x", "max_score": 5},
        content_type="application/json")
    assert refused.status_code == 403
    item = ScoreItem.objects.get()
    assert sign_in(world.user(Role.PROVINCE)).delete(reverse("scoreitem-detail", args=[item.pk])).status_code == 204
    assert not ScoreItem.objects.exists()
