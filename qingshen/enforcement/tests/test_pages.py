"""The list page (tabs, facts, links) and its .xlsx, read back with openpyxl."""

import io

from openpyxl import load_workbook

from qingshen.core.roles import Role
from qingshen.enforcement.tests.helpers import (
    calendar,
    decided,
    dispatched_letter,
    set_status,
)


def _arrange(world):
    calendar(world, disclosure=-2)
    dispatched_letter(world, world.e_lianchi)  # refused + overdue
    set_status(world.e_lianchi, "suspended")  # … and suspended
    decided(world.project, "failed")  # 涿州: failed + overdue (no disclosure)
    set_status(world.e_changan, "closed")  # 长安: suspended (another city)


def test_tabs_and_lines(world, sign_in):
    _arrange(world)
    client = sign_in(world.user(Role.CITY))
    page = client.get(f"/enforcement/?campaign={world.campaign.pk}").content.decode()
    assert 'data-category="all"' in page
    for label, n in (("全部", 2), ("拒不开展（未接受任务）", 1), ("审核未通过", 1), ("逾期未完成", 2), ("因停产未开展", 1)):
        assert f'{label} <span class="badge ms-1">{n}</span>' in page, label
    assert "涿州测试企业" in page and "莲池测试企业" in page and "长安测试企业" not in page
    assert f'/enforcement/lines/{world.member(world.e_zhuozhou).pk}/history/' in page
    assert "评估不通过" in page and "未接受" in page and "逾期 2 天" in page
    assert "/reviews/handover/?campaign=" in page  # the existing per-stage list, linked not duplicated
    refused = client.get(f"/enforcement/?campaign={world.campaign.pk}&category=refused").content.decode()
    assert "莲池测试企业" in refused and "涿州测试企业" not in refused
    assert client.get(f"/enforcement/?campaign={world.campaign.pk}&category=nonsense").status_code == 404
    assert client.get("/enforcement/?campaign=999999").status_code == 404


def exported(client, capture, data):
    """Start the export as the list's button does (a background job run when the request
    commits) and read back the file its page offers."""
    from qingshen.jobs.models import Job

    with capture(execute=True):
        response = client.post("/enforcement/export/", data)
    job = Job.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    return load_workbook(io.BytesIO(b"".join(download.streaming_content)))


def test_export_reads_back(world, sign_in, django_capture_on_commit_callbacks):
    _arrange(world)
    book = exported(sign_in(world.user(Role.PROVINCE)), django_capture_on_commit_callbacks,
                    {"campaign": world.campaign.pk})
    assert book.sheetnames == ["汇总", "拒不开展（未接受任务）", "审核未通过", "逾期未完成", "因停产未开展", "企业审核履历"]

    def names(sheet):
        return [row[0] for row in book[sheet].iter_rows(min_row=4, values_only=True)]

    assert book["汇总"].cell(3, 1).value == "企业名称"
    assert sorted(names("汇总")) == sorted(["涿州测试企业", "莲池测试企业", "长安测试企业"])
    assert names("拒不开展（未接受任务）") == ["莲池测试企业"]
    assert names("审核未通过") == ["涿州测试企业"]
    assert sorted(names("因停产未开展")) == ["莲池测试企业", "长安测试企业"]
    summary = {row[0]: row for row in book["汇总"].iter_rows(min_row=4, values_only=True)}
    assert summary["莲池测试企业"][5] == "拒不开展（未接受任务）、逾期未完成、因停产未开展"
    history = list(book["企业审核履历"].iter_rows(min_row=4, values_only=True))
    assert any(r[0] == "涿州测试企业" and r[3] == "审核结果" and r[4].startswith("评估审核结果：不通过") for r in history)
    assert any(r[0] == "莲池测试企业" and r[3] == "告知书" for r in history)


def test_export_of_one_category(world, sign_in, django_capture_on_commit_callbacks):
    _arrange(world)
    client = sign_in(world.user(Role.COUNTY))
    book = exported(client, django_capture_on_commit_callbacks, {"campaign": world.campaign.pk, "category": "failed"})
    assert book.sheetnames == ["审核未通过", "企业审核履历"]
    assert [r[0] for r in book["审核未通过"].iter_rows(min_row=4, values_only=True)] == ["涿州测试企业"]
    from qingshen.jobs.models import Job

    before = Job.objects.count()
    assert client.post("/enforcement/export/", {"campaign": world.campaign.pk, "category": "nonsense"}).status_code == 404
    assert Job.objects.count() == before


def test_menu_item_for_officials(world, sign_in):
    assert "执法移交清单" in sign_in(world.user(Role.COUNTY)).get("/help/").content.decode()
    assert "执法移交清单" not in sign_in(world.user(Role.ENTERPRISE)).get("/help/").content.decode()
