"""What an admin may see of the running configuration: every setting, secrets masked."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from hrdwatch.config import PREFIX, Secret, Settings
from hrdwatch.domain.users import Principal
from hrdwatch.security.permissions import Action
from hrdwatch.services.access import require


@dataclass(frozen=True, slots=True)
class SettingView:
    name: str  # the environment variable
    value: str  # as shown: a database password or the key is never shown
    is_default: bool


def describe_settings(settings: Settings, user: Principal | None) -> list[SettingView]:
    """Each setting with the value in force (admins only). Change them in the environment or .env."""
    require(user, Action.SETTINGS_READ)
    defaults = Settings()
    return [
        SettingView(
            PREFIX + f.name.upper(),
            _shown(getattr(settings, f.name)),
            getattr(settings, f.name) == getattr(defaults, f.name),
        )
        for f in dataclasses.fields(Settings)
    ]


def _shown(value: object) -> str:
    if isinstance(value, Secret):
        return "set (hidden)"
    if value is None:
        return "not set"
    if isinstance(value, str) and "://" in value:
        try:
            return make_url(value).render_as_string(hide_password=True)
        except ArgumentError:
            return "(not a valid URL)"
    return str(value)
