"""The bounds of a lead's inputs, declared once: the staff form and the API schema are both built from them."""

from __future__ import annotations

MAX_TIMELINE_WEEKS = 520  # ten years: anything longer is a typo, and it would skew feasibility scoring
MAX_TEAM_SIZE = 100_000
MAX_LIST_ITEMS = 200  # requirements, technologies, compliance regimes, integrations
MAX_LINE_LENGTH = 300
MAX_CONTRACT_WEEKS = 520
