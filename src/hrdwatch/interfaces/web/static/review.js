/* The review page: keyboard review, in-place forms, adding a fact from a selection in the text.
 *
 * Keys (ignored while typing in a field): j / k next / previous fact, a accept, x reject,
 * e edit (Enter saves, Escape cancels), u undo the last change made on this page.
 *
 * Every form also works without this script. Here each is sent with fetch() and the header
 * HX-Request: true; the server answers with the page's body re-rendered (swapped in place), the
 * audit event id of the change in X-Event-Id (kept for undo) and the fact changed in X-Fact.
 * Errors come back as {"error": {"code", "message", "status"}} and are shown in #review-status.
 */
(function () {
  "use strict";

  const slot = document.getElementById("review-body-slot");
  if (!slot) return;
  const sourceId = slot.dataset.source;
  const statusLine = document.getElementById("review-status");
  const addPanel = document.getElementById("add-fact");
  const addForm = addPanel ? addPanel.querySelector("form") : null;
  const undoStack = []; // {event, key}: changes made on this page, newest last
  let activeKey = null; // the id of the active fact's element, kept across re-renders
  let busy = false;

  const facts = () => Array.from(document.querySelectorAll("#review-body .fact"));
  const current = () => (activeKey ? document.getElementById(activeKey) : null);
  const marksOf = (key) =>
    document.querySelectorAll('#source-text mark.hl[data-fact="' + CSS.escape(key) + '"]');

  function say(message, isError) {
    if (!statusLine) return;
    statusLine.textContent = message;
    statusLine.classList.toggle("error", Boolean(isError));
  }

  function labelOf(fact) {
    const label = fact ? fact.querySelector(".fact-label") : null;
    return label ? label.textContent.trim() : "fact";
  }

  // -- the active fact ---------------------------------------------------------------------------

  function activate(fact, scroll) {
    document.querySelectorAll("#review-body .fact.active").forEach((el) => {
      el.classList.remove("active");
      el.removeAttribute("aria-current");
    });
    document.querySelectorAll("#source-text mark.hl.active").forEach((el) => el.classList.remove("active"));
    if (!fact) {
      activeKey = null;
      return;
    }
    activeKey = fact.id;
    fact.classList.add("active");
    fact.setAttribute("aria-current", "true");
    const marks = marksOf(fact.dataset.fact);
    marks.forEach((mark) => mark.classList.add("active"));
    if (scroll !== false) {
      if (marks.length) marks[0].scrollIntoView({ block: "nearest" });
      fact.scrollIntoView({ block: "nearest" });
    }
    fact.focus({ preventScroll: true });
  }

  function move(step) {
    const list = facts();
    if (!list.length) return;
    const index = list.indexOf(current());
    const next = index < 0 ? 0 : Math.min(Math.max(index + step, 0), list.length - 1);
    activate(list[next]);
  }

  // -- talking to the server ---------------------------------------------------------------------

  function replaceBody(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    const fresh = template.content.getElementById("review-body");
    const old = document.getElementById("review-body");
    if (!fresh || !old) return;
    const pane = old.querySelector(".source-pane");
    const scrollTop = pane ? pane.scrollTop : 0;
    old.replaceWith(fresh);
    const newPane = fresh.querySelector(".source-pane");
    if (newPane) newPane.scrollTop = scrollTop;
    const fact = activeKey ? document.getElementById(activeKey) : null;
    activate(fact, false);
  }

  async function errorOf(response) {
    if (response.status === 401) return "Your session has ended: reload the page and log in again.";
    try {
      const body = await response.json();
      return body.error.message;
    } catch (e) {
      return "The request failed (HTTP " + response.status + ").";
    }
  }

  /* POST fields to url; on success swap the body in and return {event, fact}, else null. */
  async function post(url, fields) {
    if (busy) return null;
    busy = true;
    slot.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "HX-Request": "true",
          Accept: "text/html",
        },
        body: new URLSearchParams(fields),
      });
      if (!response.ok) {
        say(await errorOf(response), true);
        return null;
      }
      const result = { event: response.headers.get("X-Event-Id"), fact: response.headers.get("X-Fact") };
      replaceBody(await response.text());
      return result;
    } catch (e) {
      say("The server could not be reached; nothing was changed.", true);
      return null;
    } finally {
      busy = false;
      slot.setAttribute("aria-busy", "false");
    }
  }

  function formFields(form, submitter) {
    const fields = new URLSearchParams(new FormData(form));
    if (submitter && submitter.name) fields.set(submitter.name, submitter.value);
    return fields;
  }

  // -- decisions ---------------------------------------------------------------------------------

  async function decide(fact, decision) {
    if (!fact) {
      say("Press j to choose a fact first.");
      return;
    }
    const form = fact.querySelector(".decide-form");
    const button = form.querySelector('button[value="' + decision + '"]');
    const label = labelOf(fact);
    const key = fact.id;
    activate(fact, false);
    const done = await post(form.action, formFields(form, button));
    if (!done) return;
    undoStack.push({ event: done.event, key: key });
    say((decision === "accept" ? "Accepted: " : "Rejected: ") + label + ". Press u to undo.");
    const list = facts();
    const index = list.indexOf(document.getElementById(key));
    activate(list[Math.min(index + 1, list.length - 1)] || null);
  }

  function openEdit(fact) {
    if (!fact) {
      say("Press j to choose a fact first.");
      return;
    }
    const details = fact.querySelector("details.edit");
    if (!details) {
      say("This fact has nothing to edit.");
      return;
    }
    details.open = true;
    const input = details.querySelector("input:not([type=hidden])");
    if (input) {
      input.focus();
      input.select();
    }
  }

  function closeEdit(form) {
    form.reset();
    const details = form.closest("details");
    if (details) details.open = false;
    const fact = form.closest(".fact");
    if (fact) activate(fact, false);
  }

  async function saveEdit(form) {
    const fact = form.closest(".fact");
    const fields = new URLSearchParams();
    let changed = 0;
    form.querySelectorAll("input").forEach((input) => {
      if (input.type === "hidden") fields.set(input.name, input.value);
      else if (input.value !== input.defaultValue) {
        fields.set(input.name, input.value);
        changed += 1;
      }
    });
    if (!changed) {
      say("Nothing was changed.");
      closeEdit(form);
      return;
    }
    const key = fact ? fact.id : null;
    const done = await post(form.action, fields);
    if (!done) return;
    undoStack.push({ event: done.event, key: key });
    say("Saved: " + labelOf(key ? document.getElementById(key) : null) + ". Press u to undo.");
  }

  async function undoLast() {
    const last = undoStack.pop();
    if (!last) {
      say("Nothing to undo on this page.");
      return;
    }
    const done = await post("/review/undo", { source_id: sourceId, event_id: last.event });
    if (!done) return;
    const fact = last.key ? document.getElementById(last.key) : null;
    if (fact) activate(fact);
    say("Undone" + (fact ? ": " + labelOf(fact) : "") + ".");
  }

  async function verify(form) {
    const incident = form.closest(".incident");
    const done = await post(form.action, formFields(form));
    if (done && incident) say("Verified: " + incident.querySelector("h2").textContent + ".");
  }

  // -- adding a fact from a selection ------------------------------------------------------------

  /* The character offset in the report of a boundary point inside #source-text. */
  function offsetOf(node, offset) {
    const text = document.getElementById("source-text");
    if (!text || !text.contains(node)) return null;
    if (node === text) {
      const seg = text.children[offset];
      return seg ? Number(seg.dataset.start) : Number(text.dataset.length);
    }
    const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    const seg = element.closest(".seg");
    if (!seg) return null;
    const range = document.createRange();
    range.setStart(seg, 0);
    range.setEnd(node, offset);
    return Number(seg.dataset.start) + range.toString().length;
  }

  function selectedSpan() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    let start = offsetOf(range.startContainer, range.startOffset);
    let end = offsetOf(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return null;
    const quote = range.toString();
    start += quote.length - quote.trimStart().length;
    end -= quote.length - quote.trimEnd().length;
    return end > start ? { start: start, end: end, quote: quote.trim() } : null;
  }

  function showKind(kind) {
    addForm.querySelectorAll("fieldset.kind-fields").forEach((fieldset) => {
      const off = fieldset.dataset.kind !== kind;
      fieldset.hidden = off;
      fieldset.disabled = off;
    });
  }

  function offerAdd() {
    if (!addForm) return;
    const span = selectedSpan();
    if (!span) return;
    addForm.elements.start.value = span.start;
    addForm.elements.end.value = span.end;
    const quote = addForm.querySelector(".add-quote");
    quote.querySelector("q").textContent = span.quote;
    quote.hidden = false;
    const fact = current();
    const incident = fact ? fact.closest(".incident") : null;
    if (incident) addForm.elements.incident_id.value = incident.dataset.incident;
    addPanel.open = true;
    addForm.elements.kind.focus({ preventScroll: true });
  }

  async function saveAdd() {
    const done = await post(addForm.action, formFields(addForm));
    if (!done) return;
    undoStack.push({ event: done.event, key: null });
    addForm.reset();
    showKind(addForm.elements.kind.value);
    addForm.querySelector(".add-quote").hidden = true;
    addPanel.open = false;
    const added = done.fact ? document.querySelector('#review-body .fact[data-fact="' + CSS.escape(done.fact) + '"]') : null;
    if (added) {
      activate(added);
      undoStack[undoStack.length - 1].key = added.id;
    }
    say("Added: " + labelOf(added) + ". Press u to undo.");
  }

  // -- wiring ------------------------------------------------------------------------------------

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.closest("#review-body, #add-fact")) return;
    event.preventDefault();
    if (form.classList.contains("decide-form")) {
      const decision = event.submitter ? event.submitter.value : "accept";
      decide(form.closest(".fact"), decision);
    } else if (form.classList.contains("edit-form")) saveEdit(form);
    else if (form.classList.contains("verify-form")) verify(form);
    else if (form === addForm) saveAdd();
  });

  document.addEventListener("reset", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.classList.contains("edit-form")) {
      const details = form.closest("details");
      if (details) details.open = false;
    } else if (form === addForm) {
      addPanel.open = false;
      window.setTimeout(() => showKind(addForm.elements.kind.value), 0);
    }
  });

  if (addForm) addForm.elements.kind.addEventListener("change", (event) => showKind(event.target.value));

  document.addEventListener("click", (event) => {
    const target = event.target;
    if (!(target instanceof Element) || target.closest("button, summary, input, select, a, form")) return;
    const fact = target.closest("#review-body .fact");
    if (fact) {
      activate(fact, false);
      return;
    }
    const mark = target.closest("#source-text mark.hl");
    if (mark && window.getSelection().isCollapsed) {
      const found = document.querySelector('#review-body .fact[data-fact="' + CSS.escape(mark.dataset.fact) + '"]');
      if (found) activate(found);
    }
  });

  const sourceSelectionDone = (event) => {
    if (event.target instanceof Node && event.target.parentElement && event.target.parentElement.closest(".source-pane")) {
      window.setTimeout(offerAdd, 0);
    }
  };
  document.addEventListener("mouseup", sourceSelectionDone);
  document.addEventListener("touchend", sourceSelectionDone);
  document.addEventListener("keyup", (event) => {
    if (event.shiftKey && document.getElementById("source-text").contains(window.getSelection().anchorNode)) {
      offerAdd();
    }
  });

  const KEYS = {
    j: () => move(1),
    k: () => move(-1),
    a: () => decide(current(), "accept"),
    x: () => decide(current(), "reject"),
    e: () => openEdit(current()),
    u: () => undoLast(),
  };

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target instanceof Element && target.closest("input, textarea, select, [contenteditable]");
    if (typing) {
      if (event.key === "Escape") {
        const form = target.closest("form");
        if (form && form.classList.contains("edit-form")) {
          event.preventDefault();
          closeEdit(form);
        } else if (form === addForm) {
          event.preventDefault();
          addForm.reset();
        }
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing || busy) return;
    const action = KEYS[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
})();
