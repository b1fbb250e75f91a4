"""Who may do what: the consultancy fills but does not submit, nor change who is delegated; the
enterprise's choice of consultancy moves its Delegation; officials read; others see nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conftest import make_user
from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.enterprises.models import Delegation
from qingshen.organizations.models import Organization
from qingshen.project_start import services
from qingshen.project_start.models import Product, ProjectStart
from qingshen.project_start.tests.conftest import fill_everything, fresh, sign_in
from qingshen.projects.models import AuditProject
from qingshen.projects.tests.jurisdiction import other_project
from qingshen.regions.models import Region


def url(name, pk):
    return reverse(f"project_start:{name}", args=[pk])


def another_consultancy(code="ZX0002", name="另一测试咨询公司"):
    organization = Organization.objects.create(kind=Organization.Kind.CONSULTANCY, name=name, account_code=code,
                                               region=Region.objects.get(code="130600"))
    return organization, make_user(code, organization)


def test_consultancy_fills_every_step_but_cannot_submit(world, client):
    consultancy = fresh(world.user(Role.CONSULTANCY))
    sign_in(client, consultancy)
    response = client.get(url("detail", world.project.pk))  # a consultancy's first visit creates it too
    assert response.status_code == 200 and 'id="start-form"' in response.content.decode()
    start = ProjectStart.objects.get(pk=world.project.pk)
    response = client.post(url("detail", start.pk), {
        "version": start.version, "enterprise_name": "涿州测试企业", "legal_representative": "咨询代填法人",
        "action": "next"})
    assert response.status_code == 302
    start.refresh_from_db()
    assert start.legal_representative == "咨询代填法人"
    # the audit mode and consultancy it cannot change were left as they were
    assert start.audit_mode == "consultancy" and start.consultancy_id == world.consultancy_org.pk
    client.post(url("products", start.pk), {"new-name": "咨询代填产品", "action": "save"})
    product = Product.objects.get(project=world.project, name="咨询代填产品")
    client.post(reverse("project_start:products_delete", args=[product.pk]), {"version": product.version})
    assert not Product.objects.filter(pk=product.pk).exists()

    fill_everything(consultancy, start)
    start.refresh_from_db()
    page = client.get(url("submit", start.pk)).content.decode()
    assert 'id="submit-form"' not in page and "提交须由企业本身" in page
    response = client.post(url("submit", start.pk), {"version": start.version})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.submit(consultancy, start)
    start.refresh_from_db()
    assert start.status == "draft"
    # the enterprise submits what its consultancy filled
    services.submit(fresh(world.user(Role.ENTERPRISE)), start, expected_version=start.version)
    start.refresh_from_db()
    assert start.status == "submitted"


def test_consultancy_may_not_change_the_audit_mode(world):
    consultancy = fresh(world.user(Role.CONSULTANCY))
    start = services.start_for(consultancy, world.project)
    with pytest.raises(PermissionDenied, match="由企业本身选择"):
        services.save_basic(consultancy, start, audit_mode="self")
    other, _ = another_consultancy()
    with pytest.raises(PermissionDenied):
        services.save_basic(consultancy, start, consultancy=other)
    start.refresh_from_db()
    assert start.audit_mode == "consultancy" and start.consultancy == world.consultancy_org
    assert Delegation.objects.get(enterprise=world.e_zhuozhou, consultancy=world.consultancy_org).is_active


def test_switching_consultancy_moves_the_delegation_and_the_old_one_loses_sight(world, client):
    enterprise_user = fresh(world.user(Role.ENTERPRISE))
    start = services.start_for(enterprise_user, world.project)
    other, other_user = another_consultancy()
    assert not AuditProject.objects.restrict(other_user).filter(pk=world.project.pk).exists()

    sign_in(client, enterprise_user)
    response = client.post(url("detail", start.pk), {
        "version": start.version, "enterprise_name": "涿州测试企业", "audit_mode": "consultancy",
        "consultancy": other.pk, "action": "save"})
    assert response.status_code == 302
    old = Delegation.objects.get(enterprise=world.e_zhuozhou, consultancy=world.consultancy_org)
    new = Delegation.objects.get(enterprise=world.e_zhuozhou, consultancy=other)
    assert not old.is_active and new.is_active
    assert Event.objects.filter(action="delegation.end", object_id=str(old.pk)).exists()
    created = Event.objects.get(action="delegation.create", object_id=str(new.pk))
    assert created.after["consultancy"] == other.pk and created.county_code == "130681"

    # the new consultancy sees and fills the project; the old one gets 404 everywhere
    sign_in(client, other_user)
    assert client.get(url("detail", start.pk)).status_code == 200
    sign_in(client, world.user(Role.CONSULTANCY))
    assert client.get(url("detail", start.pk)).status_code == 404
    assert client.get(url("products", start.pk)).status_code == 404
    assert client.get(reverse("projectstart-detail", args=[start.pk])).status_code == 404

    # 自行开展 ends the new delegation as well; the consultancy field is emptied
    start.refresh_from_db()
    services.save_basic(enterprise_user, start, audit_mode="self", consultancy=other)
    start.refresh_from_db()
    assert start.audit_mode == "self" and start.consultancy is None
    assert not Delegation.objects.filter(enterprise=world.e_zhuozhou, is_active=True).exists()
    assert not AuditProject.objects.restrict(other_user).filter(pk=world.project.pk).exists()


def test_officials_read_but_do_not_fill(world, client):
    start = services.start_for(fresh(world.user(Role.ENTERPRISE)), world.project)
    fill_everything(fresh(world.user(Role.ENTERPRISE)), start)
    for role in (Role.COUNTY, Role.CITY, Role.PROVINCE):
        sign_in(client, world.user(role))
        for step in ("detail", "products", "eia", "monitoring", "acceptance", "submit", "disclosures", "contracts"):
            response = client.get(url(step, start.pk))
            assert response.status_code == 200, (role, step)
            html = response.content.decode()
            assert 'id="start-form"' not in html and 'id="record-form"' not in html, (role, step)
            assert 'class="card mb-3 deadlines"' in html
        assert "测试棉布" in client.get(url("products", start.pk)).content.decode()
        assert "环评批复-测试.pdf" in client.get(url("eia", start.pk)).content.decode()
        response = client.post(url("detail", start.pk), {"legal_representative": "官员改", "action": "save"})
        assert response.status_code == 403
        assert client.post(url("submit", start.pk), {}).status_code == 403
        product = Product.objects.get(project=world.project)
        assert client.get(reverse("project_start:products_edit", args=[product.pk])).status_code == 403
    start.refresh_from_db()
    assert start.legal_representative == "测试法人" and start.status == "draft"


def test_an_official_before_the_enterprise_begins_sees_that_it_has_not(world, client):
    sign_in(client, world.user(Role.COUNTY))
    response = client.get(url("detail", world.project.pk))
    assert response.status_code == 200 and "企业尚未开始填报" in response.content.decode()
    assert not ProjectStart.objects.filter(pk=world.project.pk).exists()


def test_another_enterprise_and_another_county_get_404(world, client):
    lianchi = other_project(world, world.e_lianchi, "202113060600099")
    sign_in(client, world.user(Role.ENTERPRISE))
    for step in ("detail", "products", "submit", "disclosures", "contracts"):
        assert client.get(url(step, lianchi.pk)).status_code == 404
    assert client.post(url("detail", lianchi.pk), {"action": "save"}).status_code == 404
    assert not ProjectStart.objects.filter(pk=lianchi.pk).exists()
    sign_in(client, world.other_county_user)
    assert client.get(url("detail", world.project.pk)).status_code == 404
    with pytest.raises(PermissionDenied):
        services.start_for(fresh(world.other_enterprise_user), world.project)


def test_roles_without_the_permission_get_403(world, client):
    for role in (Role.EXPERT, Role.PERMIT_AUTHORITY, Role.SYSADMIN):
        sign_in(client, world.user(role))
        assert client.get(url("detail", world.project.pk)).status_code == 403
        assert client.get(reverse("project_start:list")).status_code == 403
