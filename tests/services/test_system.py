"""The settings page's data: every setting named, secrets never shown."""

from __future__ import annotations

import dataclasses

import pytest

from hrdwatch.config import Secret, Settings
from hrdwatch.domain.users import Principal, Role
from hrdwatch.errors import AccessError
from hrdwatch.services.system import describe_settings

ADMIN = Principal("a", "ada.korhonen", Role.ADMIN)


def test_every_setting_is_listed_and_secrets_are_masked() -> None:
    settings = Settings(db="postgresql+psycopg://team:s3cret-pw@db.example/cases", key=Secret("k3y-phrase"))
    rows = {row.name: row for row in describe_settings(settings, ADMIN)}
    assert len(rows) == len(dataclasses.fields(Settings))
    assert "s3cret-pw" not in rows["HRDWATCH_DB"].value and "db.example" in rows["HRDWATCH_DB"].value
    assert rows["HRDWATCH_KEY"].value == "set (hidden)"
    assert rows["HRDWATCH_MAX_BYTES"].is_default and not rows["HRDWATCH_DB"].is_default


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_only_admins_read_settings(role: Role) -> None:
    with pytest.raises(AccessError):
        describe_settings(Settings(), Principal("u", "pia.lund", role))
