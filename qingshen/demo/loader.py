"""The demo: the seed's 77 Baoding enterprises (2021年白洋淀流域第二批涉水企业) and the
accounts to try the system with. Idempotent: a second run adds only what is missing and
keeps existing passwords unless asked to reset them."""

from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from qingshen.accounts import services as account_services
from qingshen.accounts.models import User
from qingshen.core.roles import Role
from qingshen.enterprises import services as enterprise_services
from qingshen.enterprises.models import Enterprise
from qingshen.organizations.models import Organization
from qingshen.regions.models import Region

SEED_FILE = Path(__file__).resolve().parent / "data" / "seed_enterprises_batch2_baoding.csv"
PROVINCE, BAODING = "130000", "130600"
DEMO_ENTERPRISE = "保定市高新区华星电镀厂"
SYSADMIN = "admin"


@dataclass
class DemoAccount:
    username: str
    name: str
    password: str | None  # None: kept from an earlier run


def load_demo(*, reset_passwords=False) -> tuple[list[DemoAccount], int]:
    """Returns the demo accounts and the number of enterprises created."""
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
        _department_account(admin, baoding_org, reset_passwords, accounts)
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
    return accounts, created


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
