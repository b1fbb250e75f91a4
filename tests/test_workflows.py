"""Workflows are declared state machines (django-fsm-2) and every transition names who may
take it: this lists them all and fails when one has no permission."""

from django.apps import apps
from django_fsm import FSMFieldMixin


def all_transitions():
    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, FSMFieldMixin):
                for transition in field.get_all_transitions(model):
                    yield model, field, transition


def test_there_are_workflows():
    models = {model._meta.label for model, _, _ in all_transitions()}
    assert {"rosters.RosterTask", "notices.NoticeTask", "reviews.Review"} <= models


def test_every_transition_has_a_permission():
    missing = [f"{model._meta.label}.{t.name} ({t.source} → {t.target})"
               for model, _, t in all_transitions() if not t.permission]
    assert not missing, f"这些状态转换没有设定权限：{missing}"


def test_workflow_fields_are_protected():
    """Status fields change only through transitions (services), never by assignment."""
    unprotected = [f"{model._meta.label}.{field.name}" for model, field, _ in all_transitions() if not field.protected]
    assert not unprotected, unprotected
