"""Configuration, read once from the environment (every variable is in the README).

Each setting is a field of :class:`Settings` with its default, written once; :data:`VARIABLES`
names the environment variable that sets it and how its text is read. Nothing else in thidua
reads the environment: the event store gets its configuration from here only
(``web.database.eventsourcing_env``), never from whatever ``os.environ`` holds.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    data_dir: Path = Path("var")
    host: str = "127.0.0.1"
    port: int = 5000
    views_schema: str = "views"
    run_projections: bool = False
    pool_size: int = 5
    pool_overflow: int = 10
    lock_timeout: int = 5
    aggregate_cache_size: int = 2000
    max_body_bytes: int = 5 * 1024 * 1024
    max_page_size: int = 500
    wait_timeout: float = 5.0
    ready_max_lag: int = 1000
    signing_key: Path | None = None  # None: data_dir / audit-signing-key.pem
    audit_origin: str = "thidua.baohiemxahoi.gov.vn"
    sample_year: int = 2024
    auth_failure_limit: int = 20
    trusted_proxies: int = 0
    idempotency_days: int = 1
    projection_batch: int = 1000
    projection_retry_max: float = 30.0
    export_limit: int = 2
    export_user_limit: int = 1
    export_write_timeout: float = 30.0
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def signing_key_path(self) -> Path:
        return self.signing_key or Path(self.data_dir) / "audit-signing-key.pem"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings the environment gives (``os.environ`` unless ``env``); a variable not
        set keeps the field's default."""
        env = os.environ if env is None else env
        found: dict[str, Any] = {}
        for name, (variable, read) in VARIABLES.items():
            text = env.get(variable)
            if text is not None and text != "":
                found[name] = read(variable, text)
        return cls(**found)


def _whole(lowest: int) -> Callable[[str, str], int]:
    def read(variable: str, text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise SystemExit(f"{variable} must be a whole number, not {text!r}") from None
        if value < lowest:
            raise SystemExit(f"{variable} must be at least {lowest}, not {value}")
        return value

    return read


def _seconds(lowest: float) -> Callable[[str, str], float]:
    def read(variable: str, text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise SystemExit(f"{variable} must be a number of seconds, not {text!r}") from None
        if not value >= lowest:
            raise SystemExit(f"{variable} must be at least {lowest} seconds, not {text}")
        return value

    return read


def _flag(variable: str, text: str) -> bool:
    return text.lower() in ("1", "true", "yes", "on")


def _text(variable: str, text: str) -> str:
    return text


def _path(variable: str, text: str) -> Path:
    return Path(text)


# field -> (environment variable, how its text is read)
VARIABLES: dict[str, tuple[str, Callable[[str, str], Any]]] = {
    "database_url": ("DATABASE_URL", _text),
    "data_dir": ("THIDUA_DATA_DIR", _path),
    "host": ("HOST", _text),
    "port": ("PORT", _whole(0)),
    "views_schema": ("THIDUA_VIEWS_SCHEMA", _text),
    "run_projections": ("THIDUA_RUN_PROJECTIONS", _flag),
    "pool_size": ("THIDUA_POOL_SIZE", _whole(2)),
    "pool_overflow": ("THIDUA_POOL_OVERFLOW", _whole(0)),
    "lock_timeout": ("THIDUA_LOCK_TIMEOUT", _whole(1)),
    "aggregate_cache_size": ("THIDUA_AGGREGATE_CACHE_MAXSIZE", _whole(0)),
    "max_body_bytes": ("THIDUA_MAX_BODY_BYTES", _whole(1024)),
    "max_page_size": ("THIDUA_MAX_PAGE_SIZE", _whole(1)),
    "ready_max_lag": ("THIDUA_READY_MAX_LAG", _whole(0)),
    "signing_key": ("THIDUA_SIGNING_KEY", _path),
    "audit_origin": ("THIDUA_AUDIT_ORIGIN", _text),
    "sample_year": ("THIDUA_SAMPLE_YEAR", _whole(1995)),
    "auth_failure_limit": ("THIDUA_AUTH_FAILURE_LIMIT", _whole(1)),
    "trusted_proxies": ("THIDUA_TRUSTED_PROXIES", _whole(0)),
    "idempotency_days": ("THIDUA_IDEMPOTENCY_DAYS", _whole(1)),
    "projection_batch": ("THIDUA_PROJECTION_BATCH", _whole(1)),
    "projection_retry_max": ("THIDUA_PROJECTION_RETRY_MAX", _seconds(0.5)),
    "export_limit": ("THIDUA_EXPORT_LIMIT", _whole(1)),
    "export_user_limit": ("THIDUA_EXPORT_USER_LIMIT", _whole(1)),
    "export_write_timeout": ("THIDUA_EXPORT_WRITE_TIMEOUT", _seconds(0.1)),
}
assert set(VARIABLES) <= {f.name for f in fields(Settings)}
