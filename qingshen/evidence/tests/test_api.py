"""/api/evidence/: the same services, rules and Chinese messages as the panel."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingshen.core.roles import Role
from qingshen.evidence import services
from qingshen.evidence.models import Evidence
from qingshen.evidence.tests.helpers import project_slots, upload
from qingshen.files.tests import samples
from qingshen.projects.tests.jurisdiction import other_project

pytestmark = pytest.mark.django_db

URL = "/api/evidence/"


def attach_form(project, **extra):
    data = {"owner_type": "projects.auditproject", "owner_id": project.pk, "slot": "general"}
    data.update(extra)
    return data


def test_create_replace_withdraw_and_download(world, login):
    client = login(world.user(Role.CONSULTANCY))
    content = samples.xlsx_bytes()
    created = client.post(URL, attach_form(world.project, file=upload("监测数据（虚构）.xlsx", content),
                                           title="监测数据", document_date="2022-01-10"))
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["version"], body["version_count"], body["is_current"], body["owner_type"], body["slot"]) == (
        1, 1, True, "projects.auditproject", "general")
    assert (body["file_name"], body["title"], body["document_date"]) == ("监测数据（虚构）.xlsx", "监测数据", "2022-01-10")
    assert body["mime"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    download = client.get(f"{URL}{body['id']}/download/")
    assert b"".join(download.streaming_content) == content

    replaced = client.post(f"{URL}{body['id']}/replace/", {"file": upload("监测数据-修订（虚构）.pdf")})
    assert replaced.status_code == 200, replaced.content
    new = replaced.json()
    assert (new["version"], new["version_count"], new["series"], new["document_date"]) == (
        2, 2, body["series"], "2022-01-10")
    old = client.get(f"{URL}{body['id']}/").json()
    assert old["superseded_at"] is not None and old["is_current"] is False

    withdrawn = client.post(f"{URL}{new['id']}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"] is not None
    assert client.get(URL).json()["count"] == 0
    assert client.get(URL, {"current": "false"}).json()["count"] == 2


def test_refusals_carry_the_services_messages(world, login):
    client = login(world.user(Role.ENTERPRISE))
    response = client.post(URL, attach_form(world.project, file=upload("报告.pdf", samples.EXE)))
    assert response.status_code == 400
    assert response.json() == {"file": ["文件“报告.pdf”实际是 EXE 文件，只能上传 PDF、JPG、PNG、DOCX、XLSX、DOC、XLS 文件。"]}
    response = client.post(URL, attach_form(world.project, file=upload("空.pdf", b"")))
    assert response.json() == {"file": ["文件“空.pdf”是空的。"]}
    content = samples.pdf_bytes(2)
    assert client.post(URL, attach_form(world.project, file=upload("原件（虚构）.pdf", content))).status_code == 201
    response = client.post(URL, attach_form(world.project, file=upload("副本.pdf", content)))
    assert response.status_code == 400 and "与已上传的“原件（虚构）.pdf”" in response.json()["non_field_errors"][0]
    response = client.post(URL, attach_form(world.project, slot="photos", file=upload("照片.png", samples.png_bytes())))
    assert response.json() == {"non_field_errors": ["未知的材料类别“photos”。"]}
    assert client.post(f"{URL}{Evidence.objects.get().pk}/replace/", {}).json() == {"file": ["请选择新版本的文件。"]}


def test_locked_evidence_is_refused(world, login):
    evidence = services.attach(world.user(Role.ENTERPRISE), world.project, upload(), slot="general")
    services.lock_for_project(world.project, world.user(Role.COUNTY))
    client = login(world.user(Role.ENTERPRISE))
    response = client.post(f"{URL}{evidence.pk}/withdraw/")
    assert response.status_code == 400 and "材料已锁定" in response.json()["non_field_errors"][0]
    assert client.get(f"{URL}{evidence.pk}/").json()["locked_at"] is not None


def test_who_may_create(world, login):
    lianchi = other_project(world, world.e_lianchi, "202113060600001")
    client = login(world.user(Role.ENTERPRISE))
    assert client.post(URL, attach_form(lianchi, file=upload())).status_code == 404
    assert client.post(URL, attach_form(world.project, owner_type="accounts.user", file=upload())).status_code == 404
    for role in (Role.COUNTY, Role.CITY, Role.PROVINCE, Role.EXPERT):
        client = login(world.user(role))
        assert client.post(URL, attach_form(world.project, file=upload())).status_code == 403, role
    assert not Evidence.objects.exists()


def test_filters(world, login):
    enterprise = world.user(Role.ENTERPRISE)
    with project_slots({"general": "其他材料", "photos": "现场照片"}):
        general = services.attach(enterprise, world.project, upload(), slot="general")
        photo = services.attach(enterprise, world.project, upload("照片（虚构）.png", samples.png_bytes()), slot="photos")
    client = login(world.user(Role.CONSULTANCY))

    def ids(**params):
        return {row["id"] for row in client.get(URL, params).json()["results"]}

    assert ids() == {general.pk, photo.pk}
    assert ids(slot="photos") == {photo.pk}
    assert ids(project=world.project.pk, owner_type="projects.auditproject", owner_id=world.project.pk) == {
        general.pk, photo.pk}
    assert ids(owner_type="filings.phasefiling") == set()
    assert ids(project=world.project.pk + 1000) == set()


def test_list_queries_do_not_grow_with_rows(world, login):
    enterprise = world.user(Role.ENTERPRISE)
    client = login(world.user(Role.CONSULTANCY))

    def add(count, start):
        for n in range(start, start + count):
            services.attach(enterprise, world.project, upload(f"图{n}（虚构）.png", samples.png_bytes(size=(30 + n, 30))),
                            slot="general")

    def count_queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get(URL)
        assert response.status_code == 200
        return len(context), response.json()["count"]

    add(2, 0)
    client.get(URL)  # warm caches
    small, rows_small = count_queries()
    add(10, 10)
    large, rows_large = count_queries()
    assert (rows_small, rows_large) == (2, 12)
    assert large == small, f"{small} queries for 2 rows, {large} for 12"
