"""Writing to the audit trail. Services call `record()` inside their own transaction, so an
event exists exactly when the change it describes was committed."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from qingshen.audit_trail.hashing import compute_hash
from qingshen.audit_trail.models import ChainHead, Event
from qingshen.core import context
from qingshen.core.scoping import ScopedModel

#: Never copied into an event, whatever the model.
SECRET_FIELDS = frozenset({"password"})


def snapshot(obj, fields=None) -> dict:
    """The object's concrete field values as JSON-safe data (foreign keys by id)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS or (fields is not None and field.name not in fields):
            continue
        data[field.name] = getattr(obj, field.attname)
    return _json_safe(data)


def _json_safe(value):
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def record(action, *, actor=None, obj=None, before=None, after=None, summary="",
           organization=None, object_repr=None, scope=None) -> Event:
    """Append one event. `scope` (a region or scoped row) places events that have no object."""
    request = context.current()
    if organization is None and actor is not None and getattr(actor, "is_authenticated", False):
        organization = actor.organization
    place = obj if isinstance(obj, ScopedModel) else scope
    if place is None:
        place = organization
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().get(pk=1)
        event = Event(
            seq=head.seq + 1,
            occurred_at=timezone.now(),
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_name=_actor_name(actor),
            organization=organization,
            organization_name=organization.name if organization is not None else "",
            action=action,
            summary=summary[:300],
            object_type=obj._meta.label_lower if isinstance(obj, models.Model) else "",
            object_id=str(obj.pk) if isinstance(obj, models.Model) else "",
            object_repr=(object_repr if object_repr is not None else str(obj) if obj is not None else "")[:200],
            before=_json_safe(before),
            after=_json_safe(after),
            request_id=request.request_id if request else "",
            ip_address=(request.ip_address or "") if request else "",
            province_code=getattr(place, "province_code", "") or "",
            city_code=getattr(place, "city_code", "") or "",
            county_code=getattr(place, "county_code", "") or "",
            prev_hash=head.hash,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
        ChainHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    return event


def _actor_name(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    if actor.full_name and actor.full_name != actor.username:
        return f"{actor.full_name}（{actor.username}）"
    return actor.username
