"""Pieces of revealed secrets are masked wherever they appear in report text, and nothing else is touched."""

from harness.reporting.scrubbing import scrub_text
from harness.secrets import MASK, Secret, forget_all

VALUE = "abc8" "Q~0123456789abcdefghijklmnopqrstuvwx"


def test_whole_and_truncated_values_are_masked():
    forget_all()
    Secret(VALUE).reveal()
    text = f"assert '{VALUE}' == x; pytest shows '{VALUE[:20]}...{VALUE[-12:]}'"
    cleaned = scrub_text(text)
    assert VALUE[:8] not in cleaned and VALUE[-8:] not in cleaned
    assert cleaned.count(MASK) == 3
    assert cleaned.startswith("assert '") and "pytest shows" in cleaned


def test_short_overlaps_and_other_text_stay():
    forget_all()
    Secret(VALUE).reveal()
    text = "abc8Q~01 is seven-plus? no: 'abc8Q~0' has 7 characters; hello world"
    assert scrub_text(text) == text.replace("abc8Q~01", MASK)


def test_many_values_stay_fast():
    forget_all()
    values = [f"{i:03d}xQ~" + "k" * 20 + f"{i:012d}" for i in range(300)]
    for value in values:
        Secret(value).reveal()
    text = ("plain report text " * 5000) + values[-1]
    cleaned = scrub_text(text)
    assert cleaned.endswith(MASK) and values[-1] not in cleaned
