"""Create the departments of the region tree: one environment department and one permit
authority per region (idempotent). Department accounts are named by region code, as in the
seed (130600 logs in as 保定市生态环境局); permit authorities by "XK" + region code.
"""

DEPARTMENT_KIND_OF_LEVEL = {
    "province": "province_department",
    "city": "city_bureau",
    "county": "county_branch",
}


def department_name(region) -> str:
    if region.level == "province":
        return f"{region.name}生态环境厅"
    if region.level == "city":
        return f"{region.name}生态环境局"
    return f"{region.name}生态环境分局"


def permit_authority_name(region) -> str:
    return f"{region.name}行政审批局"


def sync_departments(region_model, organization_model) -> int:
    """Ensure each region has its department and permit authority; returns how many exist."""
    count = 0
    for region in region_model.objects.all():
        scope = {
            "province_code": region.province_code,
            "city_code": region.city_code,
            "county_code": region.county_code,
        }
        # Keyed on the region alone, so a region whose level is adjusted (定州市: county →
        # city) keeps its one department and account, which changes kind with it.
        organization_model.objects.update_or_create(
            region=region,
            kind__in=list(DEPARTMENT_KIND_OF_LEVEL.values()),
            defaults={
                "kind": DEPARTMENT_KIND_OF_LEVEL[region.level],
                "name": department_name(region),
                "account_code": region.code,
                **scope,
            },
        )
        organization_model.objects.update_or_create(
            kind="permit_authority",
            region=region,
            defaults={"name": permit_authority_name(region), "account_code": f"XK{region.code}", **scope},
        )
        count += 2
    return count
