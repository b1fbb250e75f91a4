"""The demo: the seed's 77 Baoding enterprises (2021年白洋淀流域第二批涉水企业), the accounts
to try the system with, and the seed's campaign 〔2021〕—392 in 草稿 (draft) with the province's
dates and Baoding's stricter ones ((2021)—34), built through the real services (data in
data/campaign_2021_392.toml). Idempotent: a second run adds only what is missing, keeps
existing passwords unless asked to reset them, and leaves a campaign someone has since edited
or published as it is."""

import csv
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from qingshen.accounts import services as account_services
from qingshen.accounts.models import User
from qingshen.campaigns import services as campaign_services
from qingshen.campaigns.models import (
    Campaign,
    CampaignEnterprise,
    Milestone,
    MilestoneKind,
    TargetRule,
)
from qingshen.core.roles import Role
from qingshen.enterprises import services as enterprise_services
from qingshen.enterprises.models import Enterprise
from qingshen.organizations.models import Organization
from qingshen.regions.models import Region

SEED_FILE = Path(__file__).resolve().parent / "data" / "seed_enterprises_batch2_baoding.csv"
CAMPAIGN_FILE = Path(__file__).resolve().parent / "data" / "campaign_2021_392.toml"
PROVINCE, BAODING = "130000", "130600"
DEMO_ENTERPRISE = "保定市高新区华星电镀厂"
SYSADMIN = "admin"


@dataclass
class DemoAccount:
    username: str
    name: str
    password: str | None  # None: kept from an earlier run


@dataclass
class DemoCampaign:
    campaign: Campaign
    created: bool = False
    members_added: int = 0
    milestones_set: list[str] = field(default_factory=list)


def load_demo(*, reset_passwords=False) -> tuple[list[DemoAccount], int, DemoCampaign]:
    """Returns the demo accounts, the number of enterprises created and the demo campaign."""
    accounts = []
    with transaction.atomic():
        admin = User.objects.filter(username=SYSADMIN).first()
        if admin is None:
            admin, password = account_services.create_sysadmin(SYSADMIN)
            accounts.append(DemoAccount(SYSADMIN, admin.full_name, password))
        else:
            accounts.append(_reset(admin, admin, reset_passwords))
        province_org = Organization.objects.get(kind=Organization.Kind.PROVINCE_DEPARTMENT, region_id=PROVINCE)
        province_user = _department_account(admin, province_org, reset_passwords, accounts)
        baoding_org = Organization.objects.get(kind=Organization.Kind.CITY_BUREAU, region_id=BAODING)
        baoding_user = _department_account(admin, baoding_org, reset_passwords, accounts)
        counties = Region.objects.filter(parent_id=BAODING).order_by("code")
        for org in Organization.objects.filter(kind=Organization.Kind.COUNTY_BRANCH, region__in=counties).order_by("account_code"):
            _department_account(admin, org, reset_passwords, accounts)
        created = _import_seed(province_user)
        enterprise = Enterprise.objects.get(name=DEMO_ENTERPRISE)
        organization = Organization.objects.filter(enterprise=enterprise).first()
        main = organization.users.filter(is_department_account=True).first() if organization else None
        if main is None:
            main, password = enterprise_services.create_enterprise_account(province_user, enterprise)
            accounts.append(DemoAccount(main.username, enterprise.name, password))
        else:
            accounts.append(_reset(admin, main, reset_passwords))
        campaign = load_campaign(province_user, baoding_user)
        load_experts(province_user)
    return accounts, created, campaign


def _department_account(actor, org, reset_passwords, accounts) -> User:
    user = org.users.filter(is_department_account=True).first()
    if user is None:
        user, password = account_services.create_account(actor, organization=org, full_name=org.name)
        accounts.append(DemoAccount(user.username, org.name, password))
    else:
        accounts.append(_reset(actor, user, reset_passwords))
    return user


def _reset(actor, user, reset_passwords) -> DemoAccount:
    if not reset_passwords:
        return DemoAccount(user.username, user.full_name, None)
    if user.role == Role.SYSADMIN:
        password = account_services.reissue_sysadmin_password(user)
    else:
        password = account_services.reset_password(actor, user)
    return DemoAccount(user.username, user.full_name, password)


def _import_seed(actor) -> int:
    upload = SimpleUploadedFile(SEED_FILE.name, SEED_FILE.read_bytes(), content_type="text/csv")
    batch, preview = enterprise_services.receive_import(actor, upload)
    if not preview.is_clean:
        problems = "; ".join(f"第 {r.line} 行：{'，'.join(r.errors)}" for r in preview.rows if r.errors)
        raise RuntimeError(f"演示企业名单有错误：{problems}")
    if preview.create_count == 0:
        enterprise_services.discard_import(actor, batch)
        return 0
    enterprise_services.apply_import(actor, batch)
    return preview.create_count


# --- the seed's campaign -------------------------------------------------------------------------


def load_campaign(province_user, baoding_user) -> DemoCampaign:
    """〔2021〕—392 as the seed states it: created once, then only completed while still 草稿."""
    data = tomllib.loads(CAMPAIGN_FILE.read_text(encoding="utf-8"))
    fields = dict(data["campaign"])
    rules = TargetRule.objects.filter(code__in=fields.pop("target_rules"))
    campaign = Campaign.objects.filter(code=fields["code"]).first()
    result = DemoCampaign(campaign=campaign)
    if campaign is None:
        campaign = campaign_services.create_campaign(province_user, target_rules=rules, **fields)
        result = DemoCampaign(campaign=campaign, created=True)
    if campaign.status != Campaign.Status.DRAFT:
        return result  # published meanwhile: the demo no longer adds to it
    for user, part in ((province_user, data["province"]), (baoding_user, data["baoding"])):
        for entry in part["milestones"]:
            if _set_once(user, campaign, entry, part["document_number"]):
                result.milestones_set.append(f"{user.organization.region.name} {entry['kind']}")
    result.members_added = _add_members(province_user, campaign, data["members"]["reasons"])
    return result


def _set_once(user, campaign, entry, document_number) -> bool:
    existing = Milestone.objects.filter(campaign=campaign, region=user.organization.region, kind=entry["kind"])
    if entry["kind"] == MilestoneKind.EXTRA:
        existing = existing.filter(label=entry["label"])
    if existing.exists():
        return False
    campaign_services.set_milestone(
        user, campaign, kind=entry["kind"], due_date=entry.get("due_date"),
        days_after_publication=entry.get("days_after_publication"), label=entry.get("label", ""),
        party=entry.get("party", ""), document_number=document_number,
    )
    return True


def _add_members(province_user, campaign, reasons) -> int:
    """The seed list's 77 enterprises, numbered as in the list, with its handling level."""
    with SEED_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    enterprises = {(e.region_id, e.name): e for e in Enterprise.objects.filter(
        region_id__in={row["county_code"] for row in rows})}
    present = set(CampaignEnterprise.objects.filter(campaign=campaign).values_list("enterprise_id", flat=True))
    added = 0
    for row in rows:
        enterprise = enterprises[(row["county_code"], row["企业名称"])]
        if enterprise.pk in present:
            continue
        campaign_services.add_member(province_user, campaign, enterprise, reasons=reasons,
                                     handling_level=row["reviewing_level"], seq=int(row["序号"]))
        added += 1
    return added


EXPERTS_FILE = Path(__file__).resolve().parent / "data" / "demo_experts.csv"


def load_experts(province_user) -> int:
    """示例专家 (made up: names say so) in the province's and Baoding's pools, so a review can be
    drawn in the demo; their accounts are created on the expert's page (专家库 → 创建账号)."""
    from qingshen.experts import services as expert_services
    from qingshen.experts.models import Expert
    from qingshen.industries.models import Industry

    with open(EXPERTS_FILE, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    regions = Region.objects.in_bulk({code for row in rows for code in (row["pool"], row["home"])})
    industries = Industry.objects.in_bulk({code for row in rows for code in row["divisions"].split("|")})
    created = 0
    for row in rows:
        if Expert.objects.filter(name=row["name"], employer=row["employer"]).exists():
            continue
        expert_services.create_expert(
            province_user, name=row["name"], employer=row["employer"], title=row["title"], pool=regions[row["pool"]],
            home_region=regions[row["home"]], fields=row["fields"].split("|"),
            industries=[industries[code] for code in row["divisions"].split("|")])
        created += 1
    return created
