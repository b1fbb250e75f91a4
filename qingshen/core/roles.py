"""Roles and what each may do: the one table to read for "who may do what".

A user's role follows from the organisation the account belongs to (a county branch's
accounts are county users, and so on). Permissions are the usual Django strings
("app_label.codename"); `qingshen.accounts.backends.RoleBackend` answers `user.has_perm()`
from this table, so views use the standard PermissionRequiredMixin and DRF permission
classes. Which *rows* a user sees is a separate question, answered by jurisdiction
(`qingshen.core.scoping`).
"""

from django.db import models


class Role(models.TextChoices):
    PROVINCE = "province", "省级生态环境部门"
    CITY = "city", "市级生态环境部门"
    COUNTY = "county", "县级生态环境部门"
    PERMIT_AUTHORITY = "permit_authority", "排污许可发证部门"
    ENTERPRISE = "enterprise", "企业"
    CONSULTANCY = "consultancy", "咨询服务机构"
    EXPERT = "expert", "专家"
    SYSADMIN = "sysadmin", "系统管理员"


OFFICIAL_ROLES = frozenset({Role.PROVINCE, Role.CITY, Role.COUNTY})

_ENTERPRISE_OFFICIAL = {
    "enterprises.view_enterprise",
    "enterprises.add_enterprise",
    "enterprises.change_enterprise",
    "enterprises.import_enterprise",
    "enterprises.export_enterprise",
}
_ORGANISATION_MEMBER = {"accounts.manage_staff"}
_ORGANISATION_ADMIN = {"organizations.add_organization", "organizations.change_organization"}
_CAMPAIGN_OFFICIAL = {
    "campaigns.view_campaign",
    "campaigns.add_milestone",
    "rosters.view_rostertask",
    "rosters.verify_roster",
    "notices.view_noticetask",
    "notices.dispatch_notice",
    "notices.generate_letter",
    "projects.view_auditproject",
}
#: Reading an enterprise's audit (project start, phase filings, data, options, evidence): the
#: officials above it, the enterprise itself and a consultancy it delegated to.
_AUDIT_READER = {
    "project_start.view_projectstart",
    "filings.view_phasefiling",
    "options.view_option",
    "evidence.view_evidence",
    "applications.view_application",
    "benchmarking.view_benchmark",
    "benchmarking.view_indicatorsystem",
    "reviews.view_review",
}
#: Filling it in: the enterprise, or a consultancy on its behalf.
_AUDIT_FILLER = _AUDIT_READER | {
    "project_start.change_projectstart",
    "filings.change_phasefiling",
    "options.change_option",
    "evidence.add_evidence",
    "applications.change_application",
    "benchmarking.change_benchmark",
}
#: Submitting (项目启动 提交任务, a phase): the enterprise only.
_AUDIT_SUBMITTER = _AUDIT_FILLER | {
    "project_start.submit_projectstart",
    "filings.submit_phasefiling",
    "applications.submit_application",
}
#: Keeping an expert pool (专家库): the province's and each city's own.
_EXPERT_POOL = {"experts.view_expert", "experts.add_expert", "experts.change_expert", "experts.import_expert"}
_OFFICIAL = _ENTERPRISE_OFFICIAL | _ORGANISATION_MEMBER | _CAMPAIGN_OFFICIAL | _AUDIT_READER | {
    "reviews.handle_review",
    "reviews.view_handover",
    "audit_trail.view_event",
    "organizations.view_organization",
    "accounts.view_user",
    "accounts.add_enterprise_account",
}

#: Supervision (issue 7): the permit linkage, summary reports, enforcement lists, production checks.
_PERMIT_READER = {"permits.view_permitchange", "permits.view_permitreport"}
_SUPERVISOR = _PERMIT_READER | {
    "summaries.view_summaryreport",
    "summaries.change_summaryreport",
    "enforcement.view_enforcementlist",
    "enforcement.add_enforcementhandover",
    "production_checks.view_productioncheck",
    "production_checks.add_productioncheck",
}
#: Receiving the reports of the level below: returning one with a reason.
_REPORT_RECEIVER = {"permits.return_permitreport", "summaries.return_summaryreport"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.PROVINCE: frozenset(_OFFICIAL | _ORGANISATION_ADMIN | {
        "accounts.add_department_account",
        "campaigns.add_campaign",
        "campaigns.change_campaign",
        "rosters.review_roster",
        "notices.issue_notice",
        "filings.change_checklist",
        "benchmarking.change_indicatorsystem",
        "benchmarking.review_benchmark",
    } | _EXPERT_POOL | _SUPERVISOR | _REPORT_RECEIVER),
    Role.CITY: frozenset(_OFFICIAL | _EXPERT_POOL | {"accounts.add_department_account", "rosters.review_roster",
                                                     "benchmarking.review_benchmark"}
                         | _SUPERVISOR | _REPORT_RECEIVER),
    Role.COUNTY: frozenset(_OFFICIAL | _SUPERVISOR),
    Role.PERMIT_AUTHORITY: frozenset({"enterprises.view_enterprise", "campaigns.view_campaign", "reviews.view_handover",
                                      "permits.change_permitchange", "permits.submit_permitreport"}
                                     | _PERMIT_READER | _ORGANISATION_MEMBER),
    Role.ENTERPRISE: frozenset({
        "enterprises.view_enterprise", "campaigns.view_campaign", "projects.view_auditproject",
        "projects.add_auditproject",
        "permits.view_permitchange",  # its own line only (scoping): that its permit now carries the deadline
    } | _AUDIT_SUBMITTER | _ORGANISATION_MEMBER),
    Role.CONSULTANCY: frozenset({
        "enterprises.view_enterprise", "campaigns.view_campaign", "projects.view_auditproject",
    } | _AUDIT_FILLER | _ORGANISATION_MEMBER),
    #: An expert reads (through the scoping's filter_for_expert) only what it is drawn to review.
    Role.EXPERT: frozenset({"benchmarking.view_indicatorsystem", "reviews.view_review", "reviews.give_opinion",
                            "applications.view_application", "evidence.view_evidence"}),
    Role.SYSADMIN: frozenset(_ORGANISATION_ADMIN | {
        "organizations.view_organization",
        "campaigns.view_campaign",
        "rosters.view_rostertask",
        "notices.view_noticetask",
        "projects.view_auditproject",
        "filings.change_checklist",
        "benchmarking.view_indicatorsystem",
        "benchmarking.change_indicatorsystem",
        "enterprises.view_enterprise",
        "enterprises.export_enterprise",
        "audit_trail.view_event",
        "accounts.view_user",
        "accounts.add_department_account",
        "accounts.add_enterprise_account",
        "accounts.manage_staff",
        "accounts.unlock_account",
        "notifications.view_smsmessage",
    }),
}



def permissions_for(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())
