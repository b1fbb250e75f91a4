"""The review workflow through its services: intake level by level, returns, the draw, the
experts' opinions, the site review, the result — and who may act when."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qingshen.applications import services as applications
from qingshen.applications.tests.helpers import FORM
from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.evidence.models import Evidence
from qingshen.filings.models import PhaseFiling
from qingshen.options.tests.helpers import project_for
from qingshen.reviews import draw as drawing
from qingshen.reviews import services, steps
from qingshen.reviews.models import Assignment, Review
from qingshen.reviews.tests.helpers import made_up_expert, pool, submit

S = Review.Status


def all_ok(stage="evaluation", **problems):
    return {code: (code not in problems, problems.get(code, "")) for code, _ in steps.steps_of(stage)}


def pass_intake(world, review, *levels):
    for role in levels:
        services.check_steps(world.user(role), review, all_ok(review.stage))
        review = services.conclude_intake(world.user(role), review)
    return review


@pytest.fixture
def lianchi(world):
    """莲池测试企业's project: 市直管 (county 130606 of 保定)."""
    return project_for(world, world.e_lianchi, "202113060600001")


def test_submitting_opens_the_review_at_the_county(world):
    review = submit(world, world.project)
    assert (review.status, review.handling_level, review.stage) == (S.COUNTY_INTAKE, "province", "evaluation")
    assert Event.objects.filter(action="review.open", object_id=str(review.pk)).exists()


def test_province_handled_goes_county_city_province(world):
    review = submit(world, world.project)
    review = pass_intake(world, review, Role.COUNTY)
    assert review.status == S.CITY_INTAKE
    review = pass_intake(world, review, Role.CITY)
    assert review.status == S.PROVINCE_INTAKE
    review = pass_intake(world, review, Role.PROVINCE)
    assert review.status == S.EXPERT_DRAW


def test_city_handled_goes_to_the_citys_full_review(world, lianchi):
    review = submit(world, lianchi)
    county = world.other_county_user  # 莲池区's branch
    services.check_steps(county, review, all_ok())
    review = services.conclude_intake(county, review)
    review = pass_intake(world, review, Role.CITY)
    assert review.status == S.EXPERT_DRAW and review.handling_level == "city"


@pytest.mark.parametrize("role", [Role.CITY, Role.PROVINCE])
def test_a_level_cannot_act_out_of_turn(world, role):
    review = submit(world, world.project)
    with pytest.raises(PermissionDenied, match="县级生态环境部门受理审核"):
        services.check_steps(world.user(role), review, all_ok())
    with pytest.raises(PermissionDenied):
        services.conclude_intake(world.user(role), review)


def test_another_county_cannot_see_the_review(world):
    review = submit(world, world.project)
    with pytest.raises(PermissionDenied):
        services.check_steps(world.other_county_user, review, all_ok())


def test_a_problem_needs_words_and_every_step_must_be_checked(world):
    review = submit(world, world.project)
    county = world.user(Role.COUNTY)
    with pytest.raises(ValidationError, match="请写明存在的问题"):
        services.check_steps(county, review, {"preparation": (False, " ")})
    services.check_steps(county, review, {"preparation": (True, "")})
    with pytest.raises(ValidationError, match="个步骤未审核"):
        services.conclude_intake(county, review)


def test_a_return_reopens_the_phases_in_question_and_allows_a_new_version(world):
    review = submit(world, world.project)
    county = world.user(Role.COUNTY)
    services.check_steps(county, review, all_ok(pre_assessment="对标未说明园区情况。"))
    review = services.conclude_intake(county, review)
    assert review.status == S.RETURNED
    statuses = dict(PhaseFiling.objects.filter(project=world.project).values_list("phase", "status"))
    assert statuses["pre_assessment"] == PhaseFiling.Status.IN_PROGRESS
    assert statuses["preparation"] == PhaseFiling.Status.SUBMITTED
    assert Event.objects.filter(action="filing.reopen").count() == 1
    again = submit(world, world.project)
    assert again.application.number == 2 and again.status == S.COUNTY_INTAKE


def test_no_new_version_while_under_review(world):
    submit(world, world.project)
    with pytest.raises(ValidationError, match="正在审核中"):
        applications.save_draft(world.user(Role.ENTERPRISE), world.project, "evaluation", FORM, version=None)


# --- the draw -------------------------------------------------------------------------------


def at_draw(world, lianchi):
    review = submit(world, lianchi)
    services.check_steps(world.other_county_user, review, all_ok())
    services.conclude_intake(world.other_county_user, review)
    return pass_intake(world, Review.objects.get(pk=review.pk), Role.CITY)


def test_pool_too_small_names_who_was_excluded_and_the_attempt_is_kept(world, lianchi):
    review = at_draw(world, lianchi)
    made_up_expert("同县专家", pool="130600", home="130606")
    pool(2)
    attempt = services.draw_experts(world.user(Role.CITY), review, size=5)
    assert not attempt.succeeded
    assert "同县专家" in attempt.message and "同县回避" in attempt.message
    assert review.assignments.count() == 0
    assert Event.objects.filter(action="review.draw_failed").count() == 1


def test_a_successful_draw_forms_the_group_and_cannot_be_repeated(world, lianchi):
    review = at_draw(world, lianchi)
    pool(6)
    attempt = services.draw_experts(world.user(Role.CITY), review, size=5)
    assert attempt.succeeded and review.assignments.count() == 5
    assert review.assignments.filter(role=Assignment.Role.LEADER).count() == 1
    assert drawing.verify(attempt.record).same
    with pytest.raises(ValidationError, match="不能重新抽取"):
        services.draw_experts(world.user(Role.CITY), review, size=5)


def test_only_the_handling_level_draws(world, lianchi):
    review = at_draw(world, lianchi)
    pool(6)
    for role in (Role.PROVINCE, Role.COUNTY):
        with pytest.raises(PermissionDenied):
            services.draw_experts(world.user(role), review)


def test_decline_and_substitute(world, lianchi):
    review = at_draw(world, lianchi)
    pool(7)
    services.draw_experts(world.user(Role.CITY), review, size=5)
    declined = review.assignments.filter(role=Assignment.Role.MEMBER).first()
    with pytest.raises(ValidationError):
        services.decline(world.user(Role.CITY), declined, reason="")
    services.decline(world.user(Role.CITY), declined, reason="出差")
    attempt = services.substitute(world.user(Role.CITY), review, Assignment.objects.get(pk=declined.pk))
    assert attempt.succeeded and attempt.kind == "substitute"
    assert review.assignments.filter(status=Assignment.Status.ACTIVE).count() == 5
    assert drawing.verify(attempt.record).same


def full_group(world, lianchi, size=3):
    review = at_draw(world, lianchi)
    experts = pool(size + 1)
    services.draw_experts(world.user(Role.CITY), review, size=size)
    return services.form_group(world.user(Role.CITY), review), experts


def test_experts_give_opinions_and_the_leader_compiles(world, lianchi):
    review, _ = full_group(world, lianchi)
    assert review.status == S.DOCUMENT_REVIEW
    active = list(review.assignments.filter(status=Assignment.Status.ACTIVE).select_related("expert__user"))
    leader = next(a for a in active if a.role == Assignment.Role.LEADER)
    with pytest.raises(ValidationError, match="还有专家未提交"):
        services.compile_opinion(leader.expert.user, review, text="汇总")
    for assignment in active:
        services.give_opinion(assignment.expert.user, review, opinion=f"{assignment.expert.name}的意见")
    member = next(a for a in active if a.role == Assignment.Role.MEMBER)
    with pytest.raises(PermissionDenied):
        services.compile_opinion(member.expert.user, review, text="组员不能汇总")
    review = services.compile_opinion(leader.expert.user, review, text="专家组认为审核报告基本规范。")
    assert review.status == S.SITE_REVIEW


def test_an_expert_not_drawn_cannot_see_or_act(world, lianchi):
    review, experts = full_group(world, lianchi)
    drawn = set(review.assignments.values_list("expert_id", flat=True))
    outsider = next(e for e in experts if e.pk not in drawn)
    assert not Review.objects.restrict(outsider.user).filter(pk=review.pk).exists()
    with pytest.raises(PermissionDenied):
        services.give_opinion(outsider.user, review, opinion="我没被抽中")


def to_deciding(world, lianchi):
    review, _ = full_group(world, lianchi)
    active = list(review.assignments.filter(status=Assignment.Status.ACTIVE).select_related("expert__user"))
    for assignment in active:
        services.give_opinion(assignment.expert.user, review, opinion="同意")
    leader = next(a for a in active if a.role == Assignment.Role.LEADER)
    services.compile_opinion(leader.expert.user, review, text="专家组意见：基本符合要求。")
    today = timezone.localdate()
    services.record_site_visit(world.user(Role.CITY), review, visited_on=today, place="企业厂区",
                               present=[a.pk for a in active], checked="核查废水回用设施运行记录。",
                               findings="计量台账不全。", rectification=[("完善用水计量台账", today + datetime.timedelta(days=30))])
    return Review.objects.get(pk=review.pk)


def test_a_result_needs_an_opinion_and_rectify_needs_a_date(world, lianchi):
    review = to_deciding(world, lianchi)
    city = world.user(Role.CITY)
    with pytest.raises(ValidationError) as caught:
        services.decide(city, review, conclusion="passed", opinion="")
    assert "请填写审核意见" in str(caught.value)
    with pytest.raises(ValidationError, match="重新提交期限"):
        services.decide(city, review, conclusion="rectify", opinion="请整改")


def test_rectify_returns_to_the_enterprise_with_the_opinion_pdf(world, lianchi):
    review = to_deciding(world, lianchi)
    review = services.decide(world.user(Role.CITY), review, conclusion="rectify", opinion="请按现场意见整改。",
                             rectify_by=timezone.localdate() + datetime.timedelta(days=20))
    assert review.status == S.RECTIFY and review.opinion_file is not None
    assert review.opinion_file.open_content().startswith(b"%PDF")
    assert PhaseFiling.objects.filter(project=lianchi, status=PhaseFiling.Status.IN_PROGRESS).count() == 6
    assert applications.save_draft(world.other_enterprise_user, lianchi, "evaluation", FORM, version=None).number == 2


def test_evaluation_passes_with_an_acceptance_deadline(world, lianchi):
    review = services.decide(world.user(Role.CITY), to_deciding(world, lianchi), conclusion="passed",
                             opinion="同意通过评估。")
    assert review.status == S.PASSED and review.acceptance_deadline is not None
    with pytest.raises(ValidationError, match="已通过审核"):
        applications.save_draft(world.other_enterprise_user, lianchi, "evaluation", FORM, version=None)


def test_acceptance_needs_the_confirmed_level_and_locks_the_evidence(world, lianchi):
    from qingshen.benchmarking import services as benchmarking
    from qingshen.benchmarking.tests.helpers import answers, import_made_up

    review = services.decide(world.user(Role.CITY), to_deciding(world, lianchi), conclusion="passed", opinion="通过")
    acceptance = submit(world, lianchi, "acceptance")
    services.check_steps(world.other_county_user, acceptance, all_ok("acceptance"))
    services.conclude_intake(world.other_county_user, acceptance)
    acceptance = pass_intake(world, Review.objects.get(pk=acceptance.pk), Role.CITY)
    services.draw_experts(world.user(Role.CITY), acceptance, size=3)
    acceptance = services.form_group(world.user(Role.CITY), acceptance)
    active = list(acceptance.assignments.filter(status=Assignment.Status.ACTIVE).select_related("expert__user"))
    for assignment in active:
        services.give_opinion(assignment.expert.user, acceptance, opinion="同意")
    leader = next(a for a in active if a.role == Assignment.Role.LEADER)
    services.compile_opinion(leader.expert.user, acceptance, text="同意验收。")
    services.record_site_visit(world.user(Role.CITY), acceptance, visited_on=timezone.localdate(), place="厂区",
                               present=[a.pk for a in active], checked="核查方案实施情况。")
    acceptance = Review.objects.get(pk=acceptance.pk)
    with pytest.raises(ValidationError, match="审核确认企业实施后的对标结果"):
        services.decide(world.user(Role.CITY), acceptance, conclusion="passed", opinion="通过验收")
    benchmark = benchmarking.save_benchmark(world.other_enterprise_user, lianchi, "after",
                                            system=import_made_up(world), answers=answers(),
                                            in_approved_park=True, centralized_treatment=True)
    benchmarking.confirm_benchmark(world.user(Role.CITY), benchmark)
    acceptance = services.decide(world.user(Role.CITY), acceptance, conclusion="passed", opinion="通过验收")
    assert acceptance.confirmed_level == "II级（国内清洁生产先进水平）"
    assert not Evidence.objects.filter(project=lianchi, locked_at__isnull=True,
                                       superseded_at__isnull=True, withdrawn_at__isnull=True).exists()
    assert review.status == S.PASSED


def test_a_declining_leader_is_replaced_and_the_group_has_a_leader_again(world, lianchi):
    review = at_draw(world, lianchi)
    pool(6)
    services.draw_experts(world.user(Role.CITY), review, size=3)
    leader = review.assignments.get(role=Assignment.Role.LEADER)
    services.decline(leader.expert.user, leader, reason="本人身体原因")  # an expert may decline itself
    services.substitute(world.user(Role.CITY), review, Assignment.objects.get(pk=leader.pk))
    active = review.assignments.filter(status=Assignment.Status.ACTIVE)
    assert active.count() == 3 and active.filter(role=Assignment.Role.LEADER).count() == 1
    with pytest.raises(ValidationError, match="已为该专家补抽过"):
        services.substitute(world.user(Role.CITY), review, Assignment.objects.get(pk=leader.pk))


def test_a_problem_in_project_start_reopens_it_and_is_shown_there(world, sign_in):
    from django.urls import reverse

    from qingshen.project_start.models import ProjectStart

    review = submit(world, world.project)
    services.check_steps(world.user(Role.COUNTY), review, all_ok(project_start="环评批复文号与附件不一致。",
                                                                 application_form="联系电话无法接通。"))
    services.conclude_intake(world.user(Role.COUNTY), review)
    assert ProjectStart.objects.get(project=world.project).is_draft
    assert Event.objects.filter(action="project_start.reopen").count() == 1
    client = sign_in(world.user(Role.ENTERPRISE))
    start_page = client.get(reverse("project_start:detail", args=[world.project.pk]), follow=True)
    assert "环评批复文号与附件不一致" in start_page.content.decode()
    stage_page = client.get(reverse("applications:stage", args=[world.project.pk, "evaluation"]))
    assert "联系电话无法接通" in stage_page.content.decode()


def test_a_city_without_counties_starts_at_the_city(world):
    """定州市 has no counties: its enterprise's application starts at the city's intake."""
    from qingshen.applications.models import Application

    dingzhou = project_for(world, world.e_dingzhou, "202113068200001")
    application = Application.objects.create(project=dingzhou, stage="evaluation", status="submitted",
                                             submitted_at=timezone.now(), submitted_by=world.user(Role.PROVINCE))
    assert services.open_review(application).status == S.CITY_INTAKE


def test_the_specialty_mix_is_part_of_the_rules(world, lianchi):
    review = at_draw(world, lianchi)
    pool(5)  # 清洁生产 only
    refused = services.draw_experts(world.user(Role.CITY), review, size=3, min_energy=1)
    assert not refused.succeeded and "节能" in refused.message
    made_up_expert("节能测试专家", fields=("energy",))
    attempt = services.draw_experts(world.user(Role.CITY), review, size=3, min_energy=1, reason="补充节能专家后重新抽取")
    assert attempt.succeeded and attempt.number == 2
    assert review.assignments.filter(expert__name="节能测试专家").exists()
    assert attempt.record["rules"]["min_fields"] == [["cleaner_production", 1], ["energy", 1]]
