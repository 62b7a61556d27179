"""Extension points other apps hook into with one line (like DEMO_STEPS).

LAST_WEEK_CLOSED: dotted paths of tasks called with the guarantee id after the transaction that closed its last
week commits (`close_week` in signoff.py). Final validation (the claims app) adds its task here.
"""

from __future__ import annotations

LAST_WEEK_CLOSED: list[str] = ["apps.outcomes.tasks.run_final_validation"]
