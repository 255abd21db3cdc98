// syncpeng ui, continued (helpers and the traffic boxes in app.js): a failing check's
// reproduction, loaded in one click from its row and stepped through on the mock in the
// timeline view; a step can also be opened in Run with its block filled in.
"use strict";

async function loadRepro(check) {
  let data;
  try {
    data = await api("/api/repro/load", {check, empty: true});
  } catch (err) { showError("checks-error", err); return; }
  show("timeline");  // its loader asks for the reproduction too, and finds this one
  showError("repro-error", null);
  drawRepro(data);
}
async function stepRepro(all) {
  showError("repro-error", null);
  $("repro-step").disabled = $("repro-all").disabled = true;
  $("repro-progress").hidden = false;
  try {
    let data = await api("/api/repro/step", {});
    drawRepro(data);
    while (all && !data.done) { data = await api("/api/repro/step", {}); drawRepro(data); }
  } catch (err) { showError("repro-error", err); }
  $("repro-progress").hidden = true;
}
const BLOCK_NAMES = {get: ["id"], insert: ["value"], patch: ["id", "value"], delete: ["id"], getupdates: ["lastSync"]};
function openInRun(step) {
  let block = step.block;
  if (!block) {
    block = {};
    (BLOCK_NAMES[step.command] || []).forEach((name, i) => { block[name] = (step.args || [])[i]; });
  }
  preset = {command: step.command, block};  // kept over the Run view's own load of in.json
  if ($("command").options.length) $("command").value = step.command;
  show("method");
}
function reproStep(step, position) {
  const li = el("li", null, "repro-step" + (step.n === position + 1 ? " next" : "") + (step.ran ? " ran" : ""));
  li.dataset.n = step.n;
  const head = el("div", null, "row");
  head.append(el("code", step.line, "repro-line"));
  if (step.kind === "call" && step.command) {
    const open = el("button", "open in Run", "open-in-run");
    open.addEventListener("click", () => openInRun(step));
    head.append(open);
  }
  li.append(head);
  if (step.why) li.append(el("small", step.why, "note-text"));
  const ran = step.ran;
  if (!ran) return li;
  if (step.block) li.append(el("div", "sent: " + JSON.stringify(step.block), "token"));
  li.append(el("span", ran.ok ? "ok" : "failed", ran.ok ? "passed" : "failed"));
  if (ran.duration_ms !== undefined) li.append(el("small", " " + ran.duration_ms + " ms"));
  if (ran.error) li.append(el("p", ran.error, "error"));
  if (ran.value_text) li.append(cutPre(ran.value_text));
  if (step.command === "getupdates") {
    li.append(el("h5", "HTTP traffic by page"), pagesBox(ran.pages));
    li.append(el("div", "nextSync: " + JSON.stringify(ran.nextSync), "token"));
  } else if (ran.exchanges) {
    const box = el("div");
    drawExchanges(box, ran.exchanges);
    li.append(box);
  }
  return li;
}
function drawRepro(data) {
  const panel = $("repro");
  panel.hidden = !data || data.loaded === false;
  if (panel.hidden) return;
  $("repro-title").textContent = "Reproduction of " + data.check + " (" + data.position + " of " + data.steps.length + " steps run)";
  $("repro-message").textContent = data.message || "";
  $("repro-steps").replaceChildren(...data.steps.map((s) => reproStep(s, data.position)));
  $("repro-step").disabled = $("repro-all").disabled = data.done;
}
function wireRepro() {
  $("repro-load").addEventListener("click", async () => {
    showError("repro-error", null);
    try {
      drawRepro(await api("/api/repro/load", {script: $("repro-paste").value, empty: true}));
    } catch (err) { showError("repro-error", err); $("repro").hidden = false; }
  });
  $("repro-step").addEventListener("click", () => stepRepro(false));
  $("repro-all").addEventListener("click", () => stepRepro(true));
}
