"""The read-only API: scoped lists, the campaign filter, versions and frozen lines."""

from django.utils import timezone

from qingshen.core.roles import Role
from qingshen.permits import lines, services
from qingshen.permits.tests.helpers import authority, categorise, member, pdf


def test_changes_and_reports(world, sign_in):
    categorise(world, lianchi="key", zhuozhou="simplified")
    pa = world.user(Role.PERMIT_AUTHORITY)
    for enterprise in (world.e_lianchi, world.e_zhuozhou):
        services.record_change(pa, member(world, enterprise), changed_on=timezone.localdate(),
                               permit_number=f"TEST-{enterprise.pk}", upload=pdf())
    services.record_change(pa, member(world, world.e_lianchi), changed_on=timezone.localdate(),
                           permit_number="TEST-CORRECTED", expected_version=1)
    client = sign_in(pa)
    rows = client.get("/api/permit-changes/", {"campaign": world.campaign.pk}).json()["results"]
    assert {r["enterprise_name"] for r in rows} == {"莲池测试企业", "涿州测试企业"}
    lianchi = next(r for r in rows if r["enterprise_name"] == "莲池测试企业")
    assert lianchi["version"] == 2 and [v["permit_number"] for v in lianchi["versions"]] == ["TEST-CORRECTED",
                                                                                         f"TEST-{world.e_lianchi.pk}"]
    assert client.get("/api/permit-changes/", {"campaign": world.campaign.pk + 999}).json()["results"] == []
    own = sign_in(world.user(Role.ENTERPRISE)).get("/api/permit-changes/").json()["results"]
    assert [r["enterprise_name"] for r in own] == ["涿州测试企业"]
    assert sign_in(world.user(Role.CONSULTANCY)).get("/api/permit-changes/").status_code == 403

    county_authority = authority(world, "130681")
    found, _ = lines.for_organization(county_authority.organization, world.campaign)
    report = services.submit_report(county_authority, world.campaign, note="", expected_version=0,
                                    lines_digest=services.digest(found))
    city = sign_in(world.user(Role.CITY))
    data = city.get("/api/permit-reports/", {"campaign": world.campaign.pk}).json()["results"]
    assert [r["id"] for r in data] == [report.pk]
    assert data[0]["status"] == "submitted" and data[0]["lines"][0]["enterprise"] == "涿州测试企业"
    assert sign_in(world.other_city_user).get(f"/api/permit-reports/{report.pk}/").status_code == 404
    assert sign_in(world.user(Role.ENTERPRISE)).get("/api/permit-reports/").status_code == 403
