"""Pure: the JSON text the rescore stores equals json.dumps of the plain walk, however often parts are reused."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal as D

from apps.leads.scoring.config import AnswerChoice, CriterionConfig, LeadScoringConfig, ServiceTypeConfig, StopRules
from apps.leads.scoring.facts import Answers, LeadFacts
from apps.leads.scoring.feasibility import score_feasibility
from apps.leads.scoring.jsonable import to_json_text, to_jsonable
from apps.leads.scoring.qualification import score_qualification
from apps.leads.scoring.record import score_record
from tests.leads.scoring_defaults import default_config


def _facts(n: int) -> LeadFacts:
    answers = {"requirements_clarity": ["very_clear", "vague", None][n % 3], "contract_timeline_weeks": n % 9}
    return LeadFacts(
        service_type=["mvp_development", "legacy_modernization", "team_augmentation"][n % 3],
        timeline_weeks=1 + n % 13,
        complexity=["low", "medium", "high", "very_high"][n % 4],
        budget_usd=[D("5000"), D("5000.00"), D("74999.99"), D(250_000)][n % 4],
        team_size=n % 5,
        business_criticality=["low", "critical"][n % 2],
        requirements=tuple(f"R{i}" for i in range(n % 20)),
        technology_preferences=[(), ("Django",), ('Node "beta"', "Zürich\\ML")][n % 3],
        compliance_requirements=[(), ("HIPAA",)][n % 2],
        required_integrations=tuple("ABCDEFG"[: n % 8]),
        has_fallback_plan=n % 3 == 0,
        answers=Answers(**{k: v for k, v in answers.items() if v is not None}),
    )


def test_the_json_text_equals_json_dumps_of_the_plain_walk_for_varied_leads_scored_twice():
    config = default_config()
    for _ in range(2):  # the second round reuses every memoised part and cached text
        for n in range(120):
            qualification = score_qualification(_facts(n), config.qualification)
            feasibility = score_feasibility(_facts(n), config.feasibility, qualification.disqualifiers)
            for result in (qualification, feasibility):
                assert to_json_text(result) == json.dumps(to_jsonable(result))


def test_equal_decimals_written_differently_keep_their_own_text():
    # 12.0 and 12.00 are equal Decimals; a memo keyed by value alone would store one lead's text for the other.
    choices = (AnswerChoice("very_clear", D("0.6"), "Very clear"), AnswerChoice("vague", D("0.60"), "Vague"))
    probe = CriterionConfig("probe", "technical", "Probe", D(20), "requirements_clarity", "choice", choices=choices)
    fits = (ServiceTypeConfig("mvp_development", D(60), D(70), (), ()),)
    config = dataclasses.replace(default_config().qualification, criteria=(probe,), service_types=fits)
    written = []
    for answer in ("very_clear", "vague", "very_clear"):
        facts = dataclasses.replace(_facts(0), answers=Answers(requirements_clarity=answer))
        result = score_qualification(facts, config)
        written.append((str(result.dimensions[0].points), json.loads(to_json_text(result))["dimensions"][0]["points"]))
    assert written == [("12.0", "12.0"), ("12.00", "12.00"), ("12.0", "12.0")]


def test_a_score_record_holds_the_same_text_for_the_same_lead_every_time():
    config = LeadScoringConfig(default_config(), StopRules(D(60), D(70)))
    first = [score_record(_facts(n), config) for n in range(40)]
    again = [score_record(_facts(n), config) for n in range(40)]
    assert first == again
