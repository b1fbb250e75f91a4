"""The pages and the API: the county writes its draft over live figures, submitting without
the text comes back filled with the missing parts named, a stale page is refused; the city reads
and returns, the county sees the reason on version 2; drafts stay the author's; the receiving
page shows each county's due date and state; the API lists the frozen figures, scoped."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from qingshen.campaigns import services as campaigns
from qingshen.campaigns.models import MilestoneKind
from qingshen.core.roles import Role
from qingshen.summaries import services
from qingshen.summaries.models import SummaryReport
from qingshen.summaries.tests.helpers import arrange

TEXT = {"progress": "测试：开展情况", "achievements": "测试：成效", "problems": "测试：问题", "next_steps": "测试：下一步"}


def edit_url(world, kind="work"):
    return reverse("summaries:edit", args=[world.campaign.pk, kind])


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_county_writes_and_submits(world, sign_in):
    arrange(world)
    client = sign_in(world.user(Role.COUNTY))
    html = page(client, edit_url(world))
    assert 'data-draft="summary-' in html and "实时数据" in html and "评估通过" in html and "莲池区" not in html
    response = client.post(edit_url(world), {"stamp": "", **TEXT, "problems": "", "action": "submit"})
    html = response.content.decode()
    assert response.status_code == 200 and "请填写“存在的问题”后再报送。" in html
    assert "测试：开展情况" in html  # what was typed is kept (and saved as the draft)
    report = SummaryReport.objects.get(campaign=world.campaign, kind="work")
    assert report.status == "draft" and report.progress == "测试：开展情况"
    stale = {"stamp": "", **TEXT, "action": "save"}  # the page as first loaded
    response = client.post(edit_url(world), stale)
    assert response.status_code == 200 and "页面已过期" in response.content.decode()
    response = client.post(edit_url(world), {"stamp": services.stamp(report), **TEXT, "action": "submit"})
    assert response.status_code == 302
    html = page(client, edit_url(world))
    assert "已报送" in html and "报送时冻结的数据" in html and 'id="summary-form"' not in html
    response = client.post(edit_url(world), {"stamp": services.stamp(report), **TEXT, "action": "submit"})
    assert "已报送，不能再修改" in response.content.decode()  # a second click


def test_the_city_returns_and_the_county_sees_why(world, sign_in):
    report = services.save_draft(world.user(Role.COUNTY), world.campaign, "work", stamp_seen="", **TEXT)
    city = sign_in(world.user(Role.CITY))
    assert city.get(reverse("summaries:detail", args=[report.pk])).status_code == 404  # a draft is the county's
    services.submit(world.user(Role.COUNTY), report, stamp_seen=services.stamp(report))
    html = page(city, reverse("summaries:detail", args=[report.pk]))
    assert 'id="return-form"' in html and "测试：开展情况" in html
    response = city.post(reverse("summaries:return", args=[report.pk]), {"reason": ""})
    assert response.status_code == 200 and "请填写退回原因。" in response.content.decode()
    response = city.post(reverse("summaries:return", args=[report.pk]), {"reason": "测试：请补充问题分析"})
    assert response.status_code == 302
    county = sign_in(world.user(Role.COUNTY))
    html = page(county, edit_url(world))
    assert "第 1 版已被退回" in html and "测试：请补充问题分析" in html and "第 2 版 · 草稿" in html
    assert 'value="测试：开展情况"' in html or "测试：开展情况</textarea>" in html


def test_documents_of_a_draft_and_of_a_submitted_version(world, sign_in):
    report = services.save_draft(world.user(Role.COUNTY), world.campaign, "work", stamp_seen="", **TEXT)
    client = sign_in(world.user(Role.COUNTY))
    response = client.get(reverse("summaries:pdf", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "%E8%8D%89%E7%A8%BF" in response["Content-Disposition"]  # 草稿 in the file name
    report = services.submit(world.user(Role.COUNTY), report, stamp_seen=services.stamp(report))
    response = client.get(reverse("summaries:xlsx", args=[report.pk]))
    assert b"".join(response.streaming_content) == report.xlsx_file.open_content()


def test_the_received_page(world, sign_in):
    today = timezone.localdate()
    campaigns.set_milestone(world.user(Role.PROVINCE), world.campaign, kind=MilestoneKind.WORK_SUMMARY,
                            due_date=today + timedelta(days=20))
    from qingshen.options.tests.helpers import project_for
    project_for(world, world.e_lianchi, "202113060600001")
    report = services.save_draft(world.user(Role.COUNTY), world.campaign, "work", stamp_seen="", **TEXT)
    services.submit(world.user(Role.COUNTY), report, stamp_seen=services.stamp(report))
    html = page(sign_in(world.user(Role.CITY)), reverse("summaries:received") + f"?campaign={world.campaign.pk}")
    assert 'data-organization="130681"' in html and 'data-organization="130606"' in html
    assert "按时完成" in html and "未到期" in html and "长安" not in html
    html = page(sign_in(world.user(Role.PROVINCE)), reverse("summaries:received"))
    assert 'data-organization="130600"' in html and 'data-organization="130682"' in html
    assert 'data-organization="130681"' not in html


def test_the_index_and_menu(world, sign_in):
    html = page(sign_in(world.user(Role.COUNTY)), reverse("summaries:index"))
    assert world.campaign.name in html and edit_url(world) in html and "工作总结报送情况" not in html
    html = page(sign_in(world.user(Role.CITY)), reverse("summaries:index"))
    assert reverse("summaries:received") in html


def test_the_api_lists_frozen_figures_scoped(world, sign_in):
    arrange(world)
    report = services.save_draft(world.user(Role.COUNTY), world.campaign, "work", stamp_seen="", **TEXT)
    services.save_draft(world.user(Role.CITY), world.campaign, "work", stamp_seen="", **TEXT)
    url = reverse("summaryreport-list") + f"?campaign={world.campaign.pk}&kind=work"
    assert sign_in(world.user(Role.CITY)).get(url).json()["count"] == 1  # its own draft, not the county's
    services.submit(world.user(Role.COUNTY), report, stamp_seen=services.stamp(report))
    rows = sign_in(world.user(Role.CITY)).get(url).json()["results"]
    county_row = next(row for row in rows if row["id"] == report.pk)
    assert county_row["status"] == "submitted" and county_row["figures"]["total"]["stages"]["evaluation_passed"] == 1
    assert county_row["pdf_url"] == reverse("summaries:pdf", args=[report.pk])
    assert sign_in(world.other_county_user).get(url).json()["count"] == 0
    assert sign_in(world.user(Role.COUNTY)).get(url.replace("kind=work", "kind=evaluation")).json()["count"] == 0


def test_the_draft_says_when_its_figures_were_computed(world, sign_in):
    import re

    page = sign_in(world.user(Role.COUNTY)).get(reverse("summaries:edit", args=[world.campaign.pk, "work"]))
    assert re.search(r"实时数据，每次打开页面重新计算（\d{4}-\d{2}-\d{2} \d{2}:\d{2}）", page.content.decode())
