"""The seeded configuration is DOMAIN.md's, and versions freeze it faithfully."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.leads.models import Criterion, QualificationLevel, ScoringConfigVersion, ScoringSettings
from apps.leads.scoring import versions
from apps.leads.scoring.config import fingerprint, from_snapshot, to_snapshot
from apps.leads.scoring.versions import config_for, draft_config
from tests.leads.scoring_defaults import default_config

pytestmark = pytest.mark.django_db


def test_the_data_migration_seeds_exactly_the_domain_defaults():
    assert draft_config().scoring == default_config()


def test_the_seeded_stops_are_qualification_under_60_and_feasibility_under_70():
    stops = draft_config().stops
    assert (stops.qualification_below, stops.feasibility_below) == (Decimal(60), Decimal(70))


def test_a_snapshot_thaws_into_the_same_config():
    config = draft_config()
    assert from_snapshot(to_snapshot(config)) == config


def test_the_first_scoring_publishes_the_seeded_draft_as_version_one():
    version = versions.current_version()
    assert version.number == 1
    assert config_for(version) == draft_config()
    assert versions.current_version() == version


def test_publishing_an_unchanged_draft_is_refused(admin_user):
    versions.current_version()
    with pytest.raises(ValidationError, match="Nothing to publish"):
        versions.publish_config(actor=admin_user)


def test_publishing_a_changed_draft_makes_the_next_version(admin_user, django_capture_on_commit_callbacks):
    versions.current_version()
    Criterion.objects.filter(key="existing_codebase").update(points=Decimal(30))
    with django_capture_on_commit_callbacks(execute=True):
        version, run = versions.publish_config(actor=admin_user, note="More weight on code")
    assert version.number == 2
    assert version.fingerprint == fingerprint(version.snapshot)
    assert config_for(version).scoring.qualification.criteria[0].points == Decimal(30)
    run.refresh_from_db()
    assert run.status == "done"


def test_an_old_version_keeps_its_numbers_after_the_draft_changes():
    version = versions.current_version()
    QualificationLevel.objects.filter(key="qualified").update(minimum=Decimal(65))
    stored = ScoringConfigVersion.objects.get(pk=version.pk)
    assert config_for(stored).scoring.qualification.levels[1].minimum == Decimal(60)


@pytest.mark.parametrize(("minimum", "refused"), [(0, True), (1, False), (20, False)])
def test_the_minimum_observed_sample_must_be_at_least_one(minimum, refused):
    settings = ScoringSettings.objects.get()
    settings.min_observed_sample = minimum
    if refused:
        with pytest.raises(ValidationError, match="at least one closed guarantee"):
            settings.full_clean()
    else:
        settings.full_clean()


def test_weights_that_do_not_add_up_to_one_are_refused_by_the_settings_form():
    settings = ScoringSettings.objects.get()
    settings.technical_weight = Decimal("0.5")
    with pytest.raises(ValidationError, match="add up to 1"):
        settings.full_clean()
