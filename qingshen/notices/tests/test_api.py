"""The notice in the REST API: the same services, rules and Chinese messages as the pages."""

import io
import zipfile

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from pypdf import PdfReader

from conftest import CampaignWorld, blank_pdf
from qingshen.core.roles import Role
from qingshen.jobs.models import Job
from qingshen.notices import services
from qingshen.notices.models import NoticeLetter, NoticeTask, ScanBatch, ScanPage
from qingshen.notices.tests.test_views_support import (
    blank_page,
    exe_named_pdf,
    notified_world,
    page_images,
    scan_pdf,
)

pytestmark = pytest.mark.django_db


def multipart(data):
    return encode_multipart(BOUNDARY, data)


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_issue_update_and_dispatch(client):
    world = CampaignWorld("verified")
    client.force_login(world.user(Role.PROVINCE))
    preview = client.get("/api/notice-tasks/issue/").json()["results"]
    assert preview[0]["would_notify"] == ["石家庄市生态环境局", "保定市生态环境局", "定州市生态环境局"]
    response = client.post("/api/notice-tasks/issue/", {"campaign": world.campaign.pk}, content_type="application/json")
    assert response.status_code == 201 and len(response.json()["created"]) == 3
    again = client.post("/api/notice-tasks/issue/", {"campaign": world.campaign.pk}, content_type="application/json")
    assert again.status_code == 201 and again.json()["created"] == []

    city_task = world.notice_task("130600")
    client.force_login(world.user(Role.CITY))
    assert ids(client.get("/api/notice-tasks/")) == {city_task.pk}
    response = client.patch(f"/api/notice-tasks/{city_task.pk}/", {"document_number": "(2021)—34",
                            "requirements": "请各县按期通知。", "contact_person": "袁喜全", "contact_phone": "0312-3037280"},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["document_number"] == "(2021)—34"
    state = client.get(f"/api/notice-tasks/{city_task.pk}/dispatch/").json()
    assert state["attestation"].startswith("电子形式内容完全等同于纸质效力") and state["ready"] is True
    refused = client.post(f"/api/notice-tasks/{city_task.pk}/dispatch/", {"attested": False},
                          content_type="application/json")
    assert refused.status_code == 400 and refused.json()["detail"] == ["请先阅读并勾选“我同意上述内容”。"]
    response = client.post(f"/api/notice-tasks/{city_task.pk}/dispatch/", {"attested": True},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["task"]["status"] == "dispatched"
    assert len(response.json()["children"]) == 2
    twice = client.post(f"/api/notice-tasks/{city_task.pk}/dispatch/", {"attested": True},
                        content_type="application/json")
    assert twice.status_code == 400 and "该任务已经下发" in twice.json()["detail"][0]
    listed = ids(client.get("/api/notice-tasks/"))
    assert world.notice_task("130681").pk in listed and world.notice_task("130100").pk not in listed

    # the county's own information, with a file, as multipart
    client.force_login(world.user(Role.COUNTY))
    county_task = world.notice_task("130681")
    response = client.patch(f"/api/notice-tasks/{county_task.pk}/", multipart({"requirements": "请按告知书开展审核。",
                            "attachments": blank_pdf("涿州通知.pdf")}), content_type=MULTIPART_CONTENT)
    assert response.status_code == 200, response.content
    assert [a["name"] for a in response.json()["attachments"]] == ["涿州通知.pdf"]
    response = client.patch(f"/api/notice-tasks/{county_task.pk}/", multipart({"attachments": exe_named_pdf("通知.pdf")}),
                            content_type=MULTIPART_CONTENT)
    assert response.status_code == 400 and "实际是 EXE 文件" in response.json()["detail"][0]
    # the city may not edit the county's task
    client.force_login(world.user(Role.CITY))
    response = client.patch(f"/api/notice-tasks/{county_task.pk}/", {"requirements": "x"},
                            content_type="application/json")
    assert response.status_code == 403 and response.json()["detail"] == "只有本级生态环境部门可以填写本级任务信息。"


def test_letters_through_the_api(client, django_capture_on_commit_callbacks):
    world = notified_world()
    client.force_login(world.county)
    task = world.task
    member = world.member(world.e_zhuozhou)
    state = client.get(f"/api/notice-tasks/{task.pk}/dispatch/").json()
    assert state["ready"] is False and "涿州测试企业" in state["missing"]

    response = client.post("/api/notice-letters/", {"task": task.pk, "member": member.pk},
                           content_type="application/json")
    assert response.status_code == 201
    letter = response.json()
    assert letter["revision"] == 1 and letter["generated"] is True and "activation_code" not in str(letter)
    twice = client.post("/api/notice-letters/", {"task": task.pk, "member": member.pk},
                        content_type="application/json")
    assert twice.status_code == 400 and "请勿重复点击" in twice.json()["detail"][0]

    pdf = client.get(f"/api/notice-letters/{letter['id']}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    bad = client.post(f"/api/notice-letters/{letter['id']}/stamped-copy/", {"file": exe_named_pdf()})
    assert bad.status_code == 400 and "实际是 EXE 文件" in bad.json()["detail"][0]
    missing = client.post(f"/api/notice-letters/{letter['id']}/stamped-copy/", {})
    assert missing.status_code == 400 and missing.json()["file"] == ["请选择盖章版告知书文件。"]
    ok = client.post(f"/api/notice-letters/{letter['id']}/stamped-copy/", {"file": blank_pdf()})
    assert ok.status_code == 200 and ok.json()["has_current_stamped_copy"] is True
    assert client.get(f"/api/notice-letters/{letter['id']}/stamped-copy/").status_code == 200

    warning = client.get(f"/api/notice-letters/{letter['id']}/regenerate/").json()["warning"]
    assert warning.startswith("重新生成后，原告知书及其激活码作废")
    response = client.post(f"/api/notice-letters/{letter['id']}/regenerate/", {"revision": 1},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["revision"] == 2
    assert response.json()["has_current_stamped_copy"] is False
    stale = client.post(f"/api/notice-letters/{letter['id']}/regenerate/", {"revision": 1},
                        content_type="application/json")
    assert stale.status_code == 400 and "页面不是最新的" in stale.json()["detail"][0]

    # batch download as a job
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/notice-tasks/{task.pk}/letters-batch/", {"format": "zip"},
                               content_type="application/json")
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["job"])
    assert job.status == Job.Status.SUCCEEDED
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(response.json()["download"]).streaming_content)))
    assert len(archive.namelist()) == 3
    assert NoticeLetter.objects.get(pk=letter["id"]).revision == 2  # kept, not regenerated

    # dispatch is refused with the names of those still missing
    refused = client.post(f"/api/notice-tasks/{task.pk}/dispatch/", {"attested": True},
                          content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["detail"][0].startswith("还有 3 家企业没有上传盖章版告知书：涿州测试企业、")

    # the city sees the letters' state, never their PDFs
    client.force_login(world.user(Role.CITY))
    assert letter["id"] in ids(client.get(f"/api/notice-letters/?task={task.pk}"))
    assert client.get(f"/api/notice-letters/{letter['id']}/pdf/").status_code == 403
    assert client.post(f"/api/notice-letters/{letter['id']}/stamped-copy/", {"file": blank_pdf()}).status_code == 403


def test_scans_through_the_api(client, django_capture_on_commit_callbacks):
    world = notified_world(extra=False)
    member = world.member(world.e_zhuozhou)
    letter, _ = services.generate_letter(world.county, world.task, member.pk, expected_revision=0)
    client.force_login(world.county)
    scan = scan_pdf([blank_page(), page_images(letter.pdf.open_content())[0]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/notice-scans/", {"task": world.task.pk, "files": [scan]})
    assert response.status_code == 202, response.content
    batch = ScanBatch.objects.get(pk=response.json()["id"])
    assert batch.job.status == Job.Status.SUCCEEDED
    detail = client.get(f"/api/notice-scans/{batch.pk}/").json()
    assert [p["outcome"] for p in detail["pages"]] == ["no_code", "matched"]
    blank = ScanPage.objects.get(batch=batch, index=1)
    candidates = client.get(f"/api/notice-scan-pages/{blank.pk}/assign/").json()["letters"]
    assert [c["number"] for c in candidates] == [letter.number]
    image = client.get(f"/api/notice-scan-pages/{blank.pk}/image/")
    assert image.status_code == 200
    assert len(PdfReader(io.BytesIO(b"".join(image.streaming_content))).pages) == 1
    response = client.post(f"/api/notice-scan-pages/{blank.pk}/assign/", {"letter": letter.pk},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["outcome"] == "assigned"
    again = client.post(f"/api/notice-scan-pages/{blank.pk}/assign/", {"letter": letter.pk},
                        content_type="application/json")
    assert again.status_code == 400 and again.json()["detail"] == ["此页已经对应到告知书，不需要再指定。"]
    bad = client.post("/api/notice-scans/", {"task": world.task.pk, "files": [exe_named_pdf()]})
    assert bad.status_code == 400 and ScanBatch.objects.count() == 1

    # outcomes are visible to the city; the pages themselves are not
    client.force_login(world.user(Role.CITY))
    assert batch.pk in ids(client.get("/api/notice-scans/"))
    assert client.get(f"/api/notice-scan-pages/{blank.pk}/image/").status_code == 403
    assert client.post("/api/notice-scans/", {"task": world.task.pk, "files": [scan]}).status_code == 403
    client.force_login(world.other_county_user)
    assert client.get(f"/api/notice-scans/{batch.pk}/").status_code == 404
    assert NoticeTask.objects.get(pk=world.task.pk).status == NoticeTask.Status.PENDING
