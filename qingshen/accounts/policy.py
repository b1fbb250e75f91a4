"""Who may create and manage which accounts.

- a system administrator: any account;
- an organisation's main account (单位主账号): the staff accounts of its own organisation;
- an official with "add_department_account": the main accounts of departments and permit
  authorities below its own level inside its jurisdiction (the province for cities and
  counties, a city for its counties), and of permit authorities at its own level;
- an official with "add_enterprise_account": the accounts of enterprises in its jurisdiction;
- whoever may add consultancies and expert institutions ("organizations.add_organization",
  the province): their main and staff accounts (experts are staff accounts of their
  institution).
"""

from qingshen.core.roles import Role
from qingshen.core.scoping import jurisdiction_of
from qingshen.organizations.models import Organization

LEVEL_RANK = {"province": 0, "city": 1, "county": 2}


def can_manage(actor, organization, *, department_account: bool) -> bool:
    """May `actor` create or manage an account of `organization` (main account or staff)?"""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.role == Role.SYSADMIN:
        return True
    if organization.pk == actor.organization_id:
        return (
            not department_account
            and actor.is_department_account
            and actor.has_perm("accounts.manage_staff")
        )
    jurisdiction = jurisdiction_of(actor)
    if not organization.is_within(jurisdiction):
        return False
    if organization.kind == Organization.Kind.ENTERPRISE:
        return actor.has_perm("accounts.add_enterprise_account")
    if organization.is_department or organization.kind == Organization.Kind.PERMIT_AUTHORITY:
        if not actor.has_perm("accounts.add_department_account"):
            return False
        own_rank = LEVEL_RANK[jurisdiction.level]
        target_rank = LEVEL_RANK[organization.region.level]
        if organization.kind == Organization.Kind.PERMIT_AUTHORITY:
            return target_rank >= own_rank
        return target_rank > own_rank
    if organization.kind == Organization.Kind.EXPERT_INSTITUTION:
        # the province, or a city keeping its own expert pool (the organisation sits in its region)
        return actor.has_perm("organizations.add_organization") or actor.has_perm("experts.change_expert")
    if organization.kind == Organization.Kind.CONSULTANCY:
        return actor.has_perm("organizations.add_organization")
    return False


def can_manage_user(actor, target) -> bool:
    if target.pk == actor.pk:
        return False  # one's own password is changed, not reset; one cannot disable oneself
    if target.role == Role.SYSADMIN:
        return actor.role == Role.SYSADMIN
    if target.organization is None:
        return actor.role == Role.SYSADMIN
    return can_manage(actor, target.organization, department_account=target.is_department_account)
