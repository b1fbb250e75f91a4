"""What the evidence panel shows, for the template tag and for the views that re-render it
after an htmx upload. Two or three queries whatever the number of files: the current files
with their file, thumbnail, uploader and version count in one, whether the user may add in
another (the owner's `evidence_editable` hook may add its own)."""

from django.contrib.contenttypes.models import ContentType

from qingshen.evidence import services
from qingshen.evidence.registry import slot_label
from qingshen.files.validation import EVIDENCE, MB, describe, evidence_limits


def panel_id(owner, slot: str) -> str:
    content_type = ContentType.objects.get_for_model(type(owner))
    return f"evidence-{content_type.pk}-{owner.pk}-{slot or 'main'}"


def limits_hint() -> str:
    limits = evidence_limits()
    mb = lambda kind: limits[kind] // MB  # noqa: E731
    return (f"可上传 {describe(EVIDENCE)} 文件；图片不超过 {mb('jpeg')} MB，PDF 不超过 {mb('pdf')} MB，"
            f"Word/Excel 不超过 {mb('docx')} MB。")


def panel_context(user, owner, slot="", label="", *, next_url="", error="", notice="", typed=None,
                  csrf_token=None) -> dict:
    """`typed`: what the user had typed in the upload form (kept when the upload is refused)."""
    content_type = ContentType.objects.get_for_model(type(owner))
    can_view = user.is_authenticated and user.has_perm("evidence.view_evidence")
    rows = list(services.current(owner, slot)) if can_view else []
    context = {
        "panel_id": panel_id(owner, slot),
        "owner": owner,
        "owner_type": content_type.natural_key()[0] + "." + content_type.natural_key()[1],
        "slot": slot,
        "label": label or slot_label(owner, slot),
        "rows": rows,
        "can_view": can_view,
        "can_add": can_view and services.may_add(user, owner),
        "next_url": next_url,
        "error": error,
        "notice": notice,
        "typed": typed or {},
        "limits_hint": limits_hint(),
        "accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.doc,.xls",
    }
    if csrf_token is not None:  # from the template tag; a TemplateResponse gets it from the request
        context["csrf_token"] = csrf_token
    return context
