"""The review pages with the test client: the worklist, each step's form (and its refusals,
with what was typed kept), the opinion download, version comparison, the hand-over lists, the
score sheet, the draw's re-verification (page and command) and query counts."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qingshen.core.roles import Role
from qingshen.options.tests.helpers import project_for
from qingshen.reviews import services, steps
from qingshen.reviews.models import Assignment, Review, ScoreItem
from qingshen.reviews.tests.helpers import made_up_expert, pool, submit


def intake_data(stage="evaluation", version=0, **problems):
    data = {"version": version}
    for code, _ in steps.steps_of(stage):
        data[f"{code}__ok"] = "0" if code in problems else "1"
        data[f"{code}__problem"] = problems.get(code, "")
    return data


@pytest.fixture
def lianchi(world):
    return project_for(world, world.e_lianchi, "202113060600001")


def test_the_county_worklist_and_the_intake_form(world, sign_in):
    review = submit(world, world.project)
    client = sign_in(world.user(Role.COUNTY))
    page = client.get(reverse("reviews:worklist")).content.decode()
    assert f'data-review="{review.pk}"' in page and "0 天" in page
    detail = client.get(review.get_absolute_url())
    assert 'id="intake-form"' in detail.content.decode()
    refused = client.post(reverse("reviews:intake", args=[review.pk]),
                          {**intake_data(version=review.version, preparation=""), "preparation__ok": "0",
                           "conclude": "1", "pre_assessment__problem": "先写下的文字"})
    text = refused.content.decode()
    assert "请写明存在的问题" in text and "先写下的文字" in text
    assert Review.objects.get(pk=review.pk).status == Review.Status.COUNTY_INTAKE
    done = client.post(reverse("reviews:intake", args=[review.pk]),
                       {**intake_data(version=review.version), "conclude": "1"}, follow=True)
    assert "待市级受理审核" in done.content.decode()
    assert f'data-review="{review.pk}"' not in client.get(reverse("reviews:worklist")).content.decode()
    city = sign_in(world.user(Role.CITY)).get(reverse("reviews:worklist")).content.decode()
    assert f'data-review="{review.pk}"' in city


def test_a_level_acting_out_of_turn_is_refused_on_the_page(world, sign_in):
    review = submit(world, world.project)
    client = sign_in(world.user(Role.CITY))
    assert 'id="intake-form"' not in client.get(review.get_absolute_url()).content.decode()
    response = client.post(reverse("reviews:intake", args=[review.pk]),
                           {**intake_data(version=review.version), "conclude": "1"})
    assert "当前由县级生态环境部门受理审核" in response.content.decode()


def at_city_draw(world, lianchi):
    review = submit(world, lianchi)
    for user in (world.other_county_user, world.user(Role.CITY)):
        services.check_steps(user, review, {code: (True, "") for code, _ in steps.steps_of("evaluation")})
        review = services.conclude_intake(user, review)
    return review


def test_too_small_a_pool_is_explained_and_the_attempt_listed(world, sign_in, lianchi):
    review = at_city_draw(world, lianchi)
    made_up_expert("同县测试专家", pool="130600", home="130606")
    client = sign_in(world.user(Role.CITY))
    response = client.post(reverse("reviews:draw", args=[review.pk]),
                           {"size": "3", "leader": "on", "min_industry": "1", "min_cleaner_production": "1", "min_energy": "0", "min_environment": "0", "min_process": "0"})
    page = response.content.decode()
    assert "第 1 次抽取未成功（已记录）" in page and "同县测试专家" in page and "同县回避" in page
    assert 'id="draw-attempts"' in page


def test_an_expert_not_drawn_gets_404(world, sign_in, lianchi):
    review = at_city_draw(world, lianchi)
    experts = pool(4)
    services.draw_experts(world.user(Role.CITY), review, size=3)
    drawn = set(review.assignments.values_list("expert_id", flat=True))
    outsider = next(e for e in experts if e.pk not in drawn)
    insider = next(e for e in experts if e.pk in drawn)
    assert sign_in(outsider.user).get(review.get_absolute_url()).status_code == 404
    assert sign_in(outsider.user).get(reverse("applications:detail", args=[review.application_id])).status_code == 404
    assert sign_in(insider.user).get(review.get_absolute_url()).status_code == 200
    assert sign_in(insider.user).get(reverse("applications:detail", args=[review.application_id])).status_code == 200


def deciding(world, lianchi):
    review = at_city_draw(world, lianchi)
    pool(4)
    services.draw_experts(world.user(Role.CITY), review, size=3)
    review = services.form_group(world.user(Role.CITY), review)
    active = list(review.assignments.filter(status=Assignment.Status.ACTIVE).select_related("expert__user"))
    for assignment in active:
        services.give_opinion(assignment.expert.user, review, opinion="同意")
    leader = next(a for a in active if a.role == Assignment.Role.LEADER)
    services.compile_opinion(leader.expert.user, review, text="专家组意见（测试）")
    services.record_site_visit(world.user(Role.CITY), review, visited_on=timezone.localdate(), place="厂区",
                               present=[a.pk for a in active], checked="核查（测试）")
    return Review.objects.get(pk=review.pk)


def test_a_result_without_an_opinion_is_refused_and_then_given(world, sign_in, lianchi):
    review = deciding(world, lianchi)
    client = sign_in(world.user(Role.CITY))
    url = reverse("reviews:decide", args=[review.pk])
    refused = client.post(url, {"version": review.version, "conclusion": "rectify", "opinion": "",
                                "rectify_by": "2099-01-31"})
    page = refused.content.decode()
    assert "请填写审核意见" in page and 'value="2099-01-31"' in page
    client.post(url, {"version": review.version, "conclusion": "rectify", "opinion": "请完善计量台账。",
                      "rectify_by": (timezone.localdate() + datetime.timedelta(days=15)).isoformat()})
    review = Review.objects.get(pk=review.pk)  # (a protected workflow field: no refresh_from_db)
    assert review.status == Review.Status.RECTIFY
    download = sign_in(world.other_enterprise_user).get(reverse("reviews:opinion_pdf", args=[review.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    # the enterprise revises and resubmits: the new version can be compared with the old
    again = submit(world, lianchi)
    compare = sign_in(world.user(Role.CITY)).get(reverse("reviews:compare", args=[again.pk]))
    assert compare.context["previous"] == review


def test_handover_lists_and_export(world, sign_in, lianchi):
    review = services.decide(world.user(Role.CITY), deciding(world, lianchi), conclusion="failed",
                             opinion="方案未实施（测试）")
    client = sign_in(world.user(Role.CITY))
    page = client.get(reverse("reviews:handover"), {"campaign": world.campaign.pk, "stage": "evaluation",
                                                    "category": "failed"})
    assert "莲池测试企业" in page.content.decode()
    export = client.get(reverse("reviews:handover_export"), {"campaign": world.campaign.pk, "stage": "evaluation",
                                                             "category": "failed"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert [row[1] for row in rows] == ["莲池测试企业"] and rows[0][6] == review.get_status_display()
    permit = sign_in(world.user(Role.PERMIT_AUTHORITY)).get(reverse("reviews:handover"),
                                                            {"campaign": world.campaign.pk, "category": "failed"})
    assert "莲池测试企业" in permit.content.decode()


def test_score_sheet_and_scored_opinions(world, sign_in, lianchi):
    client = sign_in(world.user(Role.PROVINCE))
    url = reverse("reviews:score_sheet", args=[world.campaign.pk])
    client.post(url, {"stage": "evaluation", "title": "审核报告规范性（测试）", "max_score": "40"})
    item = ScoreItem.objects.get()
    review = at_city_draw(world, lianchi)
    pool(4)
    services.draw_experts(world.user(Role.CITY), review, size=3)
    review = services.form_group(world.user(Role.CITY), review)
    expert = review.assignments.filter(status=Assignment.Status.ACTIVE).first().expert
    refused = sign_in(expert.user).post(reverse("reviews:opinion", args=[review.pk]),
                                        {"opinion": "意见", f"score_{item.pk}": "55"})
    assert "40" in refused.content.decode() and "意见" in refused.content.decode()
    sign_in(expert.user).post(reverse("reviews:opinion", args=[review.pk]), {"opinion": "意见", f"score_{item.pk}": "35"})
    assert Assignment.objects.get(review=review, expert=expert).scores == {str(item.pk): 35}
    client = sign_in(world.user(Role.PROVINCE))
    response = client.post(url, {"remove": item.pk}, follow=True)
    assert "已有专家打分，不能删除" in response.content.decode()


def test_draw_verification_page_and_command(world, sign_in, lianchi):
    review = at_city_draw(world, lianchi)
    pool(4)
    attempt = services.draw_experts(world.user(Role.CITY), review, size=3)
    page = sign_in(world.user(Role.CITY)).get(reverse("reviews:draw_verify", args=[attempt.pk])).content.decode()
    assert "复核一致" in page
    out = io.StringIO()
    call_command("verify_draw", str(attempt.pk), stdout=out)
    assert "复核一致" in out.getvalue()
    record = dict(attempt.record, seed="0" * 32)
    type(attempt).objects.filter(pk=attempt.pk).update(record=record)
    with pytest.raises(Exception, match="复核不一致"):
        call_command("verify_draw", str(attempt.pk), stdout=io.StringIO())


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context)


@pytest.mark.parametrize("role, name", [(Role.COUNTY, "reviews:worklist"), (Role.CITY, "reviews:list"),
                                        (Role.CITY, "review-list")])
def test_constant_queries(world, sign_in, role, name):
    client = sign_in(world.user(role))
    url = reverse(name)
    submit(world, world.project)
    client.get(url)
    few = queries(client, url)
    lianchi = project_for(world, world.e_lianchi, "202113060600001")
    submit(world, lianchi)
    submit(world, world.project, "acceptance")
    assert queries(client, url) == few


def test_a_drawn_expert_declines_itself_and_a_stale_act_is_explained(world, sign_in, lianchi):
    review = at_city_draw(world, lianchi)
    pool(4)
    services.draw_experts(world.user(Role.CITY), review, size=3)
    member = review.assignments.filter(role=Assignment.Role.MEMBER).select_related("expert__user").first()
    client = sign_in(member.expert.user)
    assert 'id="self-decline"' in client.get(review.get_absolute_url()).content.decode()
    client.post(reverse("reviews:decline", args=[review.pk]), {"assignment": member.pk, "reason": "需回避（测试）"})
    assert Assignment.objects.get(pk=member.pk).status == Assignment.Status.DECLINED
    # the city's tab still shows the draw form; the group was formed meanwhile from another tab
    city = sign_in(world.user(Role.CITY))
    services.substitute(world.user(Role.CITY), review, Assignment.objects.get(pk=member.pk))
    services.form_group(world.user(Role.CITY), review)
    stale = city.post(reverse("reviews:draw", args=[review.pk]),
                      {"size": "3", "leader": "on", "min_industry": "1", "min_cleaner_production": "1", "min_energy": "0", "min_environment": "0", "min_process": "0"})
    assert "当前环节为“线上文审”，不能抽取专家" in stale.content.decode()


def test_the_review_page_costs_the_same_with_a_larger_group(world, sign_in, lianchi):
    """The page's queries do not grow with the experts, their draws or their opinions."""
    review = at_city_draw(world, lianchi)
    pool(8)
    services.draw_experts(world.user(Role.CITY), review, size=3)
    client = sign_in(world.user(Role.CITY))
    client.get(review.get_absolute_url())
    small = queries(client, review.get_absolute_url())
    member = review.assignments.filter(role=Assignment.Role.MEMBER).first()
    services.decline(world.user(Role.CITY), member, reason="出差（测试）")
    services.substitute(world.user(Role.CITY), review, Assignment.objects.get(pk=member.pk))
    assert queries(client, review.get_absolute_url()) == small
