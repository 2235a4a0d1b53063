"""Layout in a real browser: the audit table stays inside the page however long its values are
(issue 7, item 14), at desktop and phone widths."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from hrdwatch.domain.audit import AuditAction, AuditRecord
from hrdwatch.services.audit import record_now

from .conftest import PASSWORD, USERS, LiveServer

LONG_NAME = "appeal-" + "x" * 160 + ".txt"
FITS = """() => {
  const page = document.documentElement;
  const wrap = document.querySelector(".table-wrap");
  return {page: page.scrollWidth - page.clientWidth, table: wrap.scrollWidth - wrap.clientWidth};
}"""


def _seed_long_events(live_server: LiveServer) -> None:
    after = {"fields": ["date", "city", "country", "site", "detention_place"], "note": "y" * 300}
    record_now(
        live_server.engine,
        AuditRecord(
            AuditAction.UPLOAD_FAILED,
            USERS["editor"],
            subject=LONG_NAME,
            target_table="sources",
            target_id="f" * 32,
            before={"text": "z" * 200},
            after=after,
            ip="2001:db8:85a3:0000:0000:8a2e:0370:7334",
            detail="[E102] " + LONG_NAME + ": 99999999 bytes is over the size limit of 20971520 bytes",
        ),
    )


def test_the_audit_table_does_not_overflow_the_page(page: Page, live_server: LiveServer) -> None:
    _seed_long_events(live_server)
    page.goto("/login")
    page.fill("input[name=username]", USERS["admin"])
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    expect(page.locator("header .who")).to_contain_text(USERS["admin"])
    for width in (1280, 1024, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/admin/audit")
        expect(page.locator("table.audit")).to_contain_text("upload_failed")
        overflow = page.evaluate(FITS)
        assert overflow["page"] <= 0, (width, overflow)
        if width >= 1024:  # on a phone the table may scroll inside its frame; on a desktop not at all
            assert overflow["table"] <= 1, (width, overflow)
