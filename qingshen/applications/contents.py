"""What an application contains, and the copy submitting freezes.

An application is the project as it stands: its 项目启动, the phase filings of the stage with
the exact evidence versions they list, the audit data tables, the option ledger with the
feasibility analyses, the benchmarking of each stage (with its result and the indicator system's
version), and every current evidence file (by id and SHA-256 — evidence versions
are never changed, only superseded, so an id keeps pointing at the bytes reviewers saw).
`freeze(project)` copies all of it into JSON at the moment of submission.
"""

from django.apps import apps

from qingshen.audit_trail.services import snapshot

#: (part, label, [(model label, lookup from the row to the project)])
PARTS = [
    ("project_start", "项目启动", [
        ("project_start.ProjectStart", "project"), ("project_start.Product", "project"),
        ("project_start.EiaApproval", "project"), ("project_start.MonitoringReport", "project"),
        ("project_start.FacilityAcceptance", "project"), ("project_start.Disclosure", "project"),
        ("project_start.AuditContract", "project"),
    ]),
    ("filings", "工作过程痕迹", [("filings.PhaseFiling", "project")]),
    ("audit_data", "审核数据", [
        ("audit_data.MaterialUse", "project"), ("audit_data.WaterUse", "project"),
        ("audit_data.PollutantRecord", "project"), ("audit_data.AuditFocus", "project"),
        ("audit_data.Target", "project"), ("audit_data.Balance", "project"),
        ("audit_data.BalanceLine", "balance__project"),
    ]),
    ("options", "清洁生产方案", [("options.Option", "project"), ("options.Feasibility", "option__project")]),
    ("benchmarking", "对标", [("benchmarking.Benchmark", "project"),
                            ("benchmarking.BenchmarkValue", "benchmark__project")]),
]
EVIDENCE_FIELDS = ("id", "owner_type_id", "owner_id", "slot", "series", "version", "title", "document_date",
                   "captured_at", "uploaded_at")


def freeze(project) -> dict:
    """Everything the application contains, as JSON, one query per table."""
    frozen = {"project": snapshot(project)}
    for part, _, models in PARTS:
        frozen[part] = {}
        for label, lookup in models:
            model = apps.get_model(label)
            rows = model.objects.filter(**{lookup: project}).order_by("pk")
            frozen[part][model._meta.model_name] = [snapshot(row) for row in rows]
    frozen["evidence"] = evidence_of(project)
    return frozen


def evidence_of(project) -> list[dict]:
    from qingshen.evidence.models import Evidence

    rows = (Evidence.objects.filter(project=project, superseded_at__isnull=True, withdrawn_at__isnull=True)
            .select_related("stored").order_by("pk"))
    return [{**snapshot(row, EVIDENCE_FIELDS), "name": row.stored.original_name, "sha256": row.stored.sha256,
             "size": row.stored.size} for row in rows]


def counts(contents: dict) -> list[tuple[str, int]]:
    """(label, rows) per part of a frozen application, for its page."""
    out = []
    for part, label, _ in PARTS:
        out.append((label, sum(len(rows) for rows in contents.get(part, {}).values())))
    out.append(("佐证材料", len(contents.get("evidence", []))))
    return out


def options_of(contents: dict) -> list[dict]:
    """The option ledger as frozen, for the application's page: each option's code, name, class,
    status, investment and benefit, and for a 中高费 option its feasibility verdict (None when
    none was filled)."""
    from qingshen.options.models import Option

    frozen = contents.get("options", {})
    verdicts = {row["option"]: row.get("economically_feasible") for row in frozen.get("feasibility", [])}
    classes, statuses = dict(Option.CostClass.choices), dict(Option.Status.choices)
    rows = []
    for row in frozen.get("option", []):
        high = row.get("cost_class") == Option.CostClass.HIGH
        rows.append({
            "code": row.get("code", ""), "name": row.get("name", ""),
            "cost_class": classes.get(row.get("cost_class"), row.get("cost_class", "")),
            "status": statuses.get(row.get("status"), row.get("status", "")),
            "investment": row.get("investment"), "economic_benefit": row.get("economic_benefit"),
            "high": high, "feasible": verdicts.get(row.get("id")) if high else None,
            "has_feasibility": high and row.get("id") in verdicts,
        })
    return rows


def benchmarks_of(contents: dict) -> list[dict]:
    """对标 as frozen, per stage: the system used, the level entered and the level confirmed
    (what an acceptance opinion carries), for the application's page."""
    from qingshen.benchmarking.models import Benchmark

    stages, levels = dict(Benchmark.Stage.choices), dict(Benchmark.Level.choices)
    rows = []
    for row in contents.get("benchmarking", {}).get("benchmark", []):
        result = row.get("confirmed_result") or row.get("result") or {}
        rows.append({
            "stage": stages.get(row.get("stage"), row.get("stage")),
            "system": result.get("name") or ("无指标体系（与同行业对比）" if not row.get("system") else ""),
            "level": levels.get(row.get("level"), "") + ("（试算）" if row.get("trial") else ""),
            "confirmed_level": levels.get(row.get("confirmed_level"), ""),
            "indices": result.get("indices") or {},
        })
    return rows
