"""One SQLite store shared by all twins, with the sandbox clock and run-time options.

Domain tables live with their domain (`directory`, `bc_data`, `dm_data`, each a `SCHEMA`); the store knows none
of them and creates what it is given (`sandbox.tables.open_store` gives it all of them).
The clock is real time plus an offset the admin API can move (expiry scenarios).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sandbox.private_files import FILE_MODE, restrict

# The store's own tables: options and the clock (kv), the web twins' browser sessions.
CORE_SCHEMA = """
    CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS sessions (
        id TEXT PRIMARY KEY, service TEXT NOT NULL, data TEXT NOT NULL, created REAL NOT NULL);
    """


def _connect_private(path: Path) -> sqlite3.Connection:
    """Open the database 0600. SQLite gives the -wal/-shm side files the database file's mode, so the file is
    created 0600 first; the umask covers anything else it creates while the connection switches to WAL."""
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE))
    for side in ("", "-wal", "-shm"):
        restrict(path.with_name(path.name + side))
    old_umask = os.umask(0o077)
    try:
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error:
            conn.close()
            raise
    finally:
        os.umask(old_umask)
    return conn


class Store:
    """Thread-safe access to the sandbox database (one connection, serialised)."""

    def __init__(self, path: Path | str, schemas: Sequence[str]) -> None:
        """Open (or create) the database at `path` with the core tables and the domain `schemas` (SQL scripts)."""
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = _connect_private(self.path)
        self._lock = threading.RLock()
        with self._lock:
            for sql in (CORE_SCHEMA, *schemas):
                self._conn.executescript(sql)

    def check_integrity(self) -> None:
        """Raise sqlite3.DatabaseError when the file is damaged (quick_check reads every page; the store is small)."""
        problems = [row[0] for row in self.all("PRAGMA quick_check") if row[0] != "ok"]
        if problems:
            raise sqlite3.DatabaseError(problems[0])

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def all(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        with self._lock:
            return list(self._conn.execute(sql, args))

    def one(self, sql: str, *args: Any) -> sqlite3.Row | None:
        with self._lock:
            return self._conn.execute(sql, args).fetchone()

    def run(self, sql: str, *args: Any) -> int:
        with self._lock:
            return self._conn.execute(sql, args).rowcount

    # --- key/value options and the clock -------------------------------------------------------------

    def get(self, key: str, default: Any = None) -> Any:
        row = self.one("SELECT value FROM kv WHERE key = ?", key)
        return default if row is None else json.loads(row["value"])

    def put(self, key: str, value: Any) -> None:
        self.run("INSERT INTO kv(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 key, json.dumps(value))

    def now(self) -> float:
        """Sandbox time: wall clock plus the offset set through the admin API."""
        return time.time() + float(self.get("clock_offset_s", 0.0))

    def advance_clock(self, seconds: float) -> float:
        self.put("clock_offset_s", float(self.get("clock_offset_s", 0.0)) + seconds)
        return self.now()

    def reset_clock(self) -> None:
        self.put("clock_offset_s", 0.0)

    # --- browser sessions of the web twins -----------------------------------------------------------

    def new_session(self, service: str, data: dict[str, Any]) -> str:
        import secrets

        sid = secrets.token_urlsafe(24)
        self.run("INSERT INTO sessions(id, service, data, created) VALUES(?,?,?,?)", sid, service, json.dumps(data),
                 time.time())
        return sid

    def session(self, service: str, sid: str | None) -> dict[str, Any] | None:
        if not sid:
            return None
        row = self.one("SELECT data FROM sessions WHERE id = ? AND service = ?", sid, service)
        return None if row is None else json.loads(row["data"])

    def update_session(self, service: str, sid: str, data: dict[str, Any]) -> None:
        self.run("UPDATE sessions SET data = ? WHERE id = ? AND service = ?", json.dumps(data), sid, service)

    def drop_session(self, sid: str) -> None:
        self.run("DELETE FROM sessions WHERE id = ?", sid)
