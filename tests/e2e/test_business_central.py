"""Binds features/business_central_entra_app.feature (steps in steps/business_central_steps.py).

The first scenario also proves the list's own Delete (`ui_cleanup`): the others undo their records through the
sandbox admin API, which is cheaper and leaves the same state (on live every undo goes through the UI).
"""

import pytest
from pytest_bdd import scenario, scenarios


@pytest.mark.ui_cleanup
@scenario("business_central_entra_app.feature",
          "The administrator registers and enables the app, and the BC API then accepts its token")
def test_the_administrator_registers_and_enables_the_app_and_the_bc_api_then_accepts_its_token() -> None:
    pass


scenarios("business_central_entra_app.feature")
