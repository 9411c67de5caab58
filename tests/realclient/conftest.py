"""A ready S2S app for the unchanged real clients (msal, azure-identity, PyJWT), removed afterwards."""

import pytest


@pytest.fixture
def ready_app(admin):
    app = admin.provision_app()
    yield app
    admin.remove_app(app["client_id"])
