"""An analyst's day in a real browser: log in, upload an appeal, review it with the keyboard only,
verify, find the incident, read the person's timeline, log out; a viewer then sees the verified
incident. Screenshots of each main page go to ``tests/artifacts/``; no page may break the CSP.

Every person and organisation in the appeal is invented.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

from .conftest import PASSWORD, USERS, Console, LiveServer

VICTIM = "Nerys Calloway"
APPEAL = """\
title: Urgent appeal: human rights lawyer Nerys Calloway arrested and charged in Kenya
published: 2025-04-22
language: en

Kenya: human rights lawyer Nerys Calloway arrested and charged

This urgent appeal is fictional: every person and organisation in it is invented for the hrdwatch tests.

On 14 April 2025, police officers arrested Nerys Calloway, a human rights lawyer with the Amberfield \
Legal Collective, at her office in Mombasa, Kenya. The officers searched the office and seized her \
laptop and client files. Nerys Calloway was detained at Central Police Station in Mombasa for three \
days without access to her family.

On 17 April 2025, a magistrate charged Nerys Calloway with "incitement to violence" under Article 96 \
of the Penal Code. She was released on bail of 50,000 shillings and must report to the police every week.

The Amberfield Legal Collective believes the charge is linked to her defence of fishermen evicted from \
the coast. Nerys Calloway has represented coastal communities for more than ten years. The Collective \
fears that other members of its staff will be targeted.

The Collective calls on the authorities to drop all charges against Nerys Calloway. It urges them to \
return the seized files and to guarantee that lawyers can work without fear of reprisal.
"""
FACTS = "#review-body .fact"
#: selects the first occurrence of a string in the report pane, across segments and marks
SELECT_TEXT = """
(needle) => {
  const pane = document.getElementById("source-text");
  const at = pane.textContent.indexOf(needle);
  const end = at + needle.length;
  const walker = document.createTreeWalker(pane, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let seen = 0;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const next = seen + node.data.length;
    if (seen <= at && at < next) range.setStart(node, at - seen);
    if (seen < end && end <= next) range.setEnd(node, end - seen);
    seen = next;
  }
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return at;
}
"""
MAX_DECISIONS = 100


def _shot(page: Page, folder: Path, name: str, *, full_page: bool = True) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


def _log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    expect(page.locator("header .who")).to_contain_text(username)


def _active(page: Page) -> Locator:
    return page.locator(f"{FACTS}.active")


def _facts(page: Page) -> list[tuple[str, str, str]]:
    """(element id, data-fact, status) of every fact on the page, in order."""
    found: list[list[str]] = page.eval_on_selector_all(
        FACTS, "els => els.map(e => [e.id, e.dataset.fact, e.dataset.status])"
    )
    return [(a, b, c) for a, b, c in found]


def _press(page: Page, key: str, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def _go_to(page: Page, element_id: str) -> None:
    """Move the active fact to ``element_id`` with j / k only."""
    ids = [f[0] for f in _facts(page)]
    current = ids.index(_active(page).get_attribute("id") or "") if _active(page).count() else -1
    target = ids.index(element_id)
    if current < 0:
        _press(page, "j")
        current = 0
    _press(page, "j" if target > current else "k", abs(target - current))
    expect(_active(page)).to_have_id(element_id)


def _status(page: Page, element_id: str) -> Locator:
    return page.locator(f"#{element_id}")


def _incident(page: Page, date: str) -> Locator:
    dated = page.locator(".group-dates .fact-label", has_text=date)
    return page.locator("article.incident", has=dated)


def _review_with_keyboard(page: Page) -> None:
    facts = _facts(page)
    first, second = facts[0][0], facts[1][0]
    _press(page, "j")
    expect(_active(page)).to_have_id(first)
    expect(page.locator("#source-text mark.hl.active").first).to_be_visible()
    # the first two facts come from the headline, not from an event: reject them
    _press(page, "x")
    expect(_status(page, first)).to_have_attribute("data-status", "rejected")
    expect(_active(page)).to_have_id(second)
    _press(page, "x")
    expect(_status(page, second)).to_have_attribute("data-status", "rejected")
    # accept the victim, then correct the description the pipeline got wrong
    person = next(f for f in _facts(page) if f[1].startswith("people:"))[0]
    _go_to(page, person)
    _press(page, "a")
    expect(_status(page, person)).to_have_attribute("data-status", "accepted")
    _press(page, "k")
    expect(_active(page)).to_have_id(person)
    _press(page, "e")
    name_input = page.locator(f"#{person} input[name='field.name']")
    expect(name_input).to_be_focused()
    _press(page, "Tab")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("human rights lawyer, Amberfield Legal Collective")  # letters a, x, u, e: typing
    _press(page, "Enter")
    expect(_status(page, person)).to_have_attribute("data-status", "corrected")
    expect(_status(page, person).locator(".fact-values")).to_contain_text("Amberfield Legal Collective")
    expect(_active(page)).to_have_id(person)
    # reject the next fact by mistake, and undo that
    _press(page, "j")
    mistaken = _active(page).get_attribute("id") or ""
    _press(page, "x")
    expect(_status(page, mistaken)).to_have_attribute("data-status", "rejected")
    _press(page, "u")
    expect(_status(page, mistaken)).to_have_attribute("data-status", "extracted")
    expect(page.locator("#review-status")).to_contain_text("Undone")
    # Escape leaves an edit without saving
    expect(_active(page)).to_have_id(mistaken)
    _press(page, "e")
    page.keyboard.type("zzz")
    _press(page, "Escape")
    expect(page.locator(f"#{mistaken} details.edit[open]")).to_have_count(0)
    expect(_status(page, mistaken)).to_have_attribute("data-status", "extracted")
    expect(_status(page, mistaken)).not_to_contain_text("zzz")


def _add_from_selection(page: Page, incident_id: str) -> None:
    """Select words across a highlighted span, add them as the place of detention."""
    quote = "Central Police Station in Mombasa"
    start = page.evaluate(SELECT_TEXT, quote)
    page.locator("#source-text").dispatch_event("mouseup")
    form = page.locator("#add-fact form")
    expect(form).to_be_visible()
    expect(form.locator("input[name=start]")).to_have_value(str(start))
    expect(form.locator("input[name=end]")).to_have_value(str(start + len(quote)))
    expect(form.locator(".add-quote q")).to_have_text(quote)
    form.locator("select[name=incident_id]").select_option(incident_id)
    form.locator("select[name=kind]").select_option("place")
    field = form.locator("fieldset[data-kind=place] input[name='field.detention_place']")
    field.fill("Central Police Station, Mombasa")
    field.press("Enter")
    expect(form).to_be_hidden()
    marked = page.locator(f"#source-text mark[data-fact='incidents:{incident_id}']")
    expect(marked.filter(has_text="Central Police Station")).to_have_count(1)
    place = page.locator(f"#incident-{incident_id} .group-places .fact")
    expect(place).to_have_attribute("data-status", "corrected")
    expect(place.locator(".fact-values")).to_contain_text("Central Police Station, Mombasa")


def _decide_the_rest(page: Page) -> None:
    for _ in range(MAX_DECISIONS):
        pending = [f[0] for f in _facts(page) if f[2] == "extracted"]
        if not pending:
            return
        _go_to(page, pending[0])
        _press(page, "a")
        expect(_status(page, pending[0])).not_to_have_attribute("data-status", "extracted")
    raise AssertionError("facts were still undecided after the last decision")


def test_analyst_flow(page: Page, live_server: LiveServer, artifacts: Path, console: Console) -> None:
    page.goto("/login")
    _shot(page, artifacts, "login")
    _log_in(page, USERS["editor"])

    page.click("nav >> text=Upload")
    expect(page).to_have_url(re.compile(r"/upload$"))
    report: Any = {"name": "calloway-appeal.txt", "mimeType": "text/plain", "buffer": APPEAL.encode()}
    page.set_input_files("input[name=files]", files=[report])
    page.click("form[action='/upload'] button[type=submit]")
    expect(page.locator("#upload-results .badge.ingested")).to_be_visible(timeout=120_000)
    _shot(page, artifacts, "upload")

    page.click("nav >> text=Review queue")
    expect(page).to_have_url(re.compile(r"/review$"))
    link = page.locator("table.review-queue a", has_text=VICTIM)
    expect(link).to_be_visible()
    _shot(page, artifacts, "review-queue")
    link.click()
    expect(page.locator("#review-body")).to_be_visible()
    expect(page.locator("#source-text")).to_contain_text("Article 96 of the Penal Code")
    _shot(page, artifacts, "review")

    _review_with_keyboard(page)
    _add_from_selection(page, _incident(page, "2025-04-14").get_attribute("data-incident") or "")
    _decide_the_rest(page)
    for date in ("2025-04-14", "2025-04-17"):
        incident = _incident(page, date)
        incident.locator("button.verify").click()
        expect(_incident(page, date).locator(".incident-status")).to_have_text("verified")
    arrest_id = _incident(page, "2025-04-14").get_attribute("data-incident")
    _shot(page, artifacts, "review-verified")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("#review-body")).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    _shot(page, artifacts, "review-phone", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto("/incidents")
    page.locator("#q").press_sequentially("Calloway", delay=20)
    found = page.locator(f"#results a[href='/incidents/{arrest_id}']")
    expect(found).to_be_visible()
    _shot(page, artifacts, "incidents")
    found.click()
    expect(page).to_have_url(re.compile(f"/incidents/{arrest_id}$"))
    expect(page.locator("main")).to_contain_text(VICTIM)
    _shot(page, artifacts, "incident")
    page.locator("main a[href^='/people/']", has_text=VICTIM).first.click()
    expect(page).to_have_url(re.compile(r"/people/[0-9a-f]+$"))
    expect(page.locator(".timeline li")).to_have_count(2)
    _shot(page, artifacts, "person")

    page.click("form[action='/logout'] button")
    expect(page).to_have_url(re.compile(r"/login"))
    _log_in(page, USERS["viewer"])
    page.goto("/incidents")
    expect(page.locator(f"#results a[href='/incidents/{arrest_id}']")).to_be_visible()
    expect(page.locator("nav >> text=Review queue")).to_have_count(0)

    assert console.csp_violations() == []
    assert console.errors == []
