"""Configuration, read once from the environment (every variable is in the README)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


def _int(env: Mapping[str, str], key: str, default: int) -> int:
    try:
        return int(env.get(key, default))
    except ValueError:
        raise SystemExit(f"{key} must be a whole number, not {env.get(key)!r}") from None


def _float(env: Mapping[str, str], key: str, default: float) -> float:
    try:
        return float(env.get(key, default))
    except ValueError:
        raise SystemExit(f"{key} must be a number of seconds, not {env.get(key)!r}") from None


def _bool(env: Mapping[str, str], key: str, default: bool) -> bool:
    return env.get(key, "1" if default else "0").lower() in ("1", "true", "yes", "on")


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
    max_body_bytes: int = 5 * 1024 * 1024
    max_page_size: int = 500
    wait_timeout: float = 5.0
    ready_max_lag: int = 1000
    signing_key: Path | None = None
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

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("THIDUA_DATA_DIR", "var"))
        key = env.get("THIDUA_SIGNING_KEY")
        return cls(
            database_url=env.get("DATABASE_URL") or None,
            data_dir=data_dir,
            host=env.get("HOST", "127.0.0.1"),
            port=_int(env, "PORT", 5000),
            views_schema=env.get("THIDUA_VIEWS_SCHEMA", "views"),
            run_projections=_bool(env, "THIDUA_RUN_PROJECTIONS", False),
            pool_size=_int(env, "THIDUA_POOL_SIZE", 5),
            pool_overflow=_int(env, "THIDUA_POOL_OVERFLOW", 10),
            lock_timeout=_int(env, "THIDUA_LOCK_TIMEOUT", 5),
            max_body_bytes=_int(env, "THIDUA_MAX_BODY_BYTES", 5 * 1024 * 1024),
            max_page_size=_int(env, "THIDUA_MAX_PAGE_SIZE", 500),
            ready_max_lag=_int(env, "THIDUA_READY_MAX_LAG", 1000),
            signing_key=Path(key) if key else data_dir / "audit-signing-key.pem",
            sample_year=_int(env, "THIDUA_SAMPLE_YEAR", 2024),
            auth_failure_limit=_int(env, "THIDUA_AUTH_FAILURE_LIMIT", 20),
            trusted_proxies=max(0, _int(env, "THIDUA_TRUSTED_PROXIES", 0)),
            idempotency_days=max(1, _int(env, "THIDUA_IDEMPOTENCY_DAYS", 1)),
            projection_batch=max(1, _int(env, "THIDUA_PROJECTION_BATCH", 1000)),
            projection_retry_max=max(0.5, _float(env, "THIDUA_PROJECTION_RETRY_MAX", 30.0)),
            export_limit=max(1, _int(env, "THIDUA_EXPORT_LIMIT", 2)),
            export_user_limit=max(1, _int(env, "THIDUA_EXPORT_USER_LIMIT", 1)),
            export_write_timeout=max(0.1, _float(env, "THIDUA_EXPORT_WRITE_TIMEOUT", 30.0)),
        )
