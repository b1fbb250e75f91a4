"""The notice cascade through the pages: the province issues, 保定市 adds its requirements and
dispatches, 涿州市 generates, stamps, uploads and dispatches its letters."""

import pytest

pytestmark = pytest.mark.django_db
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import CampaignWorld, blank_pdf, make_enterprise
from qingshen.audit_trail.models import Event
from qingshen.campaigns import services as campaigns
from qingshen.core.roles import Role
from qingshen.notices.models import NoticeLetter, NoticeTask
from qingshen.notices.tests.test_views_support import messages_of, notified_world, text_of


def test_cascade_from_issue_to_county_dispatch(client, django_capture_on_commit_callbacks):
    world = CampaignWorld("verified")
    province, city, county = world.user(Role.PROVINCE), world.user(Role.CITY), world.user(Role.COUNTY)

    # 发布清审任务通知 (province)
    client.force_login(province)
    page = client.get("/notices/")
    assert "发布清审任务通知" in text_of(page)
    page = client.get("/notices/issue/")
    assert page.status_code == 200 and "保定市生态环境局" in text_of(page) and "将发布" in text_of(page)
    response = client.post("/notices/issue/", {"campaign": world.campaign.pk})
    assert response.status_code == 302
    assert "已发布清审任务通知" in messages_of(client.get(response["Location"]))[0]
    assert set(world.campaign.notice_tasks.values_list("organization__region_id", "status")) == {
        ("130000", "dispatched"), ("130600", "pending"), ("130100", "pending"), ("130682", "pending")}
    again = client.post("/notices/issue/", {"campaign": world.campaign.pk}, follow=True)
    assert "没有新通过名单核定的地市" in text_of(again)

    # 保定市: 待派发 in its list, 省任务信息 with the per-industry counts
    client.force_login(city)
    task = world.notice_task("130600")
    listing = text_of(client.get("/notices/"))
    assert "保定市生态环境局 本单位" in listing and "待派发" in listing
    detail = client.get(f"/notices/{task.pk}/")
    text = text_of(detail)
    for expected in ("省任务信息", "市任务信息", "企业名单", "下发任务", "冀环测〔2021〕1号", "第二批", "测试批次清洁生产审核",
                     "按附件要求开展清洁生产审核。", "王测试", "0311-00000000", "企业名单信息", "时间节点"):
        assert expected in text, expected
    assert "告知书" not in [s[1] for s in detail.context["steps"]]  # 保定 has counties: it does not notify
    assert detail.context["industry_counts"] == [{"code": "33", "name": "金属制品业", "count": 2}]

    # 市任务信息: 下一步 saves and goes on to 企业名单; a file rides along
    response = client.post(f"/notices/{task.pk}/own/", {
        "document_number": "(2021)—34", "requirements": "请各县（市、区）于10月15日前书面通知企业。",
        "contact_person": "袁喜全", "contact_phone": "0312-3037280", "attachments": [blank_pdf("保定市实施方案.pdf")],
        "action": "next"})
    assert response.status_code == 302 and response["Location"] == f"/notices/{task.pk}/enterprises/"
    task = NoticeTask.objects.get(pk=task.pk)
    assert task.document_number == "(2021)—34" and task.attachments.get().original_name == "保定市实施方案.pdf"
    members = text_of(client.get(f"/notices/{task.pk}/enterprises/"))
    assert "共检索到 2 条记录" in members and "涿州测试企业" in members and "莲池测试企业" in members

    # 下发任务: the attestation must be ticked
    page = client.get(f"/notices/{task.pk}/dispatch/")
    assert "电子形式内容完全等同于纸质效力，请确认本次任务内容完整、准确，并对此承担责任。" in text_of(page)
    assert "我同意上述内容" in text_of(page)
    refused = client.post(f"/notices/{task.pk}/dispatch/", {})
    assert refused.status_code == 200 and "请先阅读并勾选“我同意上述内容”。" in text_of(refused)
    response = client.post(f"/notices/{task.pk}/dispatch/", {"attested": "on"}, follow=True)
    assert "任务已下发至 2 个区县。" in messages_of(response)
    task = NoticeTask.objects.get(pk=task.pk)
    assert task.status == NoticeTask.Status.DISPATCHED and task.attested_by == city
    assert Event.objects.filter(action="notice.dispatch", object_id=str(task.pk)).exists()

    # 涿州市: sees the province's notice and the city's requirements and file
    client.force_login(county)
    county_task = world.notice_task("130681")
    detail = client.get(f"/notices/{county_task.pk}/")
    text = text_of(detail)
    assert "冀环测〔2021〕1号" in text and "保定市生态环境局任务要求" in text and "请各县（市、区）于10月15日前书面通知企业。" in text
    assert [s[1] for s in detail.context["steps"]] == ["省任务信息", "县任务信息", "企业名单", "告知书", "下发任务"]
    attachment = task.attachments.get()
    download = client.get(f"/notices/{county_task.pk}/files/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    response = client.post(f"/notices/{county_task.pk}/own/", {
        "requirements": "请企业按告知书要求开展清洁生产审核。", "contact_person": "李亚龙", "contact_phone": "0312-6788617",
        "action": "next"})
    assert response.status_code == 302

    # 告知书: 生成, download, upload the stamped copy, 下发任务
    member = world.member(world.e_zhuozhou)
    page = text_of(client.get(f"/notices/{county_task.pk}/letters/"))
    assert "未生成" in page and "未上传" in page
    blocked = client.post(f"/notices/{county_task.pk}/dispatch/", {"attested": "on"})
    assert "还有 1 家企业没有上传盖章版告知书：涿州测试企业。全部上传后才能下发。" in text_of(blocked)
    response = client.post(f"/notices/{county_task.pk}/letters/generate/", {"member": member.pk, "revision": 0},
                           follow=True)
    letter = NoticeLetter.objects.get(member=member)
    assert f"已生成告知书 {letter.number}（第 1 版）" in messages_of(response)[0]
    pdf = client.get(f"/notices/letters/{letter.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    response = client.post(f"/notices/letters/{letter.pk}/upload/", {"file": blank_pdf()}, follow=True)
    assert "已上传 涿州测试企业 的盖章版告知书（第 1 版）。" in messages_of(response)
    letter.refresh_from_db()
    assert letter.has_current_stamped_copy and letter.stamped_via == "upload"
    response = client.post(f"/notices/{county_task.pk}/dispatch/", {"attested": "on"}, follow=True)
    assert "任务已下发至企业。" in messages_of(response)[0]
    county_task = NoticeTask.objects.get(pk=county_task.pk)
    letter.refresh_from_db()
    assert county_task.status == NoticeTask.Status.DISPATCHED and letter.dispatched_at is not None


def test_issue_again_adds_the_cities_approved_since(client):
    from conftest import blank_pdf as stamped
    from qingshen.rosters import services as rosters

    world = CampaignWorld("published")
    province, city = world.user(Role.PROVINCE), world.user(Role.CITY)
    rosters.dispatch(city, world.roster_task("130600"), attested=True)
    for user, code in ((world.user(Role.COUNTY), "130681"), (world.other_county_user, "130606")):
        rosters.submit(user, world.roster_task(code), stamped_list=stamped())
        rosters.approve(city, world.roster_task(code))
    rosters.submit(city, world.roster_task("130600"), stamped_list=stamped())
    rosters.approve(province, world.roster_task("130600"))

    client.force_login(province)
    page = text_of(client.get("/notices/issue/"))
    assert "将发布" in page and "名单核定未通过，暂不发布" in page
    client.post("/notices/issue/", {"campaign": world.campaign.pk})
    assert set(world.campaign.notice_tasks.values_list("organization__region_id", flat=True)) == {"130000", "130600"}

    rosters.submit(world.dingzhou_user, world.roster_task("130682"), stamped_list=stamped())
    rosters.approve(province, world.roster_task("130682"))
    response = client.post("/notices/issue/", {"campaign": world.campaign.pk}, follow=True)
    assert "已发布清审任务通知：定州市生态环境局（共 1 个地市）。" in messages_of(response)
    assert world.campaign.notice_tasks.count() == 3


def test_issue_refused_without_an_approved_roster(client):
    world = CampaignWorld("published")
    client.force_login(world.user(Role.PROVINCE))
    page = client.get("/notices/issue/")
    assert "还没有地市的名单核定获得省级审核通过" in text_of(page)
    response = client.post("/notices/issue/", {"campaign": world.campaign.pk})
    assert response.status_code == 200 and not NoticeTask.objects.exists()
    assert "选择一个有效的选项" in text_of(response)


def test_city_level_unit_without_counties_notifies_its_enterprises(client):
    world = CampaignWorld("verified")
    from qingshen.notices import services

    services.issue(world.user(Role.PROVINCE), world.campaign)
    task = world.notice_task("130682")
    client.force_login(world.dingzhou_user)
    detail = client.get(f"/notices/{task.pk}/")
    assert [s[1] for s in detail.context["steps"]] == ["省任务信息", "市任务信息", "企业名单", "告知书", "下发任务"]
    response = client.post(f"/notices/{task.pk}/letters/generate/",
                           {"member": world.member(world.e_dingzhou).pk, "revision": 0})
    assert response.status_code == 302
    assert NoticeLetter.objects.get(task=task).number.startswith("2021-T1-130682-")


def test_the_dispatched_city_sees_its_counties_read_only(client):
    world = notified_world(extra=False)
    client.force_login(world.user(Role.CITY))
    letters = client.get(f"/notices/{world.task.pk}/letters/")
    assert letters.status_code == 200 and "仅供查看" in text_of(letters)
    page = letters.content.decode()
    assert "/pdf/" not in page and 'name="member"' not in page and "批量下载" not in page
    own = client.post(f"/notices/{world.task.pk}/own/", {"requirements": "x", "contact_person": "x",
                                                          "contact_phone": "x"}, follow=True)
    assert "只有本级生态环境部门可以填写本级任务信息。" in messages_of(own)
    generate = client.post(f"/notices/{world.task.pk}/letters/generate/",
                           {"member": world.member(world.e_zhuozhou).pk, "revision": 0}, follow=True)
    assert "只有负责通知企业的生态环境部门可以办理告知书。" in messages_of(generate)
    assert not NoticeLetter.objects.exists()


def test_enterprise_list_filters_and_project_numbers(client):
    world = notified_world()
    client.force_login(world.county)
    base = f"/notices/{world.task.pk}/enterprises/"

    def names(query=""):
        response = client.get(f"{base}?{query}")
        assert response.status_code == 200
        return {row["enterprise"].name for row in response.context["rows"]}

    assert names() == {"涿州测试企业", "涿州扩展饮料有限公司", "涿州扩展电镀厂"}
    assert names("double_exceed=true") == {"涿州扩展饮料有限公司", "涿州扩展电镀厂"}
    assert names("division=15") == {"涿州扩展饮料有限公司"}
    assert names("industry_code=336") == {"涿州测试企业", "涿州扩展电镀厂"}
    assert names("name=饮料") == {"涿州扩展饮料有限公司"}
    assert names("handling_level=province") == {"涿州测试企业"}
    assert "region" not in client.get(base).context["filterset"].form.fields  # nothing below a county

    client.force_login(world.user(Role.CITY))
    city_base = f"/notices/{world.notice_task('130600').pk}/enterprises/"
    response = client.get(f"{city_base}?region=130606")
    assert {row["enterprise"].name for row in response.context["rows"]} == {"莲池测试企业"}


def test_the_project_number_shows_once_accepted(client):
    world = CampaignWorld("accepted")
    client.force_login(world.user(Role.CITY))
    page = text_of(client.get(f"/notices/{world.notice_task('130600').pk}/enterprises/"))
    assert world.project.number in page and "省直管" in page and "保定市 涿州市" in page


# --- query counts ----------------------------------------------------------------------------


def _grow(world, count, start):
    province = world.user(Role.PROVINCE)
    for n in range(start, start + count):
        enterprise = make_enterprise(f"规模测试企业{n}", "130681")
        member = campaigns.add_member(province, world.campaign, enterprise, reasons=["key_task"],
                                      handling_level="city")
        if n % 2:  # half of them with a letter row (made directly: the PDF is not the point here)
            NoticeLetter.objects.create(task=world.task, member=member, number=f"SCALE-{n}", account=world.county)


def _queries(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(context)


@pytest.mark.parametrize("path", ["/notices/", "/notices/{pk}/", "/notices/{pk}/enterprises/",
                                  "/notices/{pk}/letters/", "/notices/{pk}/dispatch/",
                                  "/api/notice-tasks/", "/api/notice-letters/"])
def test_query_count_does_not_grow_with_rows(client, path):
    world = notified_world(extra=False)
    client.force_login(world.county)
    path = path.format(pk=world.task.pk)
    _grow(world, 3, 100)
    client.get(path)
    small = _queries(client, path)
    _grow(world, 25, 200)
    large = _queries(client, path)
    assert large == small, f"{path}: {small} queries with few rows, {large} with many"
