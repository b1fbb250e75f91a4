"""The evidence panel (template tag) and its endpoints: upload, replace, withdraw, download,
thumbnail, versions — for the enterprise, its consultancy, officials and strangers."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingshen.core.roles import Role
from qingshen.evidence import services
from qingshen.evidence.models import Evidence
from qingshen.evidence.tests.helpers import make_evidence, upload
from qingshen.files.tests import samples
from qingshen.projects.tests.jurisdiction import other_project

pytestmark = pytest.mark.django_db

PANEL = Template('{% load evidence %}{% evidence_panel project slot="general" label="其他材料" %}')
PAGE = "/projects/{}/"


def render_panel(user, project):
    """The panel as a page would render it (a RequestContext: user, csrf token, request)."""
    request = RequestFactory().get(PAGE.format(project.pk))
    request.user = user
    request.session = {}
    return PANEL.render(RequestContext(request, {"project": project}))


def post_form(project, **extra):
    data = {"owner_type": "projects.auditproject", "owner_id": project.pk, "slot": "general", "label": "其他材料",
            "next": PAGE.format(project.pk)}
    data.update(extra)
    return data


def messages_of(response):
    """The messages this response added (earlier ones wait in the cookie until shown)."""
    return [str(m) for m in get_messages(response.wsgi_request)._queued_messages]


# --- the panel -------------------------------------------------------------------------------


def test_panel_lists_files_with_thumbnail_dates_and_versions(world):
    enterprise = world.user(Role.ENTERPRISE)
    photo = services.attach(enterprise, world.project, upload("现场照片（虚构）.jpg", samples.jpeg_bytes(
        taken="2022:01:15 10:30:00")), slot="general")
    report = services.attach(enterprise, world.project, upload("报告（虚构）.pdf"), slot="general", title="审核报告",
                             document_date="2022-02-01")
    report = services.replace(enterprise, report, upload("报告二版（虚构）.docx", samples.docx_bytes()))
    html = render_panel(enterprise, world.project)
    assert reverse("evidence:thumbnail", args=[photo.pk]) in html
    assert "拍摄时间：2022-01-15 10:30" in html
    assert "审核报告" in html and "报告二版（虚构）.docx" in html and "文件日期：2022-02-01" in html
    assert "共 2 个版本" in html and reverse("evidence:versions", args=[report.pk]) in html
    assert reverse("evidence:upload") in html and 'value="projects.auditproject"' in html
    assert 'name="csrfmiddlewaretoken"' in html and f'name="next" value="{PAGE.format(world.project.pk)}"' in html
    assert reverse("evidence:replace", args=[report.pk]) in html
    assert reverse("evidence:withdraw", args=[report.pk]) in html


def test_officials_see_the_files_without_the_forms(world):
    make_evidence(world.project, world.user(Role.ENTERPRISE), name="只读材料（虚构）.pdf")
    html = render_panel(world.user(Role.COUNTY), world.project)
    assert "只读材料（虚构）.pdf" in html
    assert reverse("evidence:upload") not in html and "替换" not in html and "删除" not in html


def test_locked_files_have_no_replace_or_withdraw(world):
    evidence = make_evidence(world.project, world.user(Role.ENTERPRISE))
    services.lock_for_project(world.project, world.user(Role.COUNTY))
    html = render_panel(world.user(Role.ENTERPRISE), world.project)
    assert "已锁定" in html
    assert reverse("evidence:replace", args=[evidence.pk]) not in html
    assert reverse("evidence:upload") in html  # new files may still be added


def test_panel_queries_do_not_grow_with_files(world):
    enterprise = world.user(Role.ENTERPRISE)

    def add(count, start):
        for n in range(start, start + count):
            services.attach(enterprise, world.project, upload(f"照片{n}（虚构）.png", samples.png_bytes(size=(20 + n, 20))),
                            slot="general")

    def count_queries():
        with CaptureQueriesContext(connection) as context:
            html = render_panel(enterprise, world.project)
        return len(context), html.count('class="list-group-item evidence-row"')

    add(2, 0)
    render_panel(enterprise, world.project)  # warm the content-type cache
    small, rows_small = count_queries()
    add(10, 10)
    large, rows_large = count_queries()
    assert (rows_small, rows_large) == (2, 12)
    assert large == small, f"{small} queries for 2 files, {large} for 12"


# --- upload ----------------------------------------------------------------------------------


def test_upload_goes_back_to_the_page_with_a_message(world, login):
    client = login(world.user(Role.CONSULTANCY))
    response = client.post(reverse("evidence:upload"), post_form(
        world.project, file=upload("现场照片（虚构）.jpg", samples.jpeg_bytes()), title="车间照片",
        document_date="2022-01-15"))
    assert response.status_code == 302 and response["Location"] == PAGE.format(world.project.pk)
    evidence = Evidence.objects.get()
    assert (evidence.title, str(evidence.document_date), evidence.uploaded_by) == (
        "车间照片", "2022-01-15", world.user(Role.CONSULTANCY))
    assert evidence.thumbnail is not None
    assert messages_of(response) == ["已上传：车间照片"]


def test_a_refused_upload_comes_back_with_the_chinese_message(world, login):
    client = login(world.user(Role.ENTERPRISE))
    response = client.post(reverse("evidence:upload"), post_form(world.project, file=upload("报告.pdf", samples.EXE)))
    assert response.status_code == 302
    assert messages_of(response) == ["文件“报告.pdf”实际是 EXE 文件，只能上传 PDF、JPG、PNG、DOCX、XLSX、DOC、XLS 文件。"]
    response = client.post(reverse("evidence:upload"), post_form(world.project, document_date="2022-13-40",
                                                                 file=upload()))
    assert messages_of(response) == ["请填写正确的日期，如 2022-01-15。"]
    assert not Evidence.objects.exists()


def test_htmx_upload_answers_with_the_panel_and_keeps_what_was_typed(world, login):
    client = login(world.user(Role.ENTERPRISE))
    response = client.post(reverse("evidence:upload"), post_form(
        world.project, file=upload("空.pdf", b""), title="环评批复", document_date="2021-06-30"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "文件“空.pdf”是空的。" in html
    assert 'value="环评批复"' in html and 'value="2021-06-30"' in html
    response = client.post(reverse("evidence:upload"), post_form(world.project, file=upload("环评批复（虚构）.pdf")),
                           HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "已上传：环评批复（虚构）.pdf" in html and 'class="list-group-item evidence-row"' in html


def test_an_htmx_change_tells_the_page_its_files_changed_and_a_refusal_does_not(world, login):
    """The page around the panel (a phase's 提交 box) listens for evidence-changed to update."""
    client = login(world.user(Role.ENTERPRISE))
    refused = client.post(reverse("evidence:upload"), post_form(world.project, file=upload("空.pdf", b"")),
                          HTTP_HX_REQUEST="true")
    assert "HX-Trigger" not in refused
    added = client.post(reverse("evidence:upload"), post_form(world.project, file=upload("计划（虚构）.pdf")),
                        HTTP_HX_REQUEST="true")
    assert added["HX-Trigger"] == "evidence-changed"
    evidence = Evidence.objects.get()
    replaced = client.post(reverse("evidence:replace", args=[evidence.pk]),
                           {"file": upload("计划（修订）.png", samples.png_bytes())}, HTTP_HX_REQUEST="true")
    assert replaced["HX-Trigger"] == "evidence-changed"
    withdrawn = client.post(reverse("evidence:withdraw", args=[Evidence.objects.get(version=2).pk]),
                            HTTP_HX_REQUEST="true")
    assert withdrawn["HX-Trigger"] == "evidence-changed"
    plain = client.post(reverse("evidence:upload"), post_form(world.project, file=upload("另一份（虚构）.pdf",
                                                                                        samples.pdf_bytes(3))))
    assert plain.status_code == 302 and "HX-Trigger" not in plain  # no htmx: the page is reloaded anyway


def test_duplicate_upload_names_the_earlier_file(world, login):
    client = login(world.user(Role.ENTERPRISE))
    content = samples.pdf_bytes(2)
    client.post(reverse("evidence:upload"), post_form(world.project, file=upload("原件（虚构）.pdf", content)))
    response = client.post(reverse("evidence:upload"), post_form(world.project, file=upload("又一份.pdf", content)))
    assert "与已上传的“原件（虚构）.pdf”" in messages_of(response)[0]
    assert Evidence.objects.count() == 1


def test_upload_to_a_project_outside_the_jurisdiction_is_404_and_for_officials_403(world, login):
    lianchi = other_project(world, world.e_lianchi, "202113060600001")
    client = login(world.user(Role.ENTERPRISE))
    assert client.post(reverse("evidence:upload"), post_form(lianchi, file=upload())).status_code == 404
    assert client.post(reverse("evidence:upload"), post_form(world.project, owner_type="accounts.user",
                                                             file=upload())).status_code == 404
    client = login(world.user(Role.COUNTY))
    assert client.post(reverse("evidence:upload"), post_form(world.project, file=upload())).status_code == 403
    assert not Evidence.objects.exists()


def test_an_unsafe_next_address_is_not_followed(world, login):
    client = login(world.user(Role.ENTERPRISE))
    response = client.post(reverse("evidence:upload"), post_form(world.project, next="https://evil.example/",
                                                                 file=upload()))
    assert response["Location"] == world.project.get_absolute_url()


# --- replace, withdraw, download, thumbnail, versions -----------------------------------------


def test_replace_and_withdraw_through_the_panel(world, login):
    client = login(world.user(Role.ENTERPRISE))
    first = services.attach(world.user(Role.ENTERPRISE), world.project, upload(), slot="general")
    response = client.post(reverse("evidence:replace", args=[first.pk]),
                           {"file": upload("新版（虚构）.xlsx", samples.xlsx_bytes()), "next": PAGE.format(world.project.pk)})
    assert response.status_code == 302 and messages_of(response) == ["已替换为第 2 版：新版（虚构）.xlsx"]
    second = Evidence.objects.get(series=first.series, version=2)
    # The stale page still shows version 1.
    response = client.post(reverse("evidence:replace", args=[first.pk]), {"file": upload("再版.png", samples.png_bytes())},
                           HTTP_HX_REQUEST="true")
    assert "已被替换为第 2 版" in response.content.decode()
    response = client.post(reverse("evidence:withdraw", args=[second.pk]), HTTP_HX_REQUEST="true")
    assert "已删除：新版（虚构）.xlsx（历史版本仍保留）" in response.content.decode()
    assert not services.current(world.project).exists()


def test_download_thumbnail_and_versions(world, login):
    enterprise = world.user(Role.ENTERPRISE)
    content = samples.jpeg_bytes(taken="2022:01:15 10:30:00")
    first = services.attach(enterprise, world.project, upload("现场照片（虚构）.jpg", content), slot="general")
    second = services.replace(enterprise, first, upload("现场照片-补拍（虚构）.pdf"))
    client = login(world.user(Role.COUNTY))  # officials read
    response = client.get(reverse("evidence:download", args=[first.pk]))
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment")
    thumbnail = client.get(reverse("evidence:thumbnail", args=[first.pk]))
    assert thumbnail["Content-Type"] == "image/jpeg"
    assert client.get(reverse("evidence:thumbnail", args=[second.pk])).status_code == 404  # a PDF has none
    partial = client.get(reverse("evidence:versions", args=[second.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "第 2 版" in partial and "第 1 版" in partial and "已被替换" in partial and "<html" not in partial
    page = client.get(reverse("evidence:versions", args=[first.pk])).content.decode()
    assert "<html" in page and "现场照片-补拍（虚构）.pdf" in page and world.project.number in page


def test_another_enterprise_gets_404_for_the_file(world, login):
    evidence = make_evidence(world.project, world.user(Role.ENTERPRISE))
    client = login(world.other_enterprise_user)
    for name in ("evidence:download", "evidence:versions"):
        assert client.get(reverse(name, args=[evidence.pk])).status_code == 404
    assert client.post(reverse("evidence:withdraw", args=[evidence.pk])).status_code == 404
    evidence.refresh_from_db()
    assert evidence.withdrawn_at is None
