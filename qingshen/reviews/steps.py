"""The steps an intake level checks, in order: the application form, 项目启动 and each phase of
the stage (as the seed's 逐步审核 has them)."""

from qingshen.filings.models import phases_of

APPLICATION_FORM = "application_form"
PROJECT_START = "project_start"


def steps_of(stage: str) -> list[tuple[str, str]]:
    """[(code, label)] for a stage."""
    return [(APPLICATION_FORM, "申请表"), (PROJECT_START, "项目启动"),
            *((phase.value, phase.label) for phase in phases_of(stage))]


def phases_in(codes) -> list[str]:
    """The phase codes among step codes (the steps a return reopens in 工作过程痕迹)."""
    return [code for code in codes if code not in (APPLICATION_FORM, PROJECT_START)]
