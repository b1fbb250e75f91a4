"""信息公布 and 审核合同: several of each, checked values, files, read-only for officials, and open
after the start is submitted (they are the project's records, not the wizard's)."""

from datetime import date, timedelta

from django.urls import reverse

from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.project_start import services
from qingshen.project_start.models import AuditContract, Disclosure
from qingshen.project_start.tests.conftest import fill_everything, fresh, pdf, sign_in


def url(name, pk):
    return reverse(f"project_start:{name}", args=[pk])


def test_disclosures_several_with_files_and_their_rules(world, client):
    sign_in(client, world.user(Role.ENTERPRISE))
    page = url("disclosures", world.project.pk)
    html = client.get(page).content.decode()
    assert 'data-draft="project-start-%d-disclosures"' % world.project.pk in html
    assert 'class="card mb-3 deadlines"' in html
    # 企业官方网站 without a link, and a date in the future: refused beside the fields, typed kept
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = client.post(page, {"new-disclosed_on": tomorrow, "new-channel": "website", "new-note": "保留的说明"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "在企业官方网站公布的，请填写网址链接" in html and "公布日期不能晚于今天" in html and "保留的说明" in html
    # nothing chosen at all: the required fields are named
    html = client.post(page, {"new-note": ""}).content.decode()
    assert "请填写公布日期" in html and "请填写公布方式" in html
    assert not Disclosure.objects.filter(project=world.project).exists()

    response = client.post(page, {"new-disclosed_on": "2021-10-20", "new-channel": "website",
                                  "new-link": "https://example.com/qingshen-test", "new-file": pdf("公布截图.pdf")})
    assert response.status_code == 302
    response = client.post(page, {"new-disclosed_on": "2021-10-22", "new-channel": "media", "new-note": "测试日报第3版"})
    assert response.status_code == 302
    rows = list(Disclosure.objects.filter(project=world.project).order_by("disclosed_on"))
    assert [r.channel for r in rows] == ["website", "media"]
    assert [e.stored.original_name for e in services.evidence.current(rows[0], "file")] == ["公布截图.pdf"]
    html = client.get(page).content.decode()
    assert "公布截图.pdf" in html and "测试日报第3版" in html and "https://example.com/qingshen-test" in html
    event = Event.objects.filter(action="project_start.disclosure.create").latest("seq")
    assert event.object_type == "projects.auditproject" and event.after["channel"] == "media"


def test_disclosure_edit_stale_and_delete(world, client):
    user = fresh(world.user(Role.ENTERPRISE))
    row = services.add_row(user, Disclosure, world.project, disclosed_on=date(2021, 10, 20), channel="media",
                           note="测试晚报")
    sign_in(client, user)
    edit = reverse("project_start:disclosures_edit", args=[row.pk])
    html = client.get(edit).content.decode()
    assert "测试晚报" in html and "公布截图或证明材料" in html  # the evidence panel for the row's file
    services.update_row(user, row, note="别人先改")
    response = client.post(edit, {"row-version": 1, "row-disclosed_on": "2021-10-20", "row-channel": "media",
                                  "row-note": "我改的说明"})
    html = response.content.decode()
    assert response.status_code == 200 and "已被他人修改" in html and "我改的说明" in html
    row.refresh_from_db()
    assert row.note == "别人先改"
    response = client.post(edit, {"row-version": 2, "row-disclosed_on": "2021-10-21", "row-channel": "other",
                                  "row-note": "公告栏"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.disclosed_on, row.channel, row.version) == (date(2021, 10, 21), "other", 3)
    client.post(reverse("project_start:disclosures_delete", args=[row.pk]), {"version": 3})
    assert not Disclosure.objects.filter(pk=row.pk).exists()
    assert Event.objects.filter(action="project_start.disclosure.delete").latest("seq").before["note"] == "公告栏"


def test_contracts_default_to_the_chosen_consultancy_and_check_dates(world, client):
    user = fresh(world.user(Role.ENTERPRISE))
    services.start_for(user, world.project)
    sign_in(client, user)
    page = url("contracts", world.project.pk)
    html = client.get(page).content.decode()
    assert f'<option value="{world.consultancy_org.pk}" selected>' in html
    response = client.post(page, {"new-consultancy": world.consultancy_org.pk, "new-signed_on": "2021-10-10",
                                  "new-amount": "8", "new-original_sent_on": "2021-10-01"})
    html = response.content.decode()
    assert "原件报送日期不能早于签订日期" in html and "is-invalid" in html
    response = client.post(page, {"new-consultancy": world.consultancy_org.pk, "new-signed_on": "2021-10-10",
                                  "new-amount": "-1"})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert not AuditContract.objects.filter(project=world.project).exists()
    response = client.post(page, {"new-consultancy": world.consultancy_org.pk, "new-signed_on": "2021-10-10",
                                  "new-amount": "8.5", "new-original_sent_on": "2021-10-25",
                                  "new-file": pdf("审核合同.pdf")})
    assert response.status_code == 302
    contract = AuditContract.objects.get(project=world.project)
    assert str(contract.amount) == "8.50" and contract.original_sent_on == date(2021, 10, 25)
    assert "原件报送市局日期" in client.get(page).content.decode()


def test_records_stay_open_after_the_start_is_submitted(world, client):
    user = fresh(world.user(Role.ENTERPRISE))
    start = services.start_for(user, world.project)
    fill_everything(user, start)
    start.refresh_from_db()
    services.submit(user, start, expected_version=start.version)
    sign_in(client, user)
    response = client.post(url("disclosures", world.project.pk),
                           {"new-disclosed_on": "2021-10-28", "new-channel": "media", "new-note": "提交后补登"})
    assert response.status_code == 302
    assert Disclosure.objects.filter(project=world.project, note="提交后补登").exists()


def test_consultancy_records_and_officials_read_only(world, client):
    consultancy = fresh(world.user(Role.CONSULTANCY))
    row = services.add_row(consultancy, Disclosure, world.project, disclosed_on=date(2021, 10, 20), channel="media",
                           note="咨询代登")
    sign_in(client, world.user(Role.COUNTY))
    response = client.get(url("disclosures", world.project.pk))
    html = response.content.decode()
    assert response.status_code == 200 and "咨询代登" in html and 'id="record-form"' not in html
    assert client.post(url("disclosures", world.project.pk), {"new-channel": "media"}).status_code == 403
    assert client.get(reverse("project_start:disclosures_edit", args=[row.pk])).status_code == 403
    assert client.post(reverse("project_start:disclosures_delete", args=[row.pk])).status_code == 403
    assert Disclosure.objects.filter(pk=row.pk).exists()
