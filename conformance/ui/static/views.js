// syncpeng ui, continued (helpers in app.js): Checks, Cassettes and the session's history.
"use strict";

// -- Checks ----------------------------------------------------------------------------------
const checkRows = {};
let source = null;
const STATUS_TEXT = {"not-exercised": "NOT EXERCISED", "passed": "passed", "failed": "failed",
  "warned": "warned", "skipped": "skipped", "error": "error"};
loaders.checks = async () => {
  drawChecksHistory();
  if (Object.keys(checkRows).length) return;
  try {
    const data = await api("/api/checks");
    $("checks-timeout").value = data.timeout;
    const tbody = $("checks-table").tBodies[0];
    for (const check of data.checks) {
      const tr = el("tr");
      tr.dataset.check = check.id;
      const pick = el("input"); pick.type = "checkbox"; pick.className = "pick";
      const rerun = el("button", "rerun", "rerun");
      rerun.addEventListener("click", () => startChecks([check.id]));
      const name = el("td");
      name.append(el("span", check.id, "id"), el("div", check.title, "title"));
      const coverage = el("div", "", "coverage");
      const detail = el("div", null, "detail");
      name.append(coverage, detail);
      const cells = [pick, null, el("span", "", "status"), el("span", "", "duration"), rerun];
      for (const [i, cell] of cells.entries()) {
        if (i === 1) { tr.append(name); continue; }
        const td = el("td"); td.append(cell); tr.append(td);
      }
      tbody.append(tr);
      checkRows[check.id] = {tr, detail, coverage};
    }
  } catch (err) { showError("checks-error", err); }
};
function setStatus(id, status, text) {
  const row = checkRows[id];
  if (!row) return;
  const node = row.tr.querySelector(".status");
  node.textContent = text || STATUS_TEXT[status] || status;
  node.className = "status " + (status === "error" ? "error-status" : status);
  row.tr.dataset.status = status;
}
function drawOutcome(o) {
  setStatus(o.check, o.status);
  const row = checkRows[o.check];
  if (!row) return;
  row.tr.querySelector(".duration").textContent = o.duration.toFixed(2) + " s";
  row.coverage.textContent = o.coverage || "";
  row.coverage.className = "coverage" + (o.not_exercised.length ? " not-exercised" : "");
  row.detail.replaceChildren();
  const shown = !["passed", "skipped"].includes(o.status);
  if (o.suffers && shown) row.detail.append(el("p", "platform suffers: " + o.suffers, "suffers"));
  if (o.message) row.detail.append(cutPre(o.message, "message"));
  if (o.script) {
    row.detail.append(el("div", "Reproduce with these calls (minimal example):"));
    row.detail.append(cutPre(o.script, "script"));
  }
  for (const w of o.warnings) row.detail.append(el("p", "warning: " + w, "warned"));
}
function drawCauses(causes) {
  const box = $("checks-causes");
  box.replaceChildren();
  box.hidden = !causes || !causes.length;
  for (const c of causes || []) {
    const p = el("p", null, "cause");
    p.append("Most likely cause: ", el("strong", c.cause), " (fix it first and run again). It " +
      "probably explains " + c.explains.join(", ") + ": " + c.why + ".");
    box.append(p);
  }
}
function checkEffort() {
  const examples = parseInt($("examples").value, 10);
  const timeout = parseFloat($("checks-timeout").value);
  return {profile: $("profile").value, examples: examples > 0 ? examples : null,
    timeout: timeout > 0 ? timeout : null};
}
async function startChecks(ids) {
  showError("checks-error", null);
  $("checks-summary").dataset.done = "";
  try {
    await api("/api/checks/run", {checks: ids, ...checkEffort()});
  } catch (err) { showError("checks-error", err); return; }
  drawCauses([]);
  for (const id of (ids.length ? ids : Object.keys(checkRows))) setStatus(id, "queued", "queued");
  $("checks-summary").textContent = "running…";
  if (source) source.close();
  source = new EventSource("/api/checks/events");
  source.onmessage = (message) => {
    const e = JSON.parse(message.data);
    if (e.event === "check-started") setStatus(e.check, "running", "running…");
    else if (e.event === "check-finished") drawOutcome(e);
    else if (e.event === "run-failed") showError("checks-error", new Error(e.error));
    else if (e.event === "run-finished") {
      const counts = {};
      for (const {tr} of Object.values(checkRows)) {
        const s = tr.dataset.status; if (s) counts[STATUS_TEXT[s] || s] = (counts[STATUS_TEXT[s] || s] || 0) + 1;
      }
      $("checks-summary").textContent = "finished in " + e.duration + " s: " +
        Object.entries(counts).map(([k, v]) => v + " " + k).join(", ");
      $("checks-summary").dataset.done = "yes";
      drawCauses(e.causes);
      drawChecksHistory();
    }
  };
  source.addEventListener("end", () => source.close());
}
function wireChecks() {
  $("checks-run").addEventListener("click", () => startChecks([]));
  $("checks-run-chosen").addEventListener("click", () => {
    const ids = Object.entries(checkRows).filter(([, r]) => r.tr.querySelector(".pick").checked).map(([id]) => id);
    if (!ids.length) { showError("checks-error", new Error("tick the checks to run first")); return; }
    startChecks(ids);
  });
  $("export").addEventListener("click", async () => {
    try {
      const r = await api("/api/checks/export", {});
      $("export-result").textContent = "wrote " + r.written.join(", ");
    } catch (err) { showError("checks-error", err); }
  });
}

// -- History ---------------------------------------------------------------------------------
async function drawMethodHistory() {
  let data;
  try { data = await api("/api/history"); } catch (err) { return; }
  const runs = data.methods[$("command").value] || [];
  const box = $("method-history");
  box.replaceChildren(...runs.map((run) => {
    const item = el("details", null, "history-run");
    item.dataset.n = run.n;
    const verdict = run.refused ? "refused" : (run.ok ? "ok" : "failed");
    const summary = el("summary");
    summary.append(el("span", "#" + run.n + " " + run.at + " " + run.command + " "),
      el("span", verdict, run.ok ? "passed" : "failed"),
      el("span", run.duration_ms === null ? "" : " " + run.duration_ms + " ms"),
      el("span", run.violations ? " · " + run.violations + " schema violation(s)" : "", "warned"));
    item.append(summary, el("div", "block:"), cutPre(pretty(run.block)));
    if (run.error) item.append(el("p", run.error, "error"));
    if (run.value) item.append(el("div", "value:"), cutPre(run.value));
    if (run.output) item.append(el("div", "console:"), cutPre(run.output));
    return item;
  }));
  if (!runs.length) box.append(el("p", "(no run of " + $("command").value + " yet)"));
}
async function drawChecksHistory() {
  let data;
  try { data = await api("/api/history"); } catch (err) { return; }
  const box = $("checks-history");
  box.replaceChildren(...data.checks.map((run) => {
    const item = el("details", null, "history-run");
    const counts = Object.entries(run.counts).map(([k, v]) => v + " " + (STATUS_TEXT[k] || k)).join(", ");
    item.append(el("summary", "#" + run.n + " " + run.at + " " + run.mode + ", " + run.duration + " s: " + counts));
    const table = el("table");
    table.append(el("tbody"));
    fillRows(table.tBodies[0], Object.entries(run.verdicts).map(([id, v]) => [id, el("span", STATUS_TEXT[v] || v, v)]));
    item.append(table);
    return item;
  }));
  if (!data.checks.length) box.append(el("p", "(no check run yet)"));
}

// -- Cassettes -------------------------------------------------------------------------------
loaders.cassettes = async () => {
  try {
    const data = await api("/api/cassettes");
    $("cassettes-hint").textContent = data.hint || "from " + data.dir;
    $("cassette-list").replaceChildren(...data.cassettes.map((name) => {
      const li = el("li"); const b = el("button", name);
      b.addEventListener("click", () => openCassette(name));
      li.append(b); return li;
    }));
  } catch (err) { showError("cassettes-error", err); }
};
let opening = 0;  // the cassette being loaded: a newer click stops the older one's paging
function interactionBox(i, open) {
  const box = el("details", null, "interaction");
  box.open = open;
  box.append(el("summary", i.method + " " + i.url + " → " + i.status));
  box.append(el("h4", "request"), cutPre(i.request_headers), cutPre(i.request_body || "(no body)"));
  box.append(el("h4", "response"), cutPre(i.response_headers), cutPre(i.response_body || "(no body)"));
  return box;
}
async function openCassette(name) {
  const me = ++opening;
  showError("cassettes-error", null);
  // The old cassette goes at once: a big one takes a while to arrive, and what is on screen
  // in the meantime must not be mistaken for it.
  $("cassette-view").hidden = false;
  $("cassette-title").textContent = name + ": loading…";
  $("cassette-audit").textContent = "";
  $("cassette-audit").className = "";
  $("cassette-interactions").replaceChildren();
  const loading = $("cassette-loading");
  loading.hidden = false;
  let offset = 0;
  let total = null;
  try {
    while (total === null || offset < total) {
      const c = await api("/api/cassettes/" + encodeURIComponent(name) + "?offset=" + offset);
      if (me !== opening) return;
      if (offset === 0) {
        total = c.total;
        $("cassette-title").textContent = c.check + ": " + c.total + " interactions, " + c.draws + " draws";
        const audit = $("cassette-audit");
        audit.textContent = c.audit.length ? "audit: " + c.audit.join("; ") : "audit: no secret found";
        audit.className = c.audit.length ? "error" : "passed";
      }
      $("cassette-interactions").append(...c.interactions.map((i, n) => interactionBox(i, offset + n === 0)));
      offset += c.interactions.length;
      loading.querySelector("span").textContent = "loaded " + offset + " of " + total + " interactions…";
      if (!c.interactions.length) break;
    }
  } catch (err) { showError("cassettes-error", err); }
  if (me === opening) loading.hidden = true;
}
