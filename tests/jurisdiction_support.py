"""Shared pieces of the jurisdiction harness: role sets, the Case row, and pickers that
choose, for a role, an object inside and one outside its jurisdiction. Each app lists its own
URLs in `qingshen/<app>/tests/jurisdiction.py` (PAGES and API dicts of Case rows)."""

from dataclasses import dataclass
from typing import Callable

from django.core.files.base import ContentFile

from conftest import World
from qingshen.core.roles import Role
from qingshen.enterprises.models import ImportBatch
from qingshen.jobs.models import Job

ALL = frozenset(Role)
OFFICIALS = frozenset({Role.PROVINCE, Role.CITY, Role.COUNTY})
ORGANISATION_MEMBERS = ALL - {Role.EXPERT, Role.SYSADMIN}
STAFF_MANAGERS = ORGANISATION_MEMBERS | {Role.SYSADMIN}
REGISTRY_VIEWERS = ALL - {Role.EXPERT}

# --- which object is inside / outside each role's jurisdiction ------------------------------


def enterprise(inside: bool):
    def pick(world: World, role):
        inside_by_role = {
            Role.PROVINCE: world.e_changan, Role.SYSADMIN: world.e_changan, Role.CITY: world.e_lianchi,
            Role.COUNTY: world.e_zhuozhou, Role.PERMIT_AUTHORITY: world.e_lianchi,
            Role.ENTERPRISE: world.e_zhuozhou, Role.CONSULTANCY: world.e_zhuozhou,
        }
        outside_by_role = {
            Role.CITY: world.e_changan, Role.COUNTY: world.e_lianchi, Role.PERMIT_AUTHORITY: world.e_dingzhou,
            Role.ENTERPRISE: world.e_lianchi, Role.CONSULTANCY: world.e_lianchi, Role.EXPERT: world.e_zhuozhou,
        }
        return (inside_by_role if inside else outside_by_role).get(role)

    return pick


def organization(inside: bool):
    def pick(world: World, role):
        from conftest import department

        inside_by_role = {
            Role.PROVINCE: department("130100"), Role.SYSADMIN: department("130100"),
            Role.CITY: department("130606"), Role.COUNTY: world.enterprise_org,
            Role.PERMIT_AUTHORITY: world.user(Role.PERMIT_AUTHORITY).organization,
            Role.ENTERPRISE: world.enterprise_org, Role.CONSULTANCY: world.consultancy_org,
            Role.EXPERT: world.expert_org,
        }
        outside_by_role = {
            Role.CITY: department("130100"), Role.COUNTY: world.other_enterprise_org,
            Role.PERMIT_AUTHORITY: department("130100"), Role.ENTERPRISE: world.other_enterprise_org,
            Role.CONSULTANCY: world.enterprise_org, Role.EXPERT: world.enterprise_org,
        }
        return (inside_by_role if inside else outside_by_role).get(role)

    return pick


def account(inside: bool):
    def pick(world: World, role):
        inside_by_role = {
            Role.PROVINCE: world.other_city_user, Role.SYSADMIN: world.other_city_user,
            Role.CITY: world.user(Role.COUNTY), Role.COUNTY: world.user(Role.ENTERPRISE),
            Role.PERMIT_AUTHORITY: world.user(Role.PERMIT_AUTHORITY), Role.ENTERPRISE: world.user(Role.ENTERPRISE),
            Role.CONSULTANCY: world.user(Role.CONSULTANCY),
        }
        outside_by_role = {
            Role.CITY: world.other_city_user, Role.COUNTY: world.other_county_user,
            Role.PERMIT_AUTHORITY: world.user(Role.COUNTY), Role.ENTERPRISE: world.other_enterprise_user,
            Role.CONSULTANCY: world.user(Role.ENTERPRISE),
        }
        return (inside_by_role if inside else outside_by_role).get(role)

    return pick


def owned(model_factory):
    """Rows that belong to one user (jobs, import batches): inside = own, outside = another's."""

    def choose(inside: bool):
        def pick(world: World, role):
            owner = world.user(role) if inside else world.other_city_user
            return model_factory(owner)

        return pick

    return choose


def _job(owner):
    job = Job.objects.create(owner=owner, kind="enterprises.export", title="导出企业名录", status=Job.Status.SUCCEEDED)
    job.result.save("harness.xlsx", ContentFile(b"x"), save=False)
    job.result_name = "harness.xlsx"
    job.save()
    return job


def _batch(owner):
    csv = "企业名称,所属区县\n涿州测试企业,涿州市\n".encode()
    batch = ImportBatch(owner=owner, original_name="harness.csv", sha256="0" * 64, row_count=1)
    batch.file.save("harness.csv", ContentFile(csv), save=False)
    batch.save()
    return batch


job = owned(_job)
batch = owned(_batch)


# --- the table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    allowed: frozenset = ALL  # roles that pass the permission check
    method: str = "get"
    pick: Callable | None = None  # inside/outside chooser for pages about one object
    kwargs: Callable = staticmethod(lambda obj: {"pk": obj.pk})
    public: bool = False
    check_success: bool = True  # an allowed role succeeds inside its jurisdiction
    ok: tuple = ()  # the success status, when not 200 for GET / 302 for POST


def history_kwargs(obj):
    return {"object_type": obj._meta.label_lower, "object_id": obj.pk}


def _event_for(obj):
    if obj is None:
        return None
    from qingshen.audit_trail.services import record

    return record("test.touch", obj=obj, summary="harness")
