"""For every test: a config directory of its own (``XDG_CONFIG_HOME``), so the audit key file that
the first audited write makes (``HRDWATCH_AUDIT_KEY_FILE``'s default) lands in a temporary folder,
never in the developer's home. Child processes inherit it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _config_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config-home")))
        yield
