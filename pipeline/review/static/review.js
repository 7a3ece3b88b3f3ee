// The review app's script, loaded as a file (the CSP forbids inline scripts). Everything here
// enhances pages that work without it: forms submit, links navigate, pages show their state.
//  - keys: a accept · r reject · s skip · u undo · j / k next / previous (rows on the queue);
//    `a` publishes only a form the editor can see: the first press scrolls it into view.
//  - filters apply as they change (the results are fetched and swapped in, focus stays put).
//  - a re-link's progress is polled from /jobs/ID.
//  - the browser's time zone is remembered in a cookie, so times read as the editor's own.
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
  rows.forEach((r, n) => r.closest("tr").classList.toggle("current", n === next));
  return true;
}

function onScreen(el) {
  const box = el.getBoundingClientRect();
  const footer = document.querySelector("footer.keys");
  const bottom = window.innerHeight - (footer ? footer.getBoundingClientRect().height : 0);
  return box.top >= 0 && box.bottom <= bottom;
}

function accept() {
  const form = document.getElementById("accept");
  if (!form) return false;
  if (!onScreen(form)) {  // never publish fields the editor has not seen: show them first
    form.scrollIntoView({block: "center"});
    form.classList.add("armed");  // "press a again to accept", in the form's legend
    return true;
  }
  form.requestSubmit();
  return true;
}

function reject() {
  const select = document.querySelector('select[data-key="r"]');
  if (!select) return false;
  const form = select.form;
  if ((select.value || form.elements.reason_other.value.trim()) && onScreen(form)) {
    form.requestSubmit();
  } else {
    select.scrollIntoView({block: "center"});
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
    case "a": done = accept(); break;
    case "r": done = reject(); break;
    case "s": done = clickFirst('[data-key="s"]'); break;
    case "u": done = clickFirst('[data-key="u"]'); break;
    case "j": done = moveRow(1) || clickFirst('[data-key="j"]'); break;
    case "k": done = moveRow(-1) || clickFirst('[data-key="k"]'); break;
  }
  if (done) ev.preventDefault();
});

// Filters that apply as they change: fetch the same page with the new query, swap the results
// and the filters' counts in, and keep the URL in step (so reload, back and links still work).
function liveFilters(form) {
  const target = document.querySelector(form.dataset.live);
  if (!target) return;
  let timer = null;
  let latest = 0;
  async function apply() {
    const query = new URLSearchParams(new FormData(form));
    for (const [name, value] of Array.from(query.entries())) if (value === "") query.delete(name);
    const url = form.action.split("?")[0] + (query.toString() ? "?" + query : "");
    const mine = ++latest;
    const response = await fetch(url, {credentials: "same-origin"});
    if (!response.ok || mine !== latest) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.querySelector(form.dataset.live);
    if (!fresh) return;
    target.replaceChildren(...Array.from(fresh.childNodes).map((n) => document.importNode(n, true)));
    for (const select of form.querySelectorAll("select")) {  // counts in the options
      const other = page.querySelector(`form.filters select[name="${select.name}"]`);
      if (other && select !== document.activeElement) select.replaceChildren(...Array.from(other.children).map((n) => document.importNode(n, true)));
    }
    history.replaceState(null, "", url);
  }
  form.addEventListener("change", () => { clearTimeout(timer); apply(); });
  form.addEventListener("input", (ev) => {
    if (ev.target.tagName !== "INPUT") return;
    clearTimeout(timer);
    timer = setTimeout(apply, 350);
  });
  form.addEventListener("submit", (ev) => { ev.preventDefault(); clearTimeout(timer); apply(); });
}

// A re-link's progress, polled until it ends.
function pollJob(box) {
  const bar = box.querySelector("progress");
  const text = box.querySelector(".job-text");
  const reload = box.querySelector(".job-reload");
  if (reload) reload.remove();  // the page follows the job itself
  async function tick() {
    const response = await fetch(box.dataset.job, {credentials: "same-origin"});
    if (!response.ok) return;
    const job = await response.json();
    bar.max = Math.max(job.total, 1);
    bar.value = job.done;
    text.textContent = job.text;
    box.className = "job " + job.state;
    if (!job.finished) setTimeout(tick, 1000);
  }
  setTimeout(tick, 500);
}

// "Publish without" greys out the field it empties.
function clearBoxes() {
  for (const box of document.querySelectorAll('input[type=checkbox][name^="clear_"]')) {
    const field = box.form.elements[box.name.slice("clear_".length)];
    const sync = () => { field.disabled = box.checked; };
    box.addEventListener("change", sync);
    sync();
  }
}

function rememberZone() {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || document.cookie.split("; ").includes("tz=" + encodeURIComponent(zone))) return;
  document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=strict";
}

// "Use as snippet" (the draft partial): copies the draft into the form's field for the editor to
// finish. Without scripts the button stays hidden and the draft can be copied by hand.
function draftButtons() {
  for (const button of document.querySelectorAll("button[data-fill]")) {
    const field = document.querySelector(`textarea[name="${button.dataset.fill}"], input[name="${button.dataset.fill}"]`);
    const from = document.getElementById(button.dataset.from);
    if (!field || !from) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      field.value = from.textContent.trim();
      field.focus();
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-live]")) liveFilters(form);
  for (const box of document.querySelectorAll("[data-job]")) pollJob(box);
  clearBoxes();
  draftButtons();
  rememberZone();
});
