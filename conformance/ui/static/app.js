// syncpeng ui: one page, six views, each filled from the JSON API. Text is always set with
// textContent (never innerHTML), so nothing a module or a cassette returns can run as markup.
// This file: helpers, navigation, Module, Run a method, the timeline, Mock data, the wiring;
// views.js: Checks, Cassettes and the session's history.
"use strict";

const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
};
const pretty = (value) => JSON.stringify(value, null, 2);
// Past this many characters a value, body or message is cut, with a button to show it all:
// rendering megabytes of text at once froze the page for seconds.
const SHOWN = 20000;

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
  if (!response.ok) {
    const error = new Error(data.error || response.statusText);
    error.busy = Boolean(data.busy);
    throw error;
  }
  return data;
}

function showError(id, err) {
  const node = $(id);
  node.hidden = !err;
  node.textContent = err ? (err.message || String(err)) : "";
  if (err && err.busy) clearWhenFree(id, node.textContent);
}

// "another run is in progress" is true only while it is: the note goes once the run is over.
function clearWhenFree(id, text) {
  const poll = async () => {
    if ($(id).textContent !== text) return;  // replaced by something newer
    let status = {busy: false};
    try { status = await api("/api/status"); } catch (err) { /* server gone: leave it */ return; }
    if (status.busy) { setTimeout(poll, 500); return; }
    if ($(id).textContent === text) showError(id, null);
  };
  setTimeout(poll, 500);
}

// `text` in `node`, cut at SHOWN characters with a "show all" button after it.
function setCut(node, text, limit) {
  limit = limit || SHOWN;
  const old = node.nextElementSibling;
  if (old && old.classList.contains("show-all")) old.remove();
  text = text || "";
  if (text.length <= limit) { node.textContent = text; return; }
  node.textContent = text.slice(0, limit);
  const more = el("button", "show all (" + text.length.toLocaleString("en") + " characters)", "show-all");
  more.addEventListener("click", () => { node.textContent = text; more.remove(); });
  node.after(more);
}
const cutPre = (text, cls, limit) => {
  const box = el("div", null, "cut-box");
  const pre = el("pre", null, cls);
  box.append(pre);
  setCut(pre, text, limit);
  return box;
};

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
    const problems = [m.error, ...(m.other_errors || [])].filter(Boolean);
    showError("module-error", problems.length ? new Error(problems.join("\n")) : null);
    $("connector-name").textContent = m.name || "";
    const facts = $("module-facts");
    facts.replaceChildren();
    for (const [k, v] of [["folder", m.folder], ["module", m.module], ["mode", m.mode],
      ["mock", m.mode === undefined ? undefined : (m.mock || "none")],
      ["cassettes", (m.cassettes || []).length || "none"]]) {
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
let inputsError = null;  // in.json's own problem (in.json:1:23 ...), kept until it is fixed
let initMasked = false;
loaders.method = async () => {
  let data;
  try { data = await api("/api/inputs"); } catch (err) { showError("inputs-error", err); return; }
  inputs = data.inputs || {};
  inputsError = data.error ? new Error(data.error) : null;
  initMasked = Boolean(data.init_masked);
  showError("inputs-error", inputsError);
  const select = $("command");
  if (!select.options.length) {
    for (const m of data.methods) select.append(el("option", m));
    select.value = "insert";
  }
  loadBlock();
  drawMethodHistory();
};
const DEFAULT_BLOCKS = {init: {}, get: {id: ""}, insert: {value: {}}, patch: {id: "", value: {}},
  delete: {id: ""}, getupdates: {lastSync: null}};
function loadBlock() {
  const command = $("command").value;
  $("block").value = pretty(inputs[command] !== undefined ? inputs[command] : DEFAULT_BLOCKS[command]);
  const masked = command === "init" && initMasked;
  $("block").readOnly = masked;
  $("block-masked").hidden = !masked;
  validateBlock();
  drawMethodHistory();
}
async function revealInit() {
  try {
    const r = await api("/api/inputs/reveal", {});
    inputs.init = r.init;
    initMasked = false;
    loadBlock();
  } catch (err) { showError("block-error", err); }
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
    showError("block-error", new Error("invalid JSON in the editor: " + err.message));
    $("run").disabled = $("save").disabled = true;
    return undefined;
  }
}
// Before every run the whole panel is emptied: nothing of an earlier run may stay on screen
// under a new status (a refused run used to leave the last run's value and traffic there).
function clearResult() {
  $("result").hidden = false;
  $("result-status").textContent = "running…";
  $("result-status").className = "running";
  $("result-progress").hidden = false;
  $("result-duration").textContent = "";
  showError("result-error", null);
  setCut($("result-value"), "");
  $("result-value").replaceChildren();
  $("result-schema").hidden = true;
  $("result-violations").replaceChildren();
  setCut($("schema-declared"), "");
  setCut($("schema-inferred"), "");
  $("result-traceback-box").hidden = true;
  $("result-traceback").textContent = "";
  setCut($("result-output"), "");
  $("result-output-note").hidden = true;
  $("exchanges").replaceChildren();
  $("result-warnings").replaceChildren();
}
function drawValue(r) {
  const node = $("result-value");
  if (!r.returned) { node.textContent = "(no value: the call raised)"; return; }
  const violations = (r.schema && r.schema.violations) || [];
  if (!violations.length || r.value_text.length > SHOWN) { setCut(node, r.value_text); return; }
  // Lines holding a value that breaks schema.json are marked, with the rule as their title.
  const marks = {};
  for (const v of violations) (marks[v.line] = marks[v.line] || []).push(v.path + ": " + v.message);
  node.replaceChildren(...r.value_text.split("\n").map((line, i) => {
    const span = el("span", line + "\n", marks[i] ? "violation" : "");
    if (marks[i]) span.title = marks[i].join("\n");
    return span;
  }));
}
function drawSchema(schema) {
  if (!schema) return;
  $("result-schema").hidden = false;
  const list = $("result-violations");
  if (!schema.declared) list.append(el("li", "no schema.json: nothing to validate against"));
  else if (!schema.violations.length) list.append(el("li", schema.records + " record(s) fit schema.json", "passed"));
  for (const v of schema.violations) {
    const li = el("li", null, "violation");
    li.append(el("code", v.path), " ", el("span", v.message), " ", el("small", "rule " + v.rule + (v.id ? ", record " + v.id : "")));
    list.append(li);
  }
  setCut($("schema-declared"), schema.declared ? pretty(schema.declared) : "(none)");
  setCut($("schema-inferred"), schema.records ? pretty(schema.inferred) : "(no record returned)");
}
async function runMethod() {
  const block = validateBlock();
  if (block === undefined) return;
  const command = $("command").value;
  $("run").disabled = true;
  clearResult();
  try {
    const timeout = parseFloat($("timeout").value) || undefined;
    const r = await api("/api/run", {command, block, live: $("live").checked, timeout});
    $("result-status").textContent = r.ok ? "ok" : "failed";
    $("result-status").className = r.ok ? "passed" : "failed";
    $("result-duration").textContent = r.duration_ms + " ms";
    showError("result-error", r.error ? new Error(r.error) : null);
    drawValue(r);
    drawSchema(r.schema);
    $("result-traceback-box").hidden = !r.traceback;
    $("result-traceback").textContent = r.traceback || "";
    setCut($("result-output"), r.output || "(nothing printed)");
    $("result-output-note").hidden = !r.output_note;
    $("result-output-note").textContent = r.output_note || "";
    const exchanges = $("exchanges");
    exchanges.replaceChildren(...r.exchanges.map((x) => {
      const box = el("div", null, "exchange");
      box.append(el("small", "answered at +" + x.at_ms + " ms"), cutPre(x.lines.join("\n")));
      return box;
    }));
    if (!r.exchanges.length) exchanges.append(el("p", "(no HTTP exchange)"));
    $("result-warnings").replaceChildren(...r.warnings.map((w) => el("li", w, "warned")));
  } catch (err) {
    $("result-status").textContent = err.busy ? "not run" : "refused";
    $("result-status").className = "failed";
    showError("result-error", err);
  } finally {
    $("run").disabled = false;
    $("result-progress").hidden = true;
    drawMethodHistory();
  }
}
async function saveBlock() {
  const block = validateBlock();
  if (block === undefined) return;
  $("save-status").textContent = "";
  try {
    const r = await api("/api/save", {command: $("command").value, block});
    inputs[$("command").value] = block;
    $("save-status").textContent = "saved to " + r.saved;
  } catch (err) { showError("inputs-error", err); }
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
      if ((item.violations || []).length) {
        const list = el("ul", null, "tl-violations");
        for (const v of item.violations) {
          const one = el("li", null, "violation");
          one.append(el("code", v.path), " " + v.message + " (rule " + v.rule + ", record " + v.id + ")");
          list.append(one);
        }
        li.append(list);
      }
      li.append(cutPre(pretty(item.entries)));
      li.append(el("div", "nextSync: " + JSON.stringify(item.nextSync), "token"));
      return li;
    }
    const li = el("li", null, "tl-write");
    li.append(el("strong", item.action + " by " + item.who));
    li.append(cutPre(typeof item.result === "string" ? item.result : pretty(item.result)));
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

// -- Mock data -------------------------------------------------------------------------------
function drawMock(data) {
  $("mock-file").textContent = data.file + (data.exists ? "" : " (not written yet)");
  $("mock-count").textContent = "(" + data.records.length + ")";
  fillRows($("mock-records").tBodies[0], data.records.map((r) => [r.id, cutPre(pretty(r))]));
  fillRows($("mock-tombstones").tBodies[0], data.tombstones.map((r) => [r.id, cutPre(pretty(r))]));
}
loaders.mock = async () => {
  showError("mock-error", null);
  try { drawMock(await api("/api/mock")); } catch (err) { showError("mock-error", err); }
};

// -- wiring ----------------------------------------------------------------------------------
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("nav button")) {
    button.addEventListener("click", () => show(button.dataset.view));
  }
  $("command").addEventListener("change", loadBlock);
  $("block").addEventListener("input", validateBlock);
  $("reveal").addEventListener("click", revealInit);
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
  wireChecks();
  $("mock-refresh").addEventListener("click", loaders.mock);
  $("mock-reset").addEventListener("click", async () => {
    try { drawMock(await api("/api/mock/reset", {})); } catch (err) { showError("mock-error", err); }
  });
  const start = loaders[location.hash.slice(1)] ? location.hash.slice(1) : "module";
  if (start !== "module") loaders.module();  // the connector's name in the header
  show(start);
});
