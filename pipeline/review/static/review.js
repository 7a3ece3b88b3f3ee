// Keyboard shortcuts for the review screens. Loaded as a file (the CSP forbids inline scripts).
// a accept · r reject · s skip · u undo · j next · k previous; Enter in the reason list rejects.
"use strict";

function typing(target) {
  return target.closest && target.closest("input, textarea, select, [contenteditable]");
}

function clickFirst(selector) {
  const el = document.querySelector(selector);
  if (!el) return false;
  el.click();
  return true;
}

function moveRow(step) {
  // On the queue: j / k move the focus between rows; Enter opens the focused one.
  const rows = Array.from(document.querySelectorAll("a.row-link"));
  if (rows.length === 0) return false;
  const i = rows.indexOf(document.activeElement);
  const next = i < 0 ? (step > 0 ? 0 : rows.length - 1) : Math.min(Math.max(i + step, 0), rows.length - 1);
  rows[next].focus();
  rows[next].closest("tr").classList.add("current");
  rows.forEach((r, n) => { if (n !== next) r.closest("tr").classList.remove("current"); });
  return true;
}

function reject() {
  const select = document.querySelector('select[data-key="r"]');
  if (!select) return false;
  const form = select.form;
  if (select.value || form.elements.reason_other.value.trim()) {
    form.requestSubmit();
  } else {
    select.focus();  // choose a reason with the arrow keys, then Enter
  }
  return true;
}

document.addEventListener("keydown", (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const reasons = document.querySelector('select[data-key="r"]');
  if (ev.key === "Enter" && ev.target === reasons && reasons.value) {
    ev.preventDefault();
    reasons.form.requestSubmit();
    return;
  }
  if (typing(ev.target)) return;
  let done = false;
  switch (ev.key) {
    case "a": done = clickFirst('[data-key="a"]'); break;
    case "r": done = reject(); break;
    case "s": done = clickFirst('[data-key="s"]'); break;
    case "u": done = clickFirst('[data-key="u"]'); break;
    case "j": done = moveRow(1) || clickFirst('[data-key="j"]'); break;
    case "k": done = moveRow(-1) || clickFirst('[data-key="k"]'); break;
  }
  if (done) ev.preventDefault();
});
