"""How an event is hashed: SHA-256 over a canonical JSON of its content and the previous hash."""

import hashlib
import json
from datetime import UTC

HASHED_FIELDS = (
    "seq", "actor_id", "actor_name", "organization_id", "organization_name", "action", "summary",
    "object_type", "object_id", "object_repr", "before", "after", "request_id", "ip_address",
    "province_code", "city_code", "county_code", "prev_hash",
)


def canonical(event) -> bytes:
    payload = {name: getattr(event, name) for name in HASHED_FIELDS}
    payload["occurred_at"] = event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(event) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()
