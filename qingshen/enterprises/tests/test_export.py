"""Export of the filtered list to .xlsx as a background job, and the export → import round trip."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_enterprise
from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.enterprises import importing, services
from qingshen.enterprises.models import Enterprise
from qingshen.enterprises.tests.helpers import (
    FAKE_USCC_1,
    SEED_CSV,
    messages_of,
    page_text,
    preview_rows,
    read_xlsx,
    upload_ok,
)
from qingshen.industries.models import Industry
from qingshen.jobs.models import Job

HEADERS = [c.header for c in importing.COLUMNS]


def export(client, capture, query=""):
    """Start the export as the list page's button does; the job runs when the request commits."""
    with capture(execute=True):
        response = client.post("/enterprises/export/", {"query": query})
    job = Job.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    return job


def download(client, job) -> list[list]:
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return read_xlsx(b"".join(response.streaming_content))


def listed_names(client, query=""):
    """Every name the list page shows for the query, over all its pages."""
    names, page = [], 1
    while True:
        response = client.get(f"/enterprises/?{query}&page={page}")
        names += [e.name for e in response.context["object_list"]]
        if not response.context["page_obj"].has_next():
            return names
        page += 1


def test_export_runs_as_a_job_and_its_page_offers_the_file(world, login, django_capture_on_commit_callbacks):
    client = login(world.user(Role.COUNTY))
    job = export(client, django_capture_on_commit_callbacks)
    assert (job.kind, job.title, job.owner, job.status) == ("enterprises.export", "导出企业名录", world.user(Role.COUNTY), "succeeded")
    page = client.get(f"/jobs/{job.pk}/")
    assert "已完成：1 / 1" in page_text(page)
    assert f'href="/jobs/{job.pk}/download/"' in page.content.decode()
    assert "下载 企业名录.xlsx" in page_text(page)
    assert 'hx-trigger' not in page.content.decode()  # finished: no more polling
    rows = download(client, job)
    assert rows[0] == HEADERS
    assert [r[0] for r in rows[1:]] == ["涿州测试企业"]


@pytest.mark.parametrize("role, query", [
    (Role.COUNTY, ""),
    (Role.COUNTY, "double_exceed=true"),
    (Role.COUNTY, "region=130606"),  # someone else's county: nothing of it, ever
    (Role.COUNTY, "q=测试"),
    (Role.CITY, "division=33&status=running"),
    (Role.CITY, "region=130606"),
    (Role.PROVINCE, "double_exceed=true"),
    (Role.PROVINCE, "q=莲池"),
])
def test_export_holds_exactly_the_rows_of_the_filtered_list(world, login, django_capture_on_commit_callbacks, role, query):
    make_enterprise("导出测试甲", "130681", double_exceed=True)
    make_enterprise("导出测试乙", "130681", status="closed")
    make_enterprise("导出测试莲池", "130606", double_exceed=True, industry=Industry.objects.get(code="1522"))
    make_enterprise("导出测试长安", "130102", double_exceed=True)
    client = login(world.user(role))
    rows = download(client, export(client, django_capture_on_commit_callbacks, query))
    exported = [r[0] for r in rows[1:]]
    assert exported == listed_names(client, query)
    visible = set(Enterprise.objects.restrict(world.user(role)).values_list("name", flat=True))
    assert set(exported) <= visible
    if role == Role.COUNTY:
        assert {r[HEADERS.index("区划代码")] for r in rows[1:]} <= {"130681"}


def test_exported_row_carries_every_column_in_the_import_wording(world, login, django_capture_on_commit_callbacks):
    make_enterprise(
        "全字段测试企业(本部)", "130681", uscc=FAKE_USCC_1, town="松林店镇", village="东村", address="涿州市某路 9 号",
        legal_representative="周八", industry=Industry.objects.get(code="1522"), nature="私营有限责任公司",
        employees=1200, working_days=300, status="suspended", double_exceed=True, double_toxic=False,
        water_related=True, in_approved_park=True, centralized_treatment=False, permit_number="91130681MA00000016001V",
        permit_category="key",
    )
    client = login(world.user(Role.COUNTY))
    rows = download(client, export(client, django_capture_on_commit_callbacks, "q=全字段"))
    assert dict(zip(HEADERS, rows[1])) == {
        "企业名称": "全字段测试企业(本部)", "统一社会信用代码": FAKE_USCC_1, "所属城市": "保定市", "所属区县": "涿州市",
        "区划代码": "130681", "乡镇（街道）": "松林店镇", "村（社区）": "东村", "地址": "涿州市某路 9 号",
        "法定代表人": "周八", "行业代码": "1522", "行业大类名称": "酒、饮料和精制茶制造业",
        "行业名称": "瓶（罐）装饮用水制造", "企业性质": "私营有限责任公司", "从业人数": 1200, "年工作日（天）": 300,
        "企业状态": "停产", "是否双超": "是", "是否双有": "否", "是否涉水企业": "是",
        "是否位于规划环评通过的工业园区": "是", "废水是否进入污水集中治理设施": "否",
        "排污许可证编号": "91130681MA00000016001V", "排污许可管理类别": "重点管理",
    }


def test_export_then_import_changes_nothing(world, login, django_capture_on_commit_callbacks):
    """The seed list plus awkward made-up cases (city-level 定州, 容城县 under 雄安新区, a division-only
    industry, blanks) exported by the province and imported back: no errors, no changes."""
    province = world.user(Role.PROVINCE)
    seed_batch, _ = services.receive_import(province, SimpleUploadedFile(SEED_CSV.name, SEED_CSV.read_bytes()))
    services.apply_import(province, seed_batch)
    make_enterprise("容城往返测试企业", "130629", industry=Industry.objects.get(code="35"), nature="国有",
                    permit_category="registration", employees=0, water_related=False)
    total = Enterprise.objects.count()
    assert total == 4 + 77 + 1
    versions = dict(Enterprise.objects.values_list("pk", "version"))
    events = Event.objects.count()

    client = login(province)
    job = export(client, django_capture_on_commit_callbacks)
    content = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
    assert len(read_xlsx(content)) == total + 1

    batch = upload_ok(client, "企业名录.xlsx", content)
    preview = client.get(f"/enterprises/import/{batch.pk}/")
    assert f"共 {total} 行：将新增 0 家，更新 0 家，无变化 {total} 家；有错误 0 行，有提示 0 行。" in page_text(preview)
    assert all("无变化" in text for text in preview_rows(preview).values())
    response = client.post(f"/enterprises/import/{batch.pk}/", {"action": "apply"}, follow=True)
    assert "导入完成：新增 0 家，更新 0 家。" in messages_of(response)
    assert dict(Enterprise.objects.values_list("pk", "version")) == versions
    written = Event.objects.filter(seq__gt=events, action__startswith="enterprise.")
    assert list(written.values_list("action", flat=True)) == ["enterprise.import"]


def test_county_round_trip_of_its_own_export(world, login, django_capture_on_commit_callbacks):
    make_enterprise("县级往返测试企业", "130681", uscc=FAKE_USCC_1, working_days=250, status="closed")
    client = login(world.user(Role.COUNTY))
    job = export(client, django_capture_on_commit_callbacks)
    content = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
    preview = importing.check_file(world.user(Role.COUNTY), "企业名录.xlsx", content)
    assert preview.is_clean
    assert [r.action for r in preview.rows] == ["unchanged", "unchanged"]


def test_only_the_owner_sees_and_downloads_the_export(world, login, django_capture_on_commit_callbacks, client):
    job = export(login(world.user(Role.COUNTY)), django_capture_on_commit_callbacks)
    for other in (world.other_county_user, world.user(Role.PROVINCE), world.user(Role.SYSADMIN)):
        intruder = login(other)
        assert intruder.get(f"/jobs/{job.pk}/").status_code == 404
        assert intruder.get(f"/jobs/{job.pk}/download/").status_code == 404
        assert "导出企业名录" not in page_text(intruder.get("/jobs/"))
    client.logout()
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_export_needs_the_permission(world, login):
    assert login(world.user(Role.ENTERPRISE)).post("/enterprises/export/", {"query": ""}).status_code == 403
    assert not Job.objects.exists()
