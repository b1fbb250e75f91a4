"""Test helpers: uploads of real files (see qingshen/files/tests/samples.py), an extra slot on
the project for tests that need two, and evidence made directly for pickers."""

import contextlib

from django.core.files.uploadedfile import SimpleUploadedFile

from qingshen.evidence import registry
from qingshen.evidence.models import Evidence
from qingshen.files.services import store
from qingshen.files.tests import samples
from qingshen.files.validation import EVIDENCE

PROJECT_SLOTS = {"general": "其他材料"}


def upload(name="测试报告（虚构）.pdf", content=None):
    return SimpleUploadedFile(name, samples.pdf_bytes() if content is None else content)


@contextlib.contextmanager
def project_slots(slots):
    """The project with other slots for the duration of a test (the registry is global)."""
    registry.register("projects.AuditProject", slots)
    try:
        yield
    finally:
        registry.register("projects.AuditProject", PROJECT_SLOTS)


def make_evidence(project, uploader, *, name="测试材料（虚构）.pdf", content=None, slot="general", **extra):
    """Evidence made directly, without the service (its uploader's permission does not matter)."""
    stored = store(uploader, name, content if content is not None else samples.pdf_bytes(), allowed=EVIDENCE)
    return Evidence.objects.create(project=project, owner=project, slot=slot, stored=stored,
                                   uploaded_by=uploader, **extra)
