"""Adding and editing consultancies and expert institutions (province and system
administrators only), in the audit trail; departments are not edited by hand."""

import pytest
from django.core.exceptions import PermissionDenied
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from conftest import department, make_user
from qingshen.audit_trail.models import Event
from qingshen.core.roles import Role
from qingshen.organizations import services
from qingshen.organizations.models import Organization


def form(**changes):
    data = {"kind": "consultancy", "name": "河北清源环境咨询有限公司", "region": "130600", "uscc": "",
            "contact_person": "王工", "contact_phone": "0312-5550000", "is_active": "on"}
    data.update(changes)
    return data


def test_account_codes_start_from_one_for_each_kind(db, client):
    admin = make_user("root", None, role=Role.SYSADMIN)
    client.force_login(admin)

    client.post("/organizations/add/", form())
    client.post("/organizations/add/", form(name="第二家咨询公司"))
    client.post("/organizations/add/", form(kind="expert_institution", name="河北大学", region="130000"))

    codes = dict(Organization.objects.filter(kind__in=["consultancy", "expert_institution"])
                 .values_list("name", "account_code"))
    assert codes == {"河北清源环境咨询有限公司": "ZX0001", "第二家咨询公司": "ZX0002", "河北大学": "ZJ0001"}


def test_the_province_adds_a_consultancy(world, client):
    province = world.user(Role.PROVINCE)
    client.force_login(province)
    assertContains(client.get("/organizations/"), "添加咨询机构或专家单位")

    response = client.post("/organizations/add/", form())

    org = Organization.objects.get(name="河北清源环境咨询有限公司")
    assertRedirects(response, f"/organizations/{org.pk}/", fetch_redirect_response=False)
    assert org.kind == "consultancy" and org.account_code == "ZX0002"  # the world holds ZX0001
    assert org.role == Role.CONSULTANCY and org.city_code == "130600"
    assertContains(client.get(f"/organizations/{org.pk}/"), "已保存：河北清源环境咨询有限公司")
    (event,) = Event.objects.filter(action="organization.create")
    assert event.actor == province and event.organization_name == "河北省生态环境厅"
    assert event.object_id == str(org.pk) and event.after["account_code"] == "ZX0002"
    assert event.summary == "添加单位 河北清源环境咨询有限公司"


def test_a_sysadmin_adds_an_expert_institution(world, client):
    client.force_login(world.user(Role.SYSADMIN))

    client.post("/organizations/add/", form(kind="expert_institution", name="河北科技大学", region="130000"))

    org = Organization.objects.get(name="河北科技大学")
    assert org.account_code == "ZJ0002" and org.role == Role.EXPERT
    assert Event.objects.get(action="organization.create").actor == world.user(Role.SYSADMIN)


def test_others_may_not_add_or_edit_organisations(world, client):
    for role in (Role.CITY, Role.COUNTY, Role.PERMIT_AUTHORITY, Role.ENTERPRISE, Role.CONSULTANCY, Role.EXPERT):
        client.force_login(world.user(role))
        statuses = (client.get("/organizations/add/").status_code,
                    client.post("/organizations/add/", form()).status_code,
                    client.post(f"/organizations/{world.consultancy_org.pk}/edit/", form(contact_person="x")).status_code)
        assert statuses == (403, 403, 403), role
    assert not Organization.objects.filter(name="河北清源环境咨询有限公司").exists()
    assert not Event.objects.filter(action__startswith="organization.").exists()


def test_anonymous_users_are_sent_to_the_login_page(db, client):
    assertRedirects(client.get("/organizations/add/"), "/accounts/login/?next=/organizations/add/",
                    fetch_redirect_response=False)


def test_departments_cannot_be_added_by_hand(world, client):
    client.force_login(world.user(Role.PROVINCE))

    response = client.post("/organizations/add/", form(kind="city_bureau", name="假冒的生态环境局"))

    assert response.status_code == 200
    assertContains(response, "选择一个有效的选项")
    with pytest.raises(PermissionDenied, match="生态环境部门和行政审批局由区划树生成，不能手工添加。"):
        services.create_organization(world.user(Role.PROVINCE), kind="city_bureau", name="假冒", region_id="130600")
    assert not Organization.objects.filter(name__startswith="假冒").exists()


def test_edits_are_in_the_audit_trail_with_before_and_after(world, client):
    province = world.user(Role.PROVINCE)
    org = world.consultancy_org
    client.force_login(province)

    response = client.post(f"/organizations/{org.pk}/edit/", form(name=org.name, contact_person="李工"))

    assertRedirects(response, f"/organizations/{org.pk}/", fetch_redirect_response=False)
    org.refresh_from_db()
    assert org.contact_person == "李工" and org.account_code == "ZX0001" and org.kind == "consultancy"
    (event,) = Event.objects.filter(action="organization.update")
    assert event.actor == province
    assert event.changes() == [("contact_person", "", "李工"), ("contact_phone", "", "0312-5550000")]
    history = client.get(f"/audit-trail/organizations.organization/{org.pk}/")
    assertContains(history, "修改单位 测试咨询公司")
    assert '<td>联系人</td><td class="text-danger">—</td><td class="text-success">李工</td>' in history.content.decode()


def test_the_edit_form_keeps_the_kind_and_the_account_code(world, client):
    org = world.consultancy_org
    client.force_login(world.user(Role.PROVINCE))

    page = client.get(f"/organizations/{org.pk}/edit/")
    assertNotContains(page, 'name="kind"')
    client.post(f"/organizations/{org.pk}/edit/", form(name=org.name, kind="expert_institution", account_code="X"))

    org.refresh_from_db()
    assert (org.kind, org.account_code) == ("consultancy", "ZX0001")


@pytest.mark.parametrize("code", ["130600", "130681"])
def test_departments_are_not_edited_by_hand(world, client, code):
    bureau = department(code)
    client.force_login(world.user(Role.PROVINCE))

    assert client.get(f"/organizations/{bureau.pk}/edit/").status_code == 404
    assert client.post(f"/organizations/{bureau.pk}/edit/", form(name="改名", region="130100")).status_code == 404
    bureau.refresh_from_db()
    assert bureau.region_id == code and bureau.name != "改名"
    with pytest.raises(PermissionDenied, match="生态环境部门、行政审批局和企业的单位信息不能在此修改。"):
        services.update_organization(world.user(Role.PROVINCE), bureau, region_id="130100")


def test_an_enterprise_organisation_is_not_moved_by_hand(world, client):
    client.force_login(world.user(Role.SYSADMIN))

    response = client.post(f"/organizations/{world.enterprise_org.pk}/edit/", form(name="x", region="130606"))

    assert response.status_code == 404
    world.enterprise_org.refresh_from_db()
    assert world.enterprise_org.region_id == "130681"


def test_the_organisation_list_is_scoped(world, client):
    client.force_login(world.user(Role.COUNTY))
    names = {org.name for org in client.get("/organizations/", {"q": "涿州"}).context["object_list"]}
    assert names == {"涿州市生态环境分局", "涿州市行政审批局", "涿州测试企业"}
    assert client.get(f"/organizations/{department('130606').pk}/").status_code == 404

    client.force_login(world.user(Role.PROVINCE))
    assert client.get(f"/organizations/{department('130606').pk}/").status_code == 200
