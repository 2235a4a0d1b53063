"""One Settings object, read from the environment (``HRDWATCH_*``), then ``.env``, then defaults.

Secrets are wrapped in :class:`Secret` so they never show in a repr, a log line or a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

from hrdwatch.errors import Errors, SettingsError

PREFIX = "HRDWATCH_"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PDF_PAGES = 500
DEFAULT_PARSE_TIMEOUT = 60.0
DEFAULT_BUSY_TIMEOUT = 30
DEFAULT_PARSE_MEMORY_MB = 1024
DEFAULT_MAX_TEXT_CHARS = 1_000_000
DEFAULT_EXTRACT_TIMEOUT = 300.0
DEFAULT_EXTRACT_MEMORY_MB = 768
DEFAULT_SESSION_IDLE_MINUTES = 30
DEFAULT_SESSION_MAX_HOURS = 12
DEFAULT_LOGIN_MAX_FAILURES_PER_IP = 20
DEFAULT_LOGIN_MAX_FAILURES_TOTAL = 100
#: person linking (issue 9): picked on the benchmark's name-variant set (benchmarks/README.md)
DEFAULT_LINK_AUTO = 0.91
DEFAULT_LINK_SUGGEST = 0.78


class Secret:
    """A string that does not reveal itself when printed."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


def _read_dotenv(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


def default_audit_key_file() -> Path:
    """Kept outside the database on purpose: whoever can rewrite the database cannot forge seals."""
    return Path(user_config_dir("hrdwatch", appauthor=False)) / "audit.key"


def default_db_url() -> str:
    data = Path(user_data_dir("hrdwatch", appauthor=False))
    return f"sqlite:///{data / 'hrdwatch.db'}"


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting hrdwatch reads. Documented in docs/settings.md (a test keeps them in step)."""

    db: str = field(default_factory=default_db_url)
    key: Secret | None = None
    env: str = "production"
    max_bytes: int = DEFAULT_MAX_BYTES
    max_pdf_pages: int = DEFAULT_MAX_PDF_PAGES
    parse_timeout: float = DEFAULT_PARSE_TIMEOUT
    busy_timeout: int = DEFAULT_BUSY_TIMEOUT
    parse_memory_mb: int = DEFAULT_PARSE_MEMORY_MB
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS
    extract_timeout: float = DEFAULT_EXTRACT_TIMEOUT
    extract_memory_mb: int = DEFAULT_EXTRACT_MEMORY_MB
    model: str = ""
    session_idle_minutes: int = DEFAULT_SESSION_IDLE_MINUTES
    session_max_hours: int = DEFAULT_SESSION_MAX_HOURS
    login_max_failures_per_ip: int = DEFAULT_LOGIN_MAX_FAILURES_PER_IP
    login_max_failures_total: int = DEFAULT_LOGIN_MAX_FAILURES_TOTAL
    link_auto: float = DEFAULT_LINK_AUTO
    link_suggest: float = DEFAULT_LINK_SUGGEST
    audit_key_file: Path = field(default_factory=default_audit_key_file)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, *, dotenv: Path | None = None) -> Settings:
        env = dict(_read_dotenv(dotenv or Path(".env")))
        env.update(os.environ if environ is None else environ)

        def get(name: str) -> str | None:
            value = env.get(PREFIX + name.upper())
            return value if value not in (None, "") else None

        def get_int(name: str, default: int) -> int:
            raw = get(name)
            if raw is None:
                return default
            try:
                value = int(raw)
            except ValueError as e:
                raise SettingsError(
                    Errors.E401, name=PREFIX + name.upper(), reason="not a whole number"
                ) from e
            if value <= 0:
                raise SettingsError(Errors.E401, name=PREFIX + name.upper(), reason="must be positive")
            return value

        def get_float(name: str, default: float, *, most: float | None = None) -> float:
            raw = get(name)
            try:
                value = float(raw) if raw else default
            except ValueError as e:
                raise SettingsError(Errors.E401, name=PREFIX + name.upper(), reason="not a number") from e
            if value <= 0:
                raise SettingsError(Errors.E401, name=PREFIX + name.upper(), reason="must be positive")
            if most is not None and value > most:
                raise SettingsError(Errors.E401, name=PREFIX + name.upper(), reason=f"must be at most {most}")
            return value

        def get_seconds(name: str, default: float) -> float:
            return get_float(name, default)

        def get_fraction(name: str, default: float) -> float:
            return get_float(name, default, most=1.0)

        link_auto = get_fraction("link_auto", DEFAULT_LINK_AUTO)
        link_suggest = get_fraction("link_suggest", DEFAULT_LINK_SUGGEST)
        if link_suggest > link_auto:
            raise SettingsError(Errors.E401, name=PREFIX + "LINK_SUGGEST", reason="above HRDWATCH_LINK_AUTO")
        key = get("key")
        timeout = get("parse_timeout")
        try:
            parse_timeout = float(timeout) if timeout else DEFAULT_PARSE_TIMEOUT
        except ValueError as e:
            raise SettingsError(Errors.E401, name=PREFIX + "PARSE_TIMEOUT", reason="not a number") from e
        if parse_timeout <= 0:
            raise SettingsError(Errors.E401, name=PREFIX + "PARSE_TIMEOUT", reason="must be positive")
        return cls(
            db=get("db") or default_db_url(),
            key=Secret(key) if key else None,
            env=get("env") or "production",
            max_bytes=get_int("max_bytes", DEFAULT_MAX_BYTES),
            max_pdf_pages=get_int("max_pdf_pages", DEFAULT_MAX_PDF_PAGES),
            parse_timeout=parse_timeout,
            busy_timeout=get_int("busy_timeout", DEFAULT_BUSY_TIMEOUT),
            parse_memory_mb=get_int("parse_memory_mb", DEFAULT_PARSE_MEMORY_MB),
            max_text_chars=get_int("max_text_chars", DEFAULT_MAX_TEXT_CHARS),
            extract_timeout=get_seconds("extract_timeout", DEFAULT_EXTRACT_TIMEOUT),
            extract_memory_mb=get_int("extract_memory_mb", DEFAULT_EXTRACT_MEMORY_MB),
            model=get("model") or "",
            session_idle_minutes=get_int("session_idle_minutes", DEFAULT_SESSION_IDLE_MINUTES),
            session_max_hours=get_int("session_max_hours", DEFAULT_SESSION_MAX_HOURS),
            login_max_failures_per_ip=get_int("login_max_failures_per_ip", DEFAULT_LOGIN_MAX_FAILURES_PER_IP),
            login_max_failures_total=get_int("login_max_failures_total", DEFAULT_LOGIN_MAX_FAILURES_TOTAL),
            link_auto=link_auto,
            link_suggest=link_suggest,
            audit_key_file=Path(get("audit_key_file") or default_audit_key_file()),
        )
