"""Sandbox profiles: how much of the real services' eventual consistency and throttling the twins model."""

from __future__ import annotations

from typing import Any

PROFILES: dict[str, dict[str, Any]] = {
    # Tests: instant, no faults.
    "fast": {"replication_lag_s": 0.0, "fault_rate": 0.0, "page_delay_ms": 0, "retry_after_s": 1},
    # Like a real tenant on a good day: seconds of replication lag.
    "realistic": {"replication_lag_s": 4.0, "fault_rate": 0.0, "page_delay_ms": 150, "retry_after_s": 1},
    # Lag, about 10 % 429/503 on the token endpoint and the BC API, slow pages.
    "chaos": {"replication_lag_s": 3.0, "fault_rate": 0.1, "page_delay_ms": 400, "retry_after_s": 1},
}


def apply_profile(store: Any, name: str) -> dict[str, Any]:
    if name not in PROFILES:
        raise ValueError(f"unknown profile {name!r}; choose one of {', '.join(PROFILES)}")
    values = PROFILES[name]
    store.put("profile", name)
    store.put("replication_lag_s", values["replication_lag_s"])
    for key, value in values.items():
        store.put("opt:" + key, value)
    return {"profile": name, **values}
