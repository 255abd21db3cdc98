// syncpeng ui: one page, six views, each filled from the JSON API. Text is always set with
// textContent (never innerHTML), so nothing a module or a cassette returns can run as markup.
"use strict";

const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
};
const pretty = (value) => JSON.stringify(value, null, 2);

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
  };
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    throw new Error("the UI server is not reachable (" + err.message + ")");
  }
  const text = await response.text();
  let data;
  try { data = JSON.parse(text); } catch (err) { throw new Error(text.trim() || response.statusText); }
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

function showError(id, err) {
  const node = $(id);
  node.hidden = !err;
  node.textContent = err ? (err.message || String(err)) : "";
}

function fillRows(tbody, rows) {
  tbody.replaceChildren(...rows.map((cells) => {
    const tr = el("tr");
    for (const cell of cells) {
      const td = el("td");
      if (cell instanceof Node) td.append(cell); else td.textContent = cell;
      tr.append(td);
    }
    return tr;
  }));
}

// -- navigation ------------------------------------------------------------------------------
const loaders = {};
function show(view) {
  for (const button of document.querySelectorAll("nav button")) {
    button.classList.toggle("active", button.dataset.view === view);
  }
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== "view-" + view;
  if (loaders[view]) loaders[view]();
  history.replaceState(null, "", "#" + view);
}

// -- Module ----------------------------------------------------------------------------------
loaders.module = async () => {
  try {
    const m = await api("/api/module");
    showError("module-error", m.error ? new Error(m.error) : null);
    $("connector-name").textContent = m.name || "";
    const facts = $("module-facts");
    facts.replaceChildren();
    for (const [k, v] of [["folder", m.folder], ["module", m.module], ["mode", m.mode],
      ["mock", m.mock || "none"], ["cassettes", (m.cassettes || []).length || "none"]]) {
      if (v === undefined) continue;
      facts.append(el("dt", k), el("dd", v));
    }
    fillRows($("module-files").tBodies[0], m.files.map((f) => [
      f.name, el("span", f.present ? "present" : "missing", f.present ? "present" : "missing"), f.purpose]));
    fillRows($("module-fields").tBodies[0], (m.fields || []).map((f) => [
      f.name, Array.isArray(f.type) ? f.type.join(" | ") : f.type,
      f.writable ? "writable" : "read-only", f.required ? "required" : ""]));
    $("account-source").textContent = m.account ? "from " + m.account.source : "";
    fillRows($("account-keys").tBodies[0], Object.entries((m.account || {}).keys || {}));
  } catch (err) { showError("module-error", err); }
};

// -- Run a method ----------------------------------------------------------------------------
let inputs = {};
loaders.method = async () => {
  try {
    const data = await api("/api/inputs");
    inputs = data.inputs;
    const select = $("command");
    if (!select.options.length) {
      for (const m of data.methods) select.append(el("option", m));
      select.value = "insert";
    }
    loadBlock();
  } catch (err) { showError("block-error", err); }
};
const DEFAULT_BLOCKS = {init: {}, get: {id: ""}, insert: {value: {}}, patch: {id: "", value: {}},
  delete: {id: ""}, getupdates: {lastSync: null}};
function loadBlock() {
  const command = $("command").value;
  $("block").value = pretty(inputs[command] !== undefined ? inputs[command] : DEFAULT_BLOCKS[command]);
  validateBlock();
}
function validateBlock() {
  const area = $("block");
  try {
    const value = JSON.parse(area.value);
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new Error('a block is a JSON object, e.g. {"id": "..."}');
    }
    area.classList.remove("invalid");
    showError("block-error", null);
    $("run").disabled = $("save").disabled = false;
    return value;
  } catch (err) {
    area.classList.add("invalid");
    showError("block-error", new Error("invalid JSON: " + err.message));
    $("run").disabled = $("save").disabled = true;
    return undefined;
  }
}
async function runMethod() {
  const block = validateBlock();
  if (block === undefined) return;
  const command = $("command").value;
  $("run").disabled = true;
  $("result-status").textContent = "running…";
  $("result").hidden = false;
  try {
    const r = await api("/api/run", {command, block, live: $("live").checked});
    $("result-status").textContent = r.ok ? "ok" : "failed";
    $("result-status").className = r.ok ? "passed" : "failed";
    $("result-duration").textContent = r.duration_ms + " ms";
    showError("result-error", r.error ? new Error(r.error) : null);
    $("result-value").textContent = r.returned ? r.value_text : "(no value: the call raised)";
    $("result-traceback-box").hidden = !r.traceback;
    $("result-traceback").textContent = r.traceback || "";
    $("result-output").textContent = r.output || "(nothing printed)";
    const exchanges = $("exchanges");
    exchanges.replaceChildren(...r.exchanges.map((x) => {
      const box = el("div", null, "exchange");
      box.append(el("small", "answered at +" + x.at_ms + " ms"), el("pre", x.lines.join("\n")));
      return box;
    }));
    if (!r.exchanges.length) exchanges.append(el("p", "(no HTTP exchange)"));
    $("result-warnings").replaceChildren(...r.warnings.map((w) => el("li", w, "warned")));
  } catch (err) {
    $("result-status").textContent = "failed";
    $("result-status").className = "failed";
    showError("result-error", err);
  } finally { $("run").disabled = false; }
}
async function saveBlock() {
  const block = validateBlock();
  if (block === undefined) return;
  try {
    const r = await api("/api/save", {command: $("command").value, block});
    inputs[$("command").value] = block;
    $("save-status").textContent = "saved to " + r.saved;
  } catch (err) { $("save-status").textContent = ""; showError("block-error", err); }
}

// -- Sync timeline ---------------------------------------------------------------------------
function drawTimeline(data) {
  $("tl-items").replaceChildren(...data.items.map((item) => {
    if (item.kind === "sync") {
      const li = el("li", null, "tl-sync");
      li.append(el("strong", "sync " + item.n + (item.ok ? "" : " failed")));
      li.append(el("div", "lastSync: " + JSON.stringify(item.lastSync), "token"));
      if (item.error) li.append(el("p", item.error, "error"));
      li.append(el("div", (item.entries || []).length + " entries", "entries-count"));
      li.append(el("pre", pretty(item.entries)));
      li.append(el("div", "nextSync: " + JSON.stringify(item.nextSync), "token"));
      return li;
    }
    const li = el("li", null, "tl-write");
    li.append(el("strong", item.action + " by " + item.who));
    li.append(el("pre", typeof item.result === "string" ? item.result : pretty(item.result)));
    return li;
  }));
}
loaders.timeline = async () => {
  try { drawTimeline(await api("/api/timeline")); } catch (err) { showError("tl-error", err); }
};
async function timelineAction(path, body) {
  showError("tl-error", null);
  try { drawTimeline(await api(path, body || {})); } catch (err) { showError("tl-error", err); }
}

// -- Checks ----------------------------------------------------------------------------------
const checkRows = {};
let source = null;
loaders.checks = async () => {
  if (Object.keys(checkRows).length) return;
  try {
    const data = await api("/api/checks");
    const tbody = $("checks-table").tBodies[0];
    for (const check of data.checks) {
      const tr = el("tr");
      tr.dataset.check = check.id;
      const pick = el("input"); pick.type = "checkbox"; pick.className = "pick";
      const rerun = el("button", "rerun", "rerun");
      rerun.addEventListener("click", () => startChecks([check.id]));
      const name = el("td"); name.append(el("span", check.id, "id"));
      const detail = el("div", null, "detail");
      name.append(detail);
      const cells = [pick, null, el("span", "", "status"), el("span", "", "duration"), rerun];
      for (const [i, cell] of cells.entries()) {
        if (i === 1) { tr.append(name); continue; }
        const td = el("td"); td.append(cell); tr.append(td);
      }
      tbody.append(tr);
      checkRows[check.id] = {tr, detail};
    }
  } catch (err) { showError("checks-error", err); }
};
function setStatus(id, status, text) {
  const row = checkRows[id];
  if (!row) return;
  const node = row.tr.querySelector(".status");
  node.textContent = text || status;
  node.className = "status " + (status === "error" ? "error-status" : status);
  row.tr.dataset.status = status;
}
function drawOutcome(o) {
  setStatus(o.check, o.status);
  const row = checkRows[o.check];
  row.tr.querySelector(".duration").textContent = o.duration.toFixed(2) + " s";
  row.detail.replaceChildren();
  if (o.suffers && o.status !== "passed") row.detail.append(el("p", "platform suffers: " + o.suffers, "suffers"));
  if (o.message) row.detail.append(el("pre", o.message, "message"));
  if (o.script) {
    row.detail.append(el("div", "Reproduce with these calls (minimal example):"));
    row.detail.append(el("pre", o.script, "script"));
  }
  for (const w of o.warnings) row.detail.append(el("p", "warning: " + w, "warned"));
}
async function startChecks(ids) {
  showError("checks-error", null);
  $("checks-summary").dataset.done = "";
  try {
    await api("/api/checks/run", {checks: ids});
  } catch (err) { showError("checks-error", err); return; }
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
        const s = tr.dataset.status; if (s) counts[s] = (counts[s] || 0) + 1;
      }
      $("checks-summary").textContent = "finished in " + e.duration + " s: " +
        Object.entries(counts).map(([k, v]) => v + " " + k).join(", ");
      $("checks-summary").dataset.done = "yes";
    }
  };
  source.addEventListener("end", () => source.close());
}

// -- Mock data -------------------------------------------------------------------------------
function drawMock(data) {
  $("mock-file").textContent = data.file + (data.exists ? "" : " (not written yet)");
  $("mock-count").textContent = "(" + data.records.length + ")";
  fillRows($("mock-records").tBodies[0], data.records.map((r) => [r.id, pretty(r)]));
  fillRows($("mock-tombstones").tBodies[0], data.tombstones.map((r) => [r.id, pretty(r)]));
}
loaders.mock = async () => {
  showError("mock-error", null);
  try { drawMock(await api("/api/mock")); } catch (err) { showError("mock-error", err); }
};

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
async function openCassette(name) {
  showError("cassettes-error", null);
  try {
    const c = await api("/api/cassettes/" + encodeURIComponent(name));
    $("cassette-view").hidden = false;
    $("cassette-title").textContent = c.check + ": " + c.interactions.length + " interactions, " + c.draws + " draws";
    const audit = $("cassette-audit");
    audit.textContent = c.audit.length ? "audit: " + c.audit.join("; ") : "audit: no secret found";
    audit.className = c.audit.length ? "error" : "passed";
    $("cassette-interactions").replaceChildren(...c.interactions.map((i, n) => {
      const box = el("details", null, "interaction");
      box.open = n === 0;
      box.append(el("summary", i.method + " " + i.url + " → " + i.status));
      box.append(el("h4", "request"), el("pre", i.request_headers), el("pre", i.request_body || "(no body)"));
      box.append(el("h4", "response"), el("pre", i.response_headers), el("pre", i.response_body || "(no body)"));
      return box;
    }));
  } catch (err) { showError("cassettes-error", err); }
}

// -- wiring ----------------------------------------------------------------------------------
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("nav button")) {
    button.addEventListener("click", () => show(button.dataset.view));
  }
  $("command").addEventListener("change", loadBlock);
  $("block").addEventListener("input", validateBlock);
  $("run").addEventListener("click", runMethod);
  $("save").addEventListener("click", saveBlock);
  $("tl-next").addEventListener("click", () => timelineAction("/api/timeline/next"));
  $("tl-restart").addEventListener("click", () => timelineAction("/api/timeline/restart"));
  $("tl-write").addEventListener("click", () => {
    let fields = null;
    if ($("tl-action").value !== "delete") {
      try { fields = JSON.parse($("tl-fields").value); } catch (err) {
        showError("tl-error", new Error("the fields are not valid JSON: " + err.message)); return;
      }
    }
    timelineAction("/api/timeline/write", {who: $("tl-who").value, action: $("tl-action").value,
      id: $("tl-id").value || null, fields});
  });
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
  $("mock-refresh").addEventListener("click", loaders.mock);
  $("mock-reset").addEventListener("click", async () => {
    try { drawMock(await api("/api/mock/reset", {})); } catch (err) { showError("mock-error", err); }
  });
  const start = loaders[location.hash.slice(1)] ? location.hash.slice(1) : "module";
  if (start !== "module") loaders.module();  // the connector's name in the header
  show(start);
});
