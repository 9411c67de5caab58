"""`Secret` never prints itself; `reveal()` hands out the value and records it for the leak scan."""

import pickle

import pytest

from harness.secrets import MASK, Secret, forget_all, revealed_values


def test_repr_str_and_format_are_masked():
    secret = Secret("abc1" "Q~0123456789012345678901234567890123", "client_secret")
    assert "abc1Q~" not in repr(secret)
    assert str(secret) == MASK
    assert f"{secret}" == MASK and f"{secret:>50}" == MASK
    assert "client_secret" in repr(secret)


def test_reveal_returns_the_value_and_registers_it():
    forget_all()
    secret = Secret("a-value-long-enough")
    assert secret.reveal() == "a-value-long-enough"
    assert "a-value-long-enough" in revealed_values()


def test_secrets_inside_containers_stay_masked():
    secret = Secret("another-long-value")
    assert "another-long-value" not in repr({"s": secret, "l": [secret]})


def test_cannot_be_pickled():
    with pytest.raises(TypeError):
        pickle.dumps(Secret("pickled-value-123"))


def test_equality_compares_values():
    assert Secret("same-value-1234") == Secret("same-value-1234")
    assert Secret("same-value-1234") != Secret("other-value-1234")
