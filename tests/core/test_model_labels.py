"""Admins read sentences and proper plurals, never a constraint's name or "Approachs"."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db.models import CheckConstraint, UniqueConstraint

_PORTAL_MODELS = [model for model in apps.get_models() if model.__module__.startswith("apps.")]
_BAD_PLURAL = re.compile(r"(chs|shs|xs|sss|[^aeiou]ys|criterions|evidences)$")


@pytest.mark.parametrize("model", _PORTAL_MODELS, ids=lambda model: model.__name__)
def test_every_constraint_explains_itself_in_a_sentence(model):
    for constraint in model._meta.constraints:
        if not isinstance(constraint, CheckConstraint | UniqueConstraint):
            continue
        message = str(constraint.violation_error_message)
        assert message != str(constraint.default_violation_error_message), f"{constraint.name} has no sentence"
        assert constraint.name not in message
        assert message[0].isupper()
        assert message.endswith(".")


@pytest.mark.parametrize("model", _PORTAL_MODELS, ids=lambda model: model.__name__)
def test_every_model_has_a_proper_plural(model):
    plural = str(model._meta.verbose_name_plural)

    assert not _BAD_PLURAL.search(plural), plural
