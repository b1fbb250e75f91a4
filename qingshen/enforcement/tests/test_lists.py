"""Each category's rule, on hand-built data, at its boundaries."""

from qingshen.core.roles import Role
from qingshen.enforcement import lists
from qingshen.enforcement.models import ALL, FAILED, OVERDUE, REFUSED, SUSPENDED
from qingshen.enforcement.tests.helpers import (
    calendar,
    days,
    decided,
    dispatched_letter,
    set_status,
)
from qingshen.project_start.models import Disclosure


def names(found):
    return {line.enterprise.name: line.categories for line in found}


def test_nothing_listed_while_no_date_has_passed(world):
    calendar(world)
    assert lists.lines(world.user(Role.PROVINCE), world.campaign) == []


def test_refused_after_the_disclosure_date_not_on_it(world):
    calendar(world, disclosure=0)
    dispatched_letter(world, world.e_lianchi)
    province = world.user(Role.PROVINCE)
    assert lists.refused(province, world.campaign) == []  # the due date itself: still in time
    calendar(world, disclosure=-1)
    found = lists.refused(province, world.campaign)
    assert [line.enterprise for line in found] == [world.e_lianchi]
    assert found[0].act_by == days(-1) and found[0].dispatched_at is not None and found[0].project is None
    assert found[0].as_dict()["accepted"] is False


def test_not_refused_without_a_dispatched_letter_or_once_accepted(world):
    calendar(world, disclosure=-5)
    dispatched_letter(world, world.e_lianchi, dispatched=False)
    province = world.user(Role.PROVINCE)
    refused = {line.enterprise.name for line in lists.refused(province, world.campaign)}
    # 莲池: letter not dispatched; 涿州: dispatched and accepted; 长安/定州: no letter
    assert refused == set()


def test_failed_when_the_latest_decision_is_failed(world):
    calendar(world)
    decided(world.project, "failed")
    found = lists.failed(world.user(Role.COUNTY), world.campaign)
    assert [line.enterprise for line in found] == [world.e_zhuozhou]
    assert found[0].failed_reviews[0].text.startswith("评估不通过")
    decided(world.project, "passed", number=2)  # a later application of the stage passed
    assert lists.failed(world.user(Role.COUNTY), world.campaign) == []


def test_rectify_counts_only_past_its_deadline_and_unanswered(world):
    calendar(world)
    county = world.user(Role.COUNTY)
    review = decided(world.project, "rectify", rectify_by=days(0))
    assert lists.failed(county, world.campaign) == []  # the deadline day itself
    type(review).objects.filter(pk=review.pk).update(rectify_by=days(-1))
    found = lists.failed(county, world.campaign)
    assert found and "整改期限" in found[0].failed_reviews[0].text
    from qingshen.enforcement.tests.helpers import application

    application(world.project, number=2)  # resubmitted: now under review again
    assert lists.failed(county, world.campaign) == []


def test_rectify_without_a_deadline_and_intake_returns_are_not_failures(world):
    calendar(world)
    decided(world.project, "rectify", rectify_by=None)
    decided(world.project, "returned", stage="acceptance")
    assert lists.failed(world.user(Role.COUNTY), world.campaign) == []


def test_overdue_on_enterprise_steps_with_days_late(world):
    calendar(world, disclosure=0)
    county = world.user(Role.COUNTY)
    assert lists.overdue(county, world.campaign) == []  # due today: not overdue
    calendar(world, disclosure=-3, evaluation_application=-1)
    found = lists.overdue(county, world.campaign)
    assert [line.enterprise for line in found] == [world.e_zhuozhou]
    assert [(s.kind, s.days) for s in found[0].overdue_steps] == [("disclosure", 3), ("evaluation_application", 1)]
    assert found[0].as_dict()["overdue_steps"] == "登录系统填报并公布审核信息（逾期 3 天）；完成方案制定并提出评估申请（逾期 1 天）"
    Disclosure(project=world.project, disclosed_on=days(-4), channel="website").save()
    assert [s.kind for s in lists.overdue(county, world.campaign)[0].overdue_steps] == ["evaluation_application"]


def test_other_parties_lateness_is_not_the_enterprises(world):
    calendar(world, notify=-2, evaluation_done=-2)
    assert lists.overdue(world.user(Role.PROVINCE), world.campaign) == []


def test_suspended_or_closed_unless_acceptance_passed(world):
    calendar(world)
    set_status(world.e_changan, "suspended")
    set_status(world.e_zhuozhou, "closed")
    province = world.user(Role.PROVINCE)
    assert names(lists.suspended(province, world.campaign)) == {"长安测试企业": [SUSPENDED], "涿州测试企业": [SUSPENDED]}
    decided(world.project, "passed", stage="acceptance")
    assert names(lists.suspended(province, world.campaign)) == {"长安测试企业": [SUSPENDED]}


def test_an_enterprise_in_two_categories_is_listed_once(world):
    calendar(world, disclosure=-1)
    dispatched_letter(world, world.e_lianchi)
    set_status(world.e_lianchi, "suspended")
    found = lists.lines(world.user(Role.CITY), world.campaign)
    assert names(found) == {"莲池测试企业": [REFUSED, OVERDUE, SUSPENDED], "涿州测试企业": [OVERDUE]}
    counts = lists.counts(found)
    assert counts == {ALL: 2, REFUSED: 1, FAILED: 0, OVERDUE: 2, SUSPENDED: 1}
    assert found[0].as_dict()["category_labels"] == ["拒不开展（未接受任务）", "逾期未完成", "因停产未开展"] or \
        found[1].as_dict()["category_labels"] == ["拒不开展（未接受任务）", "逾期未完成", "因停产未开展"]


def test_a_county_sees_only_its_county(world):
    calendar(world)
    for enterprise in (world.e_zhuozhou, world.e_lianchi, world.e_changan, world.e_dingzhou):
        set_status(enterprise, "suspended")
    assert set(names(lists.lines(world.user(Role.COUNTY), world.campaign))) == {"涿州测试企业"}
    assert set(names(lists.lines(world.user(Role.CITY), world.campaign))) == {"涿州测试企业", "莲池测试企业"}
    assert len(lists.lines(world.user(Role.PROVINCE), world.campaign)) == 4


def test_an_enterprise_never_notified_is_not_overdue(world):
    calendar(world, disclosure=-3)
    found = names(lists.lines(world.user(Role.PROVINCE), world.campaign))
    assert found == {"涿州测试企业": [OVERDUE]}  # 莲池, 长安, 定州 have no dispatched letter


def test_the_rules_in_sql_agree_with_the_lines_built_in_python(world):
    """`count` and `members_in` (the rules as SQL conditions) say what `lines` (the facts built per
    line) says, for every category — with lines in each category and one in several."""
    from django.utils import timezone

    from qingshen.enterprises.models import Enterprise
    from qingshen.reviews.models import Review

    province = world.user(Role.PROVINCE)
    Enterprise.objects.filter(pk=world.e_changan.pk).update(status="suspended")
    review = Review.objects.filter(project=world.project).first()
    if review is None:
        from qingshen.summaries.tests.helpers import reviewed

        review = reviewed(world.project, "evaluation", Review.Status.FAILED)
    else:
        Review.objects.filter(pk=review.pk).update(status=Review.Status.FAILED, decided_at=timezone.now())
    built = lists.lines(province, world.campaign)
    in_python = lists.counts(built)
    assert lists.count(province, world.campaign) == in_python
    assert in_python[lists.FAILED] >= 1 and in_python[lists.SUSPENDED] >= 1
    for category in ("all", *lists.CATEGORIES):
        expected = [line.member.pk for line in lists.only(built, category)]
        assert list(lists.members_in(province, world.campaign, category)) == expected, category
        paged = lists.Paged(province, world.campaign, category)
        assert len(paged) == len(expected)
        assert [line.member.pk for line in paged[0:len(expected)]] == expected
