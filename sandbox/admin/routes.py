"""Imports the twin modules that contribute admin routes (each registers with `admin_route`)."""

import importlib

for _module in ("sandbox.dynamics_mobile.agent", "sandbox.dynamics_mobile.admin_api"):
    try:
        importlib.import_module(_module)
    except ModuleNotFoundError as exc:  # twin not built yet
        if not (exc.name and _module.startswith(exc.name)):
            raise
