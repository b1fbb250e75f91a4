"""Which rows may carry evidence, and under which slots.

A model becomes an evidence owner in either of two ways:

- it declares `evidence_slots`, a dict slot → label (`{"photos": "现场照片", "report": "报告"}`,
  or `{"": "佐证材料"}` when it has one item), as a class attribute or a property that returns
  one per instance (a phase whose checklist decides its items);
- or an app registers it, e.g. in its `AppConfig.ready()`:
  `registry.register("projects.AuditProject", {"general": "其他材料"})` — for a model whose
  app should not know about evidence (the project itself), or to keep the labels in one place.
  The slots may also be a callable `owner -> dict`.

The registry wins over the attribute. An owner must be an AuditProject or have `.project`.
It may also define `evidence_editable(user) -> bool` (a submitted phase refuses new files).
"""

from django.apps import apps
from django.core.exceptions import ValidationError

_REGISTERED: dict[str, object] = {}


def register(model, slots) -> None:
    """Make `model` ("app_label.Model" or the class) an evidence owner with these slots."""
    label = model if isinstance(model, str) else model._meta.label
    _REGISTERED[label.lower()] = slots


def slots_for(owner) -> dict[str, str]:
    """slot → label for this owner ({} when it is not an evidence owner)."""
    slots = _REGISTERED.get(owner._meta.label_lower)
    if slots is None:
        slots = getattr(owner, "evidence_slots", None)
    if callable(slots):
        slots = slots(owner)
    return dict(slots or {})


def is_owner_model(model) -> bool:
    return model._meta.label_lower in _REGISTERED or hasattr(model, "evidence_slots")


def project_of(owner):
    """The AuditProject the owner belongs to."""
    from qingshen.projects.models import AuditProject

    if isinstance(owner, AuditProject):
        return owner
    project = getattr(owner, "project", None)
    if not isinstance(project, AuditProject):
        raise ValidationError("该对象不能附加佐证材料。")
    return project


def owner_model(app_label: str, model_name: str):
    """The owner model named in a form, or ValidationError (never an arbitrary model)."""
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError) as exc:
        raise ValidationError("未知的材料所属对象。") from exc
    if not is_owner_model(model):
        raise ValidationError("该对象不能附加佐证材料。")
    return model


def slot_label(owner, slot: str) -> str:
    return slots_for(owner).get(slot, slot or "佐证材料")
