"""The seeded tiers and settings turn into exactly the rules' defaults (model -> dataclass conversion)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.tiers.models import Tier, TierSettings
from tests.tiers.scoring_defaults import DEFAULT_CONFIG, DEFAULT_TIERS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("expected", DEFAULT_TIERS, ids=lambda spec: spec.slug)
def test_each_seeded_tier_converts_to_the_domain_default_spec(expected):
    assert Tier.objects.get(slug=expected.slug).to_spec() == expected


def test_the_seeded_settings_convert_to_the_domain_default_config():
    assert TierSettings.current().to_config() == DEFAULT_CONFIG


def test_the_seed_gives_every_tier_oversight_text_and_a_value_proposition():
    for tier in Tier.objects.all():
        assert tier.oversight
        assert len(tier.value_proposition) > 80


def test_settings_whose_weights_do_not_add_up_to_one_are_refused():
    settings = TierSettings.current()
    settings.weight_budget = Decimal("0.30")
    with pytest.raises(ValidationError, match="add up to 1"):
        settings.full_clean()


def test_a_tier_with_an_unknown_complexity_is_refused():
    tier = Tier.objects.get(slug="startup-mvp")
    tier.complexities = ["low", "extreme"]
    with pytest.raises(ValidationError):
        tier.full_clean()


def test_a_tier_whose_price_range_is_upside_down_is_refused_by_clean():
    tier = Tier.objects.get(slug="startup-mvp")
    tier.price_min = Decimal(200_000)
    with pytest.raises(ValidationError, match="price_min"):
        tier.full_clean()


def test_a_retired_tier_converts_with_its_retired_flag():
    tier = Tier.objects.get(slug="team-augmentation")
    tier.retired = True
    assert tier.to_spec().retired is True
