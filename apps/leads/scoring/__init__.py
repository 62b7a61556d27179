"""Lead scoring: qualification, feasibility and success probability, their configuration, and the rescore.

Pure rules (no ORM, no clock; Decimal in, explained Decimal out):
    facts.py          what the rules read about a lead (LeadFacts, Answers) and its hash
    config.py         the configuration as frozen dataclasses, and a published version's snapshot
    qualification.py  criteria, dimensions, gaps, disqualifiers, service fit
    feasibility.py    technical, timeline and resource sub-scores, risks, blockers, approach
    probability.py    combined score, success-probability band, observed rate
    record.py         all of it for one lead, shaped as the stored LeadScore (stops included)
    jsonable.py       dataclasses as JSON (dicts or text), compiled from type hints

Database glue:
    models.py         the admin-edited configuration rows, published versions, rescore runs
    versions.py       draft config from the rows, publish, preview, a version's config
    run.py            score one lead into a LeadScore; rescore every open lead in batches
"""
