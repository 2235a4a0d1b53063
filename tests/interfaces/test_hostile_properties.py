"""Properties over arbitrary (hostile) input: redirects stay on this site, cross-site writes are
refused whatever the headers say, confidential names never survive redaction."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from hrdwatch.interfaces.http.middleware import cross_site
from hrdwatch.interfaces.web.pages.auth import safe_next
from hrdwatch.services.redaction import WITHHELD, withhold
from hrdwatch.store.views import DemandView

HOSTILE_PATHS = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        ["//evil.example", "/\\evil.example", "https://evil.example/", "/\t/evil", "javascript:x"]
    ),
    st.builds(
        lambda a, b: a + b, st.sampled_from(["/", "//", "\\\\", "http:", "/%2F"]), st.text(max_size=30)
    ),
)


@settings(max_examples=300)
@given(HOSTILE_PATHS)
def test_login_redirect_never_leaves_the_site(value: str) -> None:
    target = safe_next(value)
    parts = urlsplit(target)
    assert target.startswith("/") and not target.startswith("//")
    assert not parts.scheme and not parts.netloc
    assert "\\" not in target and all(ord(c) >= 32 for c in target)


ORIGINS = st.one_of(
    st.none(),
    st.just("null"),
    st.text(max_size=30),
    st.builds(lambda host: f"https://{host}", st.from_regex(r"[a-z]{1,10}\.[a-z]{2,4}", fullmatch=True)),
)


@settings(max_examples=300)
@given(
    origin=ORIGINS,
    fetch_site=st.sampled_from([None, "cross-site", "same-site"]),
    method=st.sampled_from(["POST", "PUT", "PATCH", "DELETE"]),
)
def test_a_write_from_elsewhere_is_always_refused(
    origin: str | None, fetch_site: str | None, method: str
) -> None:
    headers = [(b"host", b"127.0.0.1:8000"), (b"cookie", b"hrdwatch_session=abc")]
    if origin is not None:
        headers.append((b"origin", origin.encode("utf-8", "replace")))
    if fetch_site is not None:
        headers.append((b"sec-fetch-site", fetch_site.encode()))
    scope: dict[str, Any] = {"type": "http", "method": method, "scheme": "http", "headers": headers}
    same = fetch_site is None and origin is not None and origin.lower() == "http://127.0.0.1:8000"
    assert (cross_site(scope) is None) is same


NAMES = st.from_regex(r"[A-Z][a-z]{3,8} [A-Z][a-z]{3,10}", fullmatch=True)


@settings(max_examples=200)
@given(name=NAMES, before=st.text(max_size=40), after=st.text(max_size=40), shout=st.booleans())
def test_a_confidential_name_never_survives_redaction(
    name: str, before: str, after: str, shout: bool
) -> None:
    shown = name.upper() if shout else name
    demand = DemandView("d1", f"{before} {shown}, {after}", "accepted")
    kept = withhold(demand, (name, *name.split()))
    assert name.casefold() not in kept.text.casefold()
    assert WITHHELD in kept.text
    for part in name.split():
        assert f" {part.casefold()}," not in kept.text.casefold()
