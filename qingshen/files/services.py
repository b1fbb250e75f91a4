import hashlib
from pathlib import PurePath

from django.core.files.base import ContentFile

from qingshen.files.models import StoredFile
from qingshen.files.validation import STAMPED_COPY, inspect


def store(actor, name: str, content: bytes, *, allowed=STAMPED_COPY, max_bytes=None, limits=None) -> StoredFile:
    """Check the content (raises FileRefused) and keep the file privately, with its hash.
    `limits` (kind → bytes) tightens the size per kind, as `validation.evidence_limits()`."""
    kwargs = {"max_bytes": max_bytes} if max_bytes else {}
    if limits:
        kwargs["limits"] = limits
    found = inspect(name, content, allowed, **kwargs)
    stem = PurePath(name).stem[:80] or "file"
    stored = StoredFile(
        original_name=name[:255], mime=found.mime, size=len(content), pages=found.pages,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    stored.file.save(f"{stem}.{found.extension}", ContentFile(content), save=False)
    stored.save()
    return stored


def store_upload(actor, uploaded_file, **kwargs) -> StoredFile:
    return store(actor, uploaded_file.name, uploaded_file.read(), **kwargs)
