"""What a run's exit code means, for CI pipelines (`make e2e`, `pytest`, `scripts/report.sh`):

| code | meaning |
|---|---|
| 0 | every test passed (or was skipped) and the secret gate is clean |
| 1 | tests failed (pytest's TESTS_FAILED); the artifacts are clean |
| 2 | settings invalid (`harness.fixtures`: one line per problem; also pytest's code for an interrupted run) |
| 10 | SECRET LEAK: a secret was found in the run's artifacts — do not publish them; wins over every other code |

pytest's other codes keep their meaning (3 internal error, 4 usage error, 5 no tests collected, 6 too many
warnings): the leak code is none of them, with room for codes pytest may add, so a leak never reads as a crash, a
failed test or Ctrl-C.
"""

from __future__ import annotations

TESTS_FAILED = 1
SETTINGS_INVALID = 2
SECRET_LEAK = 10
