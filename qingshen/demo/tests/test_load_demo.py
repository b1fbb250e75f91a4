"""The demo the README's run command loads."""

import pytest
from django.core.management import call_command

from qingshen.accounts.models import User
from qingshen.audit_trail.verify import verify_chain
from qingshen.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def test_load_demo_loads_the_seed_campaign_and_accounts(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert Enterprise.objects.count() == 77
    assert Enterprise.objects.filter(region_id="130681").count() == 17  # 涿州市
    assert Enterprise.objects.filter(region_id="130672").count() == 8  # 保定白沟新城
    for username in ("admin", "130000", "130600", "130681", "130671", "130672"):
        user = User.objects.get(username=username)
        assert user.must_change_password
        assert username in out
    enterprise_account = User.objects.get(organization__enterprise__name="保定市高新区华星电镀厂")
    assert enterprise_account.username.startswith("QY130671")
    assert "首次登录须修改初始密码" in out
    assert verify_chain().ok


def test_load_demo_twice_changes_nothing_and_keeps_passwords(capsys):
    call_command("load_demo")
    hashes = dict(User.objects.values_list("username", "password"))
    capsys.readouterr()
    call_command("load_demo")
    out = capsys.readouterr().out
    assert Enterprise.objects.count() == 77
    assert dict(User.objects.values_list("username", "password")) == hashes
    assert "沿用已设置的密码" in out


def test_reset_passwords_issues_new_ones(capsys):
    call_command("load_demo")
    before = User.objects.get(username="130681").password
    call_command("load_demo", reset_passwords=True)
    assert User.objects.get(username="130681").password != before


# --- the seed's campaign ------------------------------------------------------------------------


def demo_campaign():
    from qingshen.campaigns.models import Campaign

    return Campaign.objects.get(document_number="〔2021〕—392")


def test_the_demo_campaign_is_the_seeds_in_draft(capsys):
    from qingshen.campaigns.models import CampaignEnterprise, TargetRule
    from qingshen.rosters.models import RosterTask

    call_command("load_demo")
    assert "〔2021〕—392 2021年白洋淀流域第二批涉水企业清洁生产审核（草稿）" in capsys.readouterr().out
    campaign = demo_campaign()
    assert (campaign.batch, campaign.name, campaign.year, campaign.scope, campaign.status) == (
        "第二批", "2021年白洋淀流域第二批涉水企业清洁生产审核", 2021, "白洋淀流域涉水企业", "draft")
    assert campaign.issuing_organization.name == "河北省生态环境厅"
    assert campaign.issue_date is None  # not in the seed
    assert list(campaign.target_rules.all()) == list(TargetRule.objects.all())
    assert campaign.letter_preamble.startswith("根据《白洋淀生态环境综合治理方案（2020—2022年）》")
    assert campaign.letter_preamble.endswith("你公司列入2021年第二批白洋淀流域涉水企业清洁生产审核名单")
    assert (campaign.contact_person, campaign.contact_phone) == ("王贵磊（省生态环境厅科教处）", "0311-87908917")
    for words in ("提高认识，明确责任。", "省生态环境厅适时通过考核、通报、约谈等方式", "丁冬 省生态环境厅环评处 0311-87803635",
                  "sthjdkxc@163.com"):
        assert words in campaign.requirements
    assert RosterTask.objects.get(campaign=campaign, level="province").status == "draft"
    members = CampaignEnterprise.objects.filter(campaign=campaign).select_related("enterprise")
    assert members.count() == 77
    province = members.filter(handling_level="province").order_by("seq")
    assert [m.seq for m in province] == list(range(1, 11))
    assert province[0].enterprise.name == "河北白沙烟草有限责任公司保定卷烟厂"
    assert {tuple(m.reasons) for m in members} == {("key_task",)}
    assert members.get(seq=77).enterprise.name == "高碑店市白沟丽伟拉链厂"


def test_the_demo_calendar_has_the_provinces_and_baodings_dates():
    from datetime import date

    from qingshen.campaigns import calendar
    from qingshen.campaigns.models import Milestone
    from qingshen.regions.models import Region

    call_command("load_demo")
    campaign = demo_campaign()
    province = {m.kind: m for m in Milestone.objects.filter(campaign=campaign, region_id="130000")}
    assert province["notify"].days_after_publication == 10 and province["notify"].due_date is None
    assert {k: m.due_date for k, m in province.items() if k != "notify"} == {
        "disclosure": date(2021, 10, 30), "permit_updated": date(2021, 12, 31), "permit_reported": date(2022, 1, 31),
        "evaluation_application": date(2022, 3, 1), "evaluation_done": date(2022, 3, 31),
        "evaluation_summary": date(2022, 4, 15), "acceptance_application": date(2022, 6, 1),
        "acceptance_done": date(2022, 6, 30), "work_summary": date(2022, 7, 15)}
    assert {m.document_number for m in province.values()} == {"〔2021〕—392"}
    baoding = Milestone.objects.filter(campaign=campaign, region_id="130600")
    assert baoding.count() == 10 and {m.document_number for m in baoding} == {"(2021)—34"}
    # what applies in 涿州市: Baoding's stricter dates, the province's where Baoding set none
    applies = {d.kind: d for d in calendar.deadlines(campaign, Region.objects.get(code="130681"))}
    assert applies["notify"].date == date(2021, 10, 15)
    assert applies["disclosure"].date == date(2021, 10, 30) and applies["disclosure"].region_name == "河北省"
    assert applies["evaluation_application"].date == date(2022, 2, 1)
    assert applies["acceptance_done"].date == date(2022, 5, 31)
    assert applies["extra"].title == "清洁生产审核合同原件报市生态环境局" and applies["extra"].date == date(2021, 10, 28)
    # elsewhere in the basin (石家庄市) the province's dates apply
    elsewhere = {d.kind: d for d in calendar.deadlines(campaign, Region.objects.get(code="130102"))}
    assert elsewhere["evaluation_application"].date == date(2022, 3, 1) and "extra" not in elsewhere


def test_a_second_run_leaves_the_campaign_as_it_is():
    from qingshen.audit_trail.models import Event
    from qingshen.campaigns.models import Campaign, CampaignEnterprise, Milestone

    call_command("load_demo")
    counts = (Campaign.objects.count(), CampaignEnterprise.objects.count(), Milestone.objects.count(),
              Event.objects.filter(action__startswith="campaign.").count())
    rows = sorted(Milestone.objects.values_list("region_id", "kind", "due_date", "days_after_publication"))
    call_command("load_demo")
    assert (Campaign.objects.count(), CampaignEnterprise.objects.count(), Milestone.objects.count(),
            Event.objects.filter(action__startswith="campaign.").count()) == counts
    assert sorted(Milestone.objects.values_list("region_id", "kind", "due_date", "days_after_publication")) == rows
    assert counts[:3] == (1, 77, 20)


def test_the_demo_has_made_up_experts_in_two_pools_once(capsys):
    from qingshen.experts.models import Expert

    call_command("load_demo")
    call_command("load_demo")
    experts = Expert.objects.all()
    assert experts.count() == 10 and all(expert.name.startswith("示例专家") for expert in experts)
    assert {expert.pool_id for expert in experts} == {"130000", "130600"}
    assert all(expert.industries.exists() and expert.fields for expert in experts)
