"""The whole roster cascade through the pages, as the real users: the province publishes, the
city checks and dispatches, the counties verify and submit, the city returns one county and
approves the rest, the county resubmits, the city submits, the province returns it once and
then approves. Earlier rounds stay readable throughout."""

import pytest

from conftest import department, make_user
from qingshen.campaigns.models import CampaignEnterprise
from qingshen.core.roles import Role
from qingshen.enterprises.models import Enterprise
from qingshen.regions.models import Region
from qingshen.rosters.models import RosterDecision, RosterSubmission, RosterTask
from qingshen.rosters.tests.helpers import FAKE_USCC_NEW, blank_pdf, followed_messages, messages_of, page_text, png

Status = RosterTask.Status


def url(name, task, *args):
    from django.urls import reverse

    return reverse(f"rosters:{name}", args=[task.pk, *args])


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_whole_cascade_through_the_pages(draft, client):
    world = draft
    province, city, county = world.user(Role.PROVINCE), world.user(Role.CITY), world.user(Role.COUNTY)
    lianchi_user = world.other_county_user

    # --- the province: its draft task, its requirements, then 下发任务 --------------------------
    as_user(client, province)
    listing = client.get("/rosters/")
    assert listing.status_code == 200
    assert "草稿" in page_text(listing) and world.campaign.name in page_text(listing)
    task = world.roster
    assert client.get(url("detail", task))["Location"] == url("own", task)
    own = client.get(url("own", task))
    assert "省级任务信息" in page_text(own) and "企业清单" in page_text(own)
    response = client.post(url("own", task), {"requirements": "请各市逐一核实名单。", "attachments": [blank_pdf("省级通知.pdf")],
                                              "expected_status": "draft"})
    assert response.status_code == 302 and response["Location"] == url("members", task)
    task.refresh_from_db()
    assert task.requirements == "请各市逐一核实名单。" and task.attachments.count() == 1
    members = client.get(url("members", task))
    assert {"涿州测试企业", "莲池测试企业", "长安测试企业", "定州测试企业"} <= set(page_text(members).split())
    dispatch_page = client.get(url("dispatch", task))
    assert "电子形式内容完全等同于纸质效力" in page_text(dispatch_page) and "我同意上述内容" in page_text(dispatch_page)
    refused = client.post(url("dispatch", task), {"expected_status": "draft"})
    assert refused.status_code == 200
    assert "请先阅读并勾选“我同意上述内容”。" in page_text(refused)
    assert RosterTask.objects.filter(parent=task).count() == 0
    published = client.post(url("dispatch", task), {"attested": "on", "expected_status": "draft"})
    assert published.status_code == 302
    assert "任务已下发至 3 个单位" in followed_messages(client, published)[0]
    task.refresh_from_db()
    assert task.status == Status.DISPATCHED and task.attested_by == province
    again = client.post(url("dispatch", task), {"attested": "on", "expected_status": "draft"})
    assert "请勿重复下发" in page_text(again)
    assert RosterTask.objects.filter(parent=task).count() == 3

    # --- the city: 待确认; reads the province's requirements; adds its own; checks; dispatches -------
    city_task = world.roster_task("130600")
    as_user(client, city)
    listing = client.get("/rosters/")
    assert "待确认" in page_text(listing)
    upper = client.get(url("detail", city_task))
    text = page_text(upper)
    assert "省级任务信息" in text and "请各市逐一核实名单。" in text and "省级通知.pdf" in text
    assert "时间节点" in text  # the deadlines box
    notice_file = task.attachments.get()
    download = client.get(url("file", city_task, notice_file.pk))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    client.post(url("own", city_task), {"requirements": "各区县10月15日前完成核定。", "expected_status": "pending"})
    lianchi = world.member(world.e_lianchi)
    corrected = client.post(url("correct", city_task, lianchi.pk), {
        "double_exceed": "true", "double_toxic": "false", "name": "莲池测试企业", "uscc": "", "address": "",
        "legal_representative": "", "status": "running", "permit_number": "", "version": world.e_lianchi.version,
        "expected_status": "pending"})
    assert corrected.status_code == 302
    decision = RosterDecision.objects.get(member=lianchi, action=RosterDecision.Action.CORRECT)
    assert (decision.field, decision.old_value, decision.new_value) == ("double_exceed", "否", "是")
    assert "修正是否双超： 否 → 是" in page_text(client.get(url("members", city_task)))
    client.post(url("dispatch", city_task), {"attested": "on", "expected_status": "pending"})
    city_task.refresh_from_db()
    assert city_task.status == Status.DISPATCHED
    zhuozhou_task, lianchi_task = world.roster_task("130681"), world.roster_task("130606")
    assert zhuozhou_task.status == lianchi_task.status == Status.PENDING
    assert "区县 2 个：待确认 2" in page_text(client.get("/rosters/"))

    # --- the county 涿州: reads both levels above; marks 否; adds one; submits -----------------
    as_user(client, county)
    upper = page_text(client.get(url("detail", zhuozhou_task)))
    assert "市级任务信息" in upper and "各区县10月15日前完成核定。" in upper and "请各市逐一核实名单。" in upper
    zhuozhou = world.member(world.e_zhuozhou)
    excluded = client.post(url("exclude", zhuozhou_task, zhuozhou.pk), {
        "reason": "该企业已于2021年8月停产。", "evidence": [png()], "expected_status": "pending"})
    assert excluded.status_code == 302
    zhuozhou.refresh_from_db()
    assert zhuozhou.status == CampaignEnterprise.Status.EXCLUDED
    added = client.post(url("propose", zhuozhou_task), {
        "source": "new", "name": "涿州增补企业", "uscc": FAKE_USCC_NEW, "region": "130681", "water_related": "on",
        "reasons": ["double_exceed"], "handling_level": "city", "reason": "漏报的涉水企业", "expected_status": "pending"})
    assert added.status_code == 302, page_text(added)
    proposed = CampaignEnterprise.objects.get(enterprise__uscc=FAKE_USCC_NEW)
    assert proposed.status == CampaignEnterprise.Status.PROPOSED and proposed.proposed_by.region_id == "130681"
    assert "增补待审" in page_text(client.get(url("members", zhuozhou_task)))
    submitted = client.post(url("submit", zhuozhou_task), {"stamped_list": blank_pdf("涿州盖章名单.pdf"),
                                                           "expected_status": "pending"})
    assert submitted.status_code == 302
    zhuozhou_task.refresh_from_db()
    assert (zhuozhou_task.status, zhuozhou_task.round) == (Status.SUBMITTED, 1)
    assert "已提交" in page_text(client.get("/rosters/"))

    # --- the county 莲池 submits too ------------------------------------------------------------
    as_user(client, lianchi_user)
    client.post(url("submit", lianchi_task), {"stamped_list": blank_pdf(), "expected_status": "pending"})
    lianchi_task.refresh_from_db()
    assert lianchi_task.status == Status.SUBMITTED

    # --- the city reviews: cannot submit yet; returns 涿州 with comments; approves 莲池 ----------
    as_user(client, city)
    early = client.post(url("submit", city_task), {"stamped_list": blank_pdf(), "expected_status": "dispatched"})
    assert "下级任务尚未全部审核通过" in page_text(early) and "涿州市生态环境分局" in page_text(early)
    children = page_text(client.get(url("children", city_task)))
    assert "区县任务情况" in children and "涿州盖章名单.pdf" in children
    county_list = page_text(client.get(url("members", zhuozhou_task)))
    assert "该企业已于2021年8月停产。" in county_list and "佐证材料.png" in county_list
    stamped = zhuozhou_task.submissions.get().stamped_list
    assert client.get(url("file", zhuozhou_task, stamped.pk)).status_code == 200
    returned = client.post(url("review", zhuozhou_task), {"decision": "return", "comments": "停产企业请补充停产证明。",
                                                          "expected_status": "submitted"})
    assert returned.status_code == 302 and returned["Location"] == url("children", city_task)
    client.post(url("review", lianchi_task), {"decision": "approve", "comments": "", "expected_status": "submitted"})
    zhuozhou_task.refresh_from_db()
    lianchi_task.refresh_from_db()
    assert zhuozhou_task.status == Status.RETURNED and lianchi_task.status == Status.APPROVED

    # --- 涿州 sees the comments, puts the enterprise back, resubmits; round 1 stays readable ------
    as_user(client, county)
    members_page = client.get(url("members", zhuozhou_task))
    assert "任务已被退回" in page_text(members_page) and "停产企业请补充停产证明。" in page_text(members_page)
    kept = client.post(url("keep", zhuozhou_task, zhuozhou.pk), {"expected_status": "returned"})
    assert kept.status_code == 302
    zhuozhou.refresh_from_db()
    assert zhuozhou.status == CampaignEnterprise.Status.INCLUDED
    client.post(url("submit", zhuozhou_task), {"stamped_list": blank_pdf("涿州盖章名单第二轮.pdf"),
                                               "expected_status": "returned"})
    zhuozhou_task.refresh_from_db()
    assert (zhuozhou_task.status, zhuozhou_task.round) == (Status.SUBMITTED, 2)
    rounds = page_text(client.get(url("submit", zhuozhou_task)))
    assert "第 1 轮" in rounds and "第 2 轮" in rounds and "停产企业请补充停产证明。" in rounds
    first = client.get(url("round", zhuozhou_task, 1))
    first_text = page_text(first)
    assert "该企业已于2021年8月停产。" in first_text and "不纳入" in first_text and "涿州盖章名单.pdf" in first_text
    assert "停产企业请补充停产证明。" in first_text
    round_one_file = zhuozhou_task.submissions.get(round=1).stamped_list
    assert client.get(url("file", zhuozhou_task, round_one_file.pk)).status_code == 200

    # --- the city approves 涿州 (its addition is now on the list) and submits to the province ----
    as_user(client, city)
    client.post(url("review", zhuozhou_task), {"decision": "approve", "expected_status": "submitted"})
    proposed.refresh_from_db()
    assert proposed.status == CampaignEnterprise.Status.INCLUDED
    client.post(url("submit", city_task), {"stamped_list": blank_pdf("保定市盖章名单.pdf"), "expected_status": "dispatched"})
    city_task.refresh_from_db()
    assert (city_task.status, city_task.round) == (Status.SUBMITTED, 1)

    # --- the province: 市级任务情况; returns Baoding once, then approves -------------------------
    as_user(client, province)
    overview = page_text(client.get(url("children", task)))
    assert "市级任务情况" in overview and "保定市盖章名单.pdf" in overview
    missing = client.post(url("review", city_task), {"decision": "return", "comments": "  ", "expected_status": "submitted"})
    assert missing.status_code == 200 and "退回时请填写审核意见。" in page_text(missing)
    city_task.refresh_from_db()
    assert city_task.status == Status.SUBMITTED
    client.post(url("review", city_task), {"decision": "return", "comments": "请核实增补企业的双超情况。",
                                           "expected_status": "submitted"})
    as_user(client, city)
    assert "请核实增补企业的双超情况。" in page_text(client.get(url("detail", city_task)))
    client.post(url("submit", city_task), {"stamped_list": blank_pdf(), "expected_status": "returned"})
    as_user(client, province)
    client.post(url("review", city_task), {"decision": "approve", "expected_status": "submitted"})
    city_task.refresh_from_db()
    assert (city_task.status, city_task.round) == (Status.APPROVED, 2)
    decisions = list(city_task.submissions.order_by("round").values_list("decision", "comments"))
    assert decisions == [("returned", "请核实增补企业的双超情况。"), ("approved", "")]
    assert "已通过" in page_text(client.get("/rosters/?scope=all&level=city"))


@pytest.mark.django_db
def test_each_level_sees_its_own_steps(verified, client):
    world = verified
    steps = {
        world.user(Role.PROVINCE): (world.roster, ["省级任务信息", "企业清单", "下发任务", "市级任务情况"]),
        world.user(Role.CITY): (world.roster_task("130600"),
                                ["省级任务信息", "市级任务信息", "企业清单", "下发任务", "区县任务情况", "提交任务"]),
        world.user(Role.COUNTY): (world.roster_task("130681"), ["市级任务信息", "企业清单", "提交任务"]),
        world.dingzhou_user: (world.roster_task("130682"), ["省级任务信息", "企业清单", "提交任务"]),
    }
    for user, (task, labels) in steps.items():
        as_user(client, user)
        response = client.get(url("members", task))
        assert [label for _, label, _ in response.context["steps"]] == labels, user
    # a step a task does not have sends the user back to its first page
    as_user(client, world.user(Role.COUNTY))
    response = client.get(url("dispatch", world.roster_task("130681")))
    assert response.status_code == 302 and response["Location"] == url("detail", world.roster_task("130681"))


@pytest.mark.django_db
def test_breadcrumbs_and_menu_follow_the_seed(published, client):
    as_user(client, published.user(Role.CITY))
    response = client.get(url("members", published.roster_task("130600")))
    assert [label for label, _ in response.context["breadcrumbs"]] == ["任务管理", "名单核定任务", "企业清单"]
    menu = {group.label: [item.label for item, _, _ in entries] for group, entries in response.context["menu"]}
    assert "名单核定任务" in menu["任务管理"]


@pytest.mark.django_db
def test_list_shows_each_citys_county_progress(verified, client):
    as_user(client, verified.user(Role.PROVINCE))
    response = client.get("/rosters/?scope=all")
    rows = {t.organization.region_id: t for t in response.context["object_list"]}
    assert rows["130600"].lower_total == 2 and rows["130600"].lower_approved == 2
    assert rows["130100"].lower_total == 1
    assert "区县 2 个：已通过 2" in page_text(response)
    own = client.get("/rosters/")
    assert [t.organization.region_id for t in own.context["object_list"]] == ["130000"]


@pytest.mark.django_db
def test_staff_accounts_act_for_their_department(published, client):
    staff = make_user("130600-li", department("130600"), department=False)
    as_user(client, staff)
    task = published.roster_task("130600")
    response = client.post(url("dispatch", task), {"attested": "on", "expected_status": "pending"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == Status.DISPATCHED and task.attested_by == staff


@pytest.mark.django_db
def test_the_level_above_reads_but_cannot_change_a_lower_list(published, client):
    world = published
    as_user(client, world.user(Role.CITY))
    client.post(url("dispatch", world.roster_task("130600")), {"attested": "on"})
    county_task = world.roster_task("130681")
    member = world.member(world.e_zhuozhou)
    page = client.get(url("members", county_task))
    assert page.status_code == 200 and "标注“否”" not in page_text(page).replace("标注“否”的企业", "")
    refused = client.post(url("exclude", county_task, member.pk), {"reason": "x", "evidence": [png()]})
    assert refused.status_code == 200
    assert "只有本级生态环境部门可以核定本级名单。" in page_text(refused)
    # nor from its own list while the county is verifying that enterprise
    city_task = world.roster_task("130600")
    locked = client.post(url("exclude", city_task, member.pk), {"reason": "x", "evidence": [png()]})
    assert "涿州市生态环境分局正在核定该企业" in page_text(locked)
    member.refresh_from_db()
    assert member.status == CampaignEnterprise.Status.INCLUDED
    assert not RosterDecision.objects.exists()


@pytest.mark.django_db
def test_a_county_adds_an_enterprise_from_the_registry(published, client):
    from conftest import make_enterprise

    world = published
    extra = make_enterprise("涿州名录企业", "130681")
    as_user(client, world.user(Role.CITY))
    client.post(url("dispatch", world.roster_task("130600")), {"attested": "on"})
    task = world.roster_task("130681")
    as_user(client, world.user(Role.COUNTY))
    search = client.get(url("propose", task) + "?q=涿州")
    names = [e.name for e in search.context["results"]]
    assert names == ["涿州名录企业"]  # 涿州测试企业 is already on the roster
    response = client.post(url("propose", task), {"source": "registry", "q": "涿州", "enterprise": extra.pk,
                                                  "reasons": ["double_toxic"], "handling_level": "city"})
    assert response.status_code == 302
    member = CampaignEnterprise.objects.get(enterprise=extra)
    assert member.status == CampaignEnterprise.Status.PROPOSED
    assert RosterDecision.objects.get(member=member).action == RosterDecision.Action.ADD
    twice = client.post(url("propose", task), {"source": "registry", "q": "涿州", "enterprise": extra.pk,
                                               "reasons": ["double_toxic"], "handling_level": "city"})
    assert twice.status_code == 200  # no longer offered: it is on the roster now
    assert CampaignEnterprise.objects.filter(enterprise=extra).count() == 1


@pytest.mark.django_db
def test_returned_task_shows_the_comments_on_every_step(verified, client):
    world = verified
    task = world.roster_task("130682")
    from qingshen.rosters import services

    services.send_back(world.user(Role.PROVINCE), task, "请补充定州测试企业的双有说明。")
    as_user(client, world.dingzhou_user)
    for step in ("detail", "members", "submit"):
        text = page_text(client.get(url(step, task)))
        assert "任务已被退回" in text and "请补充定州测试企业的双有说明。" in text, step
    assert Enterprise.objects.filter(region=Region.objects.get(code="130682")).exists()
    # the approved round it was about keeps the return's comments
    latest = RosterSubmission.objects.filter(task=task).latest("round")
    assert (latest.decision, latest.comments) == ("returned", "请补充定州测试企业的双有说明。")
    assert messages_of(client.get("/rosters/")) == []


@pytest.mark.django_db
def test_the_provinces_own_additions_need_no_approval(verified):
    from conftest import make_enterprise
    from qingshen.rosters import services

    extra = make_enterprise("长安增补企业", "130102")
    member = services.propose(verified.user(Role.PROVINCE), verified.roster, enterprise=extra, reasons=["key_task"],
                              handling_level="province")
    assert member.status == CampaignEnterprise.Status.INCLUDED


@pytest.mark.django_db
def test_every_step_lands_in_the_audit_trail(published, client):
    from qingshen.audit_trail.models import Event
    from qingshen.rosters import services

    world = published
    city, county = world.user(Role.CITY), world.user(Role.COUNTY)
    city_task = world.roster_task("130600")
    start = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    services.update_requirements(city, city_task, requirements="要求")
    services.dispatch(city, city_task, attested=True)
    task, member = world.roster_task("130681"), world.member(world.e_zhuozhou)
    services.exclude(county, task, member, reason="停产", evidence=[png()])
    services.keep(county, task, member)
    services.correct(county, task, member, field="double_toxic", value=True)
    services.propose(county, task, new_enterprise={"name": "涿州增补企业", "uscc": FAKE_USCC_NEW,
                                                   "region": Region.objects.get(code="130681")},
                     reasons=["double_toxic"], handling_level="city")
    services.submit(county, task, stamped_list=blank_pdf())
    services.send_back(city, task, "请补充。")
    services.submit(county, task, stamped_list=blank_pdf())
    services.approve(city, task)
    actions = list(Event.objects.filter(seq__gt=start).order_by("seq").values_list("action", flat=True))
    assert actions == ["roster.requirements", "roster.create", "roster.create", "roster.dispatch", "roster.exclude",
                       "roster.keep", "enterprise.update", "enterprise.create", "campaign.add_member", "roster.submit",
                       "roster.return", "roster.submit", "roster.approve"]
    dispatch = Event.objects.get(action="roster.dispatch")
    assert dispatch.after["attestation"].startswith("电子形式内容完全等同于纸质效力")
    assert Event.objects.get(action="roster.return").after["comments"] == "请补充。"
