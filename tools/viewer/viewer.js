"use strict";
(function () {
const D = (typeof LF !== "undefined") ? LF : null;
const $ = (id) => document.getElementById(id);
const SVGNS = "http://www.w3.org/2000/svg";

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const k in (attrs || {})) {
    if (k === "class") e.className = attrs[k];
    else if (k === "text") e.textContent = attrs[k];
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), attrs[k]);
    else if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
  }
  for (const c of kids) if (c !== null && c !== undefined) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  return e;
}
function sv(tag, attrs, text) {
  const e = document.createElementNS(SVGNS, tag);
  for (const k in (attrs || {})) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}
function fmtNum(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}
function fmtVal(v) { return typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v); }

if (!D) {
  $("graph").appendChild(el("div", {class: "nodata", text: "No graph data embedded: this is the viewer template. Run `engine viz GRAPH.json -o out.html`."}));
  document.body.dataset.ready = "1";
  return;
}

/* ---------- data indexes ---------- */
const nodes = Array.isArray(D.nodes) ? D.nodes : [];
const byId = new Map(nodes.map((n) => [n.id, n]));
const blocks = new Map((D.blocks || []).map((b) => [b.name, b]));
const flows = new Map((D.flows || []).map((f) => [f.name, f]));
const errors = Array.isArray(D.errors) ? D.errors : [];
const svgIdOf = (n) => (n.kind === "blockdef" || (n.id || "").startsWith("block/")) ? "b:" + n.id.replace(/^block\//, "") : "n:" + n.id;
function dataIdOfSvg(sid) {
  if (sid.startsWith("b:")) return "block/" + sid.slice(2);
  if (sid.startsWith("n:")) return sid.slice(2);
  return null;
}
// node-located errors (from nodes[].errors and errors[].node), deduplicated
const nodeErrors = new Map();
for (const n of nodes) for (const m of (n.errors || [])) {
  if (!nodeErrors.has(n.id)) nodeErrors.set(n.id, []);
  if (!nodeErrors.get(n.id).includes(m)) nodeErrors.get(n.id).push(m);
}
for (const e of errors) if (e.node) {
  if (!nodeErrors.has(e.node)) nodeErrors.set(e.node, []);
  if (!nodeErrors.get(e.node).includes(e.message)) nodeErrors.get(e.node).push(e.message);
}

/* trace: per node; a block definition gets the sum over the calls that use it */
const trace = (D.trace && typeof D.trace === "object") ? D.trace : null;
const traceOf = new Map();
let maxShare = 0, traceTotal = 0;
if (trace) {
  for (const [id, t] of Object.entries(trace)) { traceOf.set(id, t); maxShare = Math.max(maxShare, +t.share || 0); traceTotal += +t.total_ms || 0; }
  for (const b of blocks.values()) {
    const calls = (b.used_by || []).map((u) => trace[u]).filter(Boolean);
    if (!calls.length || traceOf.has("block/" + b.name)) continue;
    const c = calls.reduce((s, t) => s + (+t.calls || 0), 0), tot = calls.reduce((s, t) => s + (+t.total_ms || 0), 0);
    traceOf.set("block/" + b.name, {calls: c, total_ms: tot, mean_ms: c ? tot / c : 0,
      share: calls.reduce((s, t) => s + (+t.share || 0), 0), aggregate: true});
  }
}

/* ---------- colours ---------- */
// Fill and stroke per node category; engine/graph_view.cc uses the same fills for .svg and .dot.
const CAT = {
  nn: ["#dbeafe", "#2563eb"], rssm: ["#ede9fe", "#7c3aed"], losses: ["#ffedd5", "#ea580c"], optim: ["#dcfce7", "#16a34a"],
  data: ["#fef9c3", "#a16207"], env: ["#ccfbf1", "#0f766e"], envs: ["#ccfbf1", "#0f766e"], flow: ["#e0e7ff", "#4338ca"],
  scan: ["#fae8ff", "#a21caf"], es: ["#fce7f3", "#be185d"], block: ["#f1f5f9", "#475569"], io: ["#ffffff", "#94a3b8"],
};
function catColor(c) {
  if (CAT[c]) return CAT[c];
  let h = 0; for (const ch of String(c || "?")) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return [`hsl(${h},70%,92%)`, `hsl(${h},55%,38%)`];
}
const HEAT = [[0, [248, 250, 252]], [0.12, [254, 243, 199]], [0.4, [253, 186, 116]], [0.7, [251, 146, 60]], [1, [248, 113, 113]]];
function heatColor(t) {
  t = Math.max(0, Math.min(1, t));
  for (let i = 1; i < HEAT.length; i++) if (t <= HEAT[i][0]) {
    const [t0, a] = HEAT[i - 1], [t1, b] = HEAT[i], u = (t - t0) / (t1 - t0 || 1);
    return `rgb(${a.map((x, k) => Math.round(x + (b[k] - x) * u)).join(",")})`;
  }
  return "rgb(248,113,113)";
}

/* ---------- header ---------- */
$("title").textContent = D.title || "graph";
document.title = (D.title || "graph") + " · LatentFlow";
$("source").textContent = D.source || "";
$("source").title = D.source || "";
const nErr = errors.length || [...nodeErrors.values()].reduce((s, a) => s + a.length, 0);
$("errcount").appendChild(nErr
  ? el("span", {class: "pill bad", text: nErr + (nErr === 1 ? " error" : " errors"), title: "Show the validation errors",
       onclick: () => $("errors").scrollIntoView({behavior: "smooth"})})
  : el("span", {class: "pill good", text: "valid"}));
if (trace) {
  $("tracesum").appendChild(el("span", {class: "pill info", text: "trace: " + fmtNum(traceTotal) + " ms"}));
  $("heatbtn").hidden = false;
}

/* ---------- SVG ---------- */
const graphBox = $("graph");
let svg = null;
function parseSvg(text) {
  let out = null;
  try {
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    if (!doc.getElementsByTagName("parsererror").length && doc.documentElement.localName === "svg")
      out = document.importNode(doc.documentElement, true);
  } catch (e) { out = null; }
  if (!out) { const tmp = document.createElement("div"); tmp.innerHTML = text; out = tmp.querySelector("svg"); }
  return out;
}
if (typeof D.svg === "string" && D.svg.trim()) svg = parseSvg(D.svg);

const elOf = new Map();      // data id -> element (svg g.node or fallback card)
const titleToEl = new Map(); // graphviz node name -> g.node
const edgesOf = new Map();   // g.node -> [g.edge]
const edgeEnds = new Map();  // g.edge -> [tailEl, headEl]
let vb0 = null, vb = null;

if (svg) {
  svg.removeAttribute("width"); svg.removeAttribute("height");
  svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
  graphBox.appendChild(svg);
  graphBox.appendChild(el("div", {class: "hint", text: "wheel: zoom · drag: pan · click a node for details · click a cluster label to collapse"}));
  const v = (svg.getAttribute("viewBox") || "").trim().split(/[\s,]+/).map(Number);
  if (v.length === 4 && v.every(Number.isFinite) && v[2] > 0 && v[3] > 0) vb0 = {x: v[0], y: v[1], w: v[2], h: v[3]};
  else { const b = svg.getBBox(); vb0 = {x: b.x, y: b.y, w: b.width || 100, h: b.height || 100}; }
  vb = Object.assign({}, vb0);
  for (const g of svg.querySelectorAll("g.node")) {
    const t = g.querySelector(":scope > title");
    if (t) { titleToEl.set(t.textContent.trim(), g); t.remove(); }  // our tooltip replaces the native one
  }
  for (const g of svg.querySelectorAll("g.edge")) {
    const t = g.querySelector(":scope > title");
    const ends = t ? splitEdgeTitle(t.textContent.trim()) : null;
    if (!ends) continue;
    edgeEnds.set(g, ends);
    for (const n of ends) { if (!edgesOf.has(n)) edgesOf.set(n, []); edgesOf.get(n).push(g); }
  }
  for (const n of nodes) { const g = document.getElementById(svgIdOf(n)); if (g) elOf.set(n.id, g); }
} else {
  renderCards();
}

function lookupEnd(s) {
  if (titleToEl.has(s)) return titleToEl.get(s);
  const i = s.lastIndexOf(":");  // "node:port" or "node:port:compass"
  if (i > 0 && titleToEl.has(s.slice(0, i))) return titleToEl.get(s.slice(0, i));
  const j = s.indexOf(":");
  if (j > 0 && titleToEl.has(s.slice(0, j))) return titleToEl.get(s.slice(0, j));
  return null;
}
function splitEdgeTitle(t) {
  for (let i = t.indexOf("->"); i >= 0; i = t.indexOf("->", i + 1)) {
    const a = lookupEnd(t.slice(0, i)), b = lookupEnd(t.slice(i + 2));
    if (a && b) return [a, b];
  }
  return null;
}

function renderCards() {  // no layout: every node as an HTML card, grouped by flow
  graphBox.style.height = "auto"; graphBox.style.cursor = "default";
  const wrap = el("div", {class: "cards"});
  const groups = new Map();
  for (const n of nodes) {
    const k = n.kind === "blockdef" ? "blocks" : "flow " + (n.flow || "?");
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(n);
  }
  for (const [k, list] of groups) {
    wrap.appendChild(el("h3", {text: k}));
    for (const n of list) {
      const [f, s] = catColor(n.category);
      const c = el("div", {class: "node" + (nodeErrors.has(n.id) ? " err" : ""), id: svgIdOf(n), style: `background:${f};border-color:${s}`},
        el("b", {text: n.name}), el("div", {class: "mono", text: (n.type || "") + (n.version ? "@" + n.version : "")}),
        ...(n.inputs || []).map((p) => el("div", {class: "mono", text: "▸ " + p.name + " " + (p.dtype || "") + " " + (p.shape || "")})),
        ...(n.outputs || []).map((p) => el("div", {class: "mono", text: "◂ " + p.name + " " + (p.dtype || "") + " " + (p.shape || "")})));
      wrap.appendChild(c);
      elOf.set(n.id, c);
    }
  }
  if (!nodes.length) wrap.appendChild(el("div", {class: "nodata", text: "Nothing to draw: the graph could not be read (see the errors)."}));
  graphBox.appendChild(wrap);
  $("toolbar").style.display = "none";
}

/* shapes, colours, badges */
function shapesOf(g) {
  return [...g.children].filter((c) => /^(polygon|path|ellipse|rect|polyline)$/.test(c.localName));
}
const nodeEls = svg ? [...svg.querySelectorAll("g.node")] : [...elOf.values()];
const dataOfEl = new Map();
for (const g of nodeEls) { const id = dataIdOfSvg(g.id || ""); if (id !== null) dataOfEl.set(g, byId.get(id) || {id, name: id, kind: "?", missing: true}); }

function bboxInSvg(e) {
  const b = e.getBBox(), m = svg.getScreenCTM().inverse().multiply(e.getScreenCTM());
  const pts = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]].map(([x, y]) => {
    const p = svg.createSVGPoint(); p.x = x; p.y = y; return p.matrixTransform(m);
  });
  const xs = pts.map((p) => p.x), ys = pts.map((p) => p.y);
  return {x: Math.min(...xs), y: Math.min(...ys), w: Math.max(...xs) - Math.min(...xs), h: Math.max(...ys) - Math.min(...ys)};
}
function localBBox(g) { try { return g.getBBox(); } catch (e) { return {x: 0, y: 0, width: 0, height: 0}; } }

let heatOn = !!trace;
function paint() {
  document.body.classList.toggle("heat", heatOn);
  $("heatbtn").classList.toggle("on", heatOn);
  for (const [g, n] of dataOfEl) {
    const [fill, stroke] = catColor(n.category || (n.kind === "blockdef" ? "block" : n.kind));
    const t = traceOf.get(n.id);
    const f = heatOn ? (t ? heatColor(maxShare ? (+t.share || 0) / maxShare : 0) : "#f8fafc") : fill;
    if (!svg) { g.style.background = f; g.style.borderColor = stroke; continue; }
    if (n.kind === "io" || n.category === "io") continue;
    for (const s of shapesOf(g)) {
      s.classList.add("lf-shape");
      if (s.getAttribute("fill") !== "none" || s === shapesOf(g)[0]) s.style.fill = f;
      s.style.stroke = stroke;
    }
  }
  renderLegend();
}
if (svg) {
  for (const [g, n] of dataOfEl) {
    const b = localBBox(g);
    if (nodeErrors.has(n.id)) {
      g.classList.add("err");
      const badge = sv("g", {class: "lf-badge-err"});
      badge.appendChild(sv("circle", {cx: b.x + 2, cy: b.y + 2, r: 7}));
      badge.appendChild(sv("text", {x: b.x + 2, y: b.y + 5.5, "text-anchor": "middle"}, "!"));
      g.appendChild(badge);
    }
    const t = traceOf.get(n.id);
    if (t) g.appendChild(sv("text", {class: "lf-heat", x: b.x + b.width, y: b.y - 3, "text-anchor": "end"},
      fmtNum(+t.mean_ms) + " ms · " + (t.calls ?? "?") + "× · " + fmtNum(100 * (+t.share || 0)) + "%"));
  }
  // errors located at an input port: colour the edge that feeds it
  for (const e of errors) {
    const m = /\/inputs\/([^/]+)$/.exec(e.where || "");
    const g = e.node && elOf.get(e.node);
    if (!m || !g) continue;
    const port = m[1];
    for (const edge of edgesOf.get(g) || []) {
      if (edgeEnds.get(edge)[1] !== g) continue;
      const lab = [...edge.querySelectorAll("text")].map((x) => x.textContent.trim()).join(" ");
      if ((edge.id || "").endsWith("." + port) || lab === port || lab.endsWith("→" + port) || lab.endsWith(">" + port))
        edge.classList.add("err");
    }
  }
}
$("heatbtn").addEventListener("click", () => { heatOn = !heatOn; paint(); });

function renderLegend() {
  const lg = $("legend"); lg.textContent = "";
  const cats = [...new Set(nodes.map((n) => n.category || (n.kind === "blockdef" ? "block" : n.kind)).filter((c) => c && c !== "io"))];
  if (!heatOn) for (const c of cats) {
    const [f, s] = catColor(c);
    lg.appendChild(el("span", {}, el("span", {class: "sw", style: `background:${f};border-color:${s}`}), c));
  }
  else lg.appendChild(el("span", {text: "fill: share of the run's time (trace)"}));
  const hl = $("heatlegend");
  hl.hidden = !trace; $("heatsep").hidden = !trace;
  if (trace) {
    hl.textContent = "";
    const stops = HEAT.map(([t]) => heatColor(t) + " " + (t * 100) + "%").join(",");
    hl.appendChild(el("span", {text: "time share 0%"}));
    hl.appendChild(el("span", {class: "heatbar", style: `background:linear-gradient(90deg,${stops})`}));
    hl.appendChild(el("span", {text: fmtNum(100 * maxShare) + "%"}));
  }
}
paint();

/* ---------- clusters ---------- */
const clusters = svg ? [...svg.querySelectorAll("g.cluster")] : [];
const clusterNodes = new Map();
if (svg) {
  const centers = new Map(nodeEls.map((g) => { const b = bboxInSvg(g); return [g, [b.x + b.w / 2, b.y + b.h / 2]]; }));
  for (const c of clusters) {
    const shape = shapesOf(c)[0] || c;
    const b = bboxInSvg(shape);
    clusterNodes.set(c, nodeEls.filter((g) => { const [x, y] = centers.get(g); return x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h; }));
    const label = c.querySelector(":scope > text");
    if (label) label.addEventListener("click", (ev) => { ev.stopPropagation(); toggleCluster(c); });
  }
  const chips = $("clusterchips");
  for (const c of clusters) {
    const name = clusterName(c);
    const chip = el("span", {class: "chip", title: "Collapse / expand " + name, onclick: () => toggleCluster(c)}, "▾ " + name);
    chip.dataset.cluster = c.id;
    chips.appendChild(chip);
  }
}
function clusterName(c) {
  const t = c.querySelector(":scope > text");
  return (t && t.textContent.trim()) || (c.id || "").replace(/^c:/, "") || "cluster";
}
function toggleCluster(c) {
  c.classList.toggle("collapsed");
  const chip = [...$("clusterchips").children].find((x) => x.dataset.cluster === c.id);
  const on = c.classList.contains("collapsed");
  if (chip) { chip.classList.toggle("collapsed", on); chip.firstChild.textContent = (on ? "▸ " : "▾ ") + clusterName(c); }
  const label = c.querySelector(":scope > text");
  if (label) {
    if (!label.dataset.orig) label.dataset.orig = label.textContent;
    label.textContent = on ? "▸ " + label.dataset.orig + " (" + clusterNodes.get(c).length + " hidden)" : label.dataset.orig;
  }
  applyHidden();
}
function applyHidden() {
  const hidden = new Set();
  for (const c of clusters) if (c.classList.contains("collapsed")) for (const g of clusterNodes.get(c)) hidden.add(g);
  for (const g of nodeEls) g.classList.toggle("lf-hidden", hidden.has(g));
  for (const [edge, [a, b]] of edgeEnds) edge.classList.toggle("lf-hidden", hidden.has(a) || hidden.has(b));
  // edges whose ends could not be resolved: hide by id prefix of a collapsed flow
  for (const edge of svg.querySelectorAll("g.edge")) if (!edgeEnds.has(edge)) {
    const id = edge.id || "";
    edge.classList.toggle("lf-hidden", clusters.some((c) => c.classList.contains("collapsed") && id.startsWith("e:" + (c.id || "").replace(/^c:/, "") + "/")));
  }
}

/* ---------- pan / zoom ---------- */
function setVB() { if (svg) svg.setAttribute("viewBox", `${vb.x} ${vb.y} ${vb.w} ${vb.h}`); }
function sizeGraph() {
  if (!svg) return;
  const w = graphBox.clientWidth || 800;
  const natural = w * vb0.h / vb0.w;
  const avail = Math.max(320, window.innerHeight - graphBox.getBoundingClientRect().top + $("content").scrollTop - 24);
  graphBox.style.height = Math.round(Math.max(260, Math.min(natural, avail))) + "px";
}
function fit() { if (!svg) return; vb = Object.assign({}, vb0); setVB(); }
function clientToSvg(cx, cy) {
  const p = svg.createSVGPoint(); p.x = cx; p.y = cy;
  return p.matrixTransform(svg.getScreenCTM().inverse());
}
function zoomAt(cx, cy, f) {
  const p = clientToSvg(cx, cy);
  const nw = Math.max(vb0.w / 40, Math.min(vb0.w * 4, vb.w * f)), k = nw / vb.w;
  vb = {x: p.x - (p.x - vb.x) * k, y: p.y - (p.y - vb.y) * k, w: vb.w * k, h: vb.h * k};
  setVB();
}
function zoomCenter(f) { const r = graphBox.getBoundingClientRect(); zoomAt(r.left + r.width / 2, r.top + r.height / 2, f); }
// how many screen px one svg unit takes now
function scaleNow() { const r = graphBox.getBoundingClientRect(); return Math.min(r.width / vb.w, r.height / vb.h); }
function reveal(g) {
  if (!svg || !g || !g.getBBox) { if (g && g.scrollIntoView) g.scrollIntoView({block: "center"}); return; }
  const b = bboxInSvg(g), r = graphBox.getBoundingClientRect();
  const inView = b.x >= vb.x && b.y >= vb.y && b.x + b.w <= vb.x + vb.w && b.y + b.h <= vb.y + vb.h;
  let s = scaleNow();
  if (inView && s >= 0.75) return;
  s = Math.max(s, Math.min(1.1, r.width / (b.w * 3), r.height / (b.h * 3)));
  const w = r.width / s, h = r.height / s;
  vb = {x: b.x + b.w / 2 - w / 2, y: b.y + b.h / 2 - h / 2, w, h};
  setVB();
  graphBox.scrollIntoView({block: "nearest"});
}
// The flow that does the work: the one with the most traced time, else the largest flow that steps
// an optimizer (a training update), else the largest flow.
function workFlow() {
  const score = new Map();
  for (const n of nodes) {
    if (!n.flow) continue;
    const s = score.get(n.flow) || [0, 0, 0];
    const t = traceOf.get(n.id);
    s[0] += t ? (+t.total_ms || 0) : 0;
    s[1] = Math.max(s[1], n.category === "optim" ? 1 : 0);
    s[2] += 1;
    score.set(n.flow, s);
  }
  let best = null, key = null;
  for (const [f, s] of score) {
    const better = !key || s[0] > key[0] || (s[0] === key[0] && (s[1] > key[1] || (s[1] === key[1] && s[2] > key[2])));
    if (better) { best = f; key = s; }
  }
  return best;
}
// Opens on that flow's cluster at a scale where its labels are readable (at most 1 svg unit per
// pixel, its top first), in a box as tall as the window; double-click or "fit" shows everything.
function openOnWork() {
  const f = workFlow();
  const c = f ? clusters.find((x) => x.id === "c:" + f) : null;
  if (!c || clusters.length < 2) return;
  graphBox.style.height = Math.round(Math.max(260, window.innerHeight - graphBox.getBoundingClientRect().top - 24)) + "px";
  const b = bboxInSvg(shapesOf(c)[0] || c), r = graphBox.getBoundingClientRect();
  const s = Math.min(1, r.width / (b.w * 1.1), r.height / (b.h * 1.1) > 0.75 ? r.height / (b.h * 1.1) : 1);
  const w = r.width / s, h = r.height / s;
  vb = {x: b.x + b.w / 2 - w / 2, y: b.y - 0.02 * h, w, h};
  setVB();
  document.body.dataset.view = f;
}
if (svg) {
  sizeGraph(); fit(); openOnWork();
  window.addEventListener("resize", () => { sizeGraph(); setVB(); });
  graphBox.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const dy = ev.deltaMode === 1 ? ev.deltaY * 16 : ev.deltaY;
    zoomAt(ev.clientX, ev.clientY, Math.exp(dy * 0.0015));
  }, {passive: false});
  let drag = null;
  graphBox.addEventListener("pointerdown", (ev) => {
    if (ev.button !== 0) return;
    drag = {x: ev.clientX, y: ev.clientY, vx: vb.x, vy: vb.y, s: scaleNow(), moved: false, id: ev.pointerId};
  });
  window.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) { drag.moved = true; graphBox.classList.add("dragging"); try { graphBox.setPointerCapture(drag.id); } catch (e) { /* ignore */ } }
    vb.x = drag.vx - dx / drag.s; vb.y = drag.vy - dy / drag.s; setVB();
  });
  window.addEventListener("pointerup", () => {
    if (drag && drag.moved) { suppressClick = true; setTimeout(() => { suppressClick = false; }, 0); }
    drag = null; graphBox.classList.remove("dragging");
  });
  graphBox.addEventListener("dblclick", (ev) => { if (!ev.target.closest("g.node")) fit(); });
  $("fit").onclick = fit; $("zin").onclick = () => zoomCenter(1 / 1.3); $("zout").onclick = () => zoomCenter(1.3);
}
let suppressClick = false;

/* ---------- selection & panel ---------- */
const panel = $("panel");
let selected = null;
function nodeEl(id) { return elOf.get(id) || null; }
function related(n) {  // ids linked to n: its block and sibling calls, or a block's calls
  const ids = new Set();
  if (n.kind === "block" && n.block) {
    ids.add("block/" + n.block);
    for (const u of ((blocks.get(n.block) || {}).used_by || [])) if (u !== n.id) ids.add(u);
  }
  if (n.kind === "blockdef") for (const u of ((blocks.get(n.name) || {}).used_by || [])) ids.add(u);
  return ids;
}
function highlight(n) {
  for (const g of nodeEls) g.classList.remove("sel", "near", "linked");
  if (svg) for (const e of svg.querySelectorAll("g.edge.hl")) e.classList.remove("hl");
  if (svg) svg.classList.toggle("focus", !!n);
  if (!n) return;
  const g = nodeEl(n.id);
  if (g) {
    g.classList.add("sel");
    for (const e of edgesOf.get(g) || []) {
      e.classList.add("hl");
      for (const other of edgeEnds.get(e)) if (other !== g) other.classList.add("near");
    }
  }
  for (const id of related(n)) { const r = nodeEl(id); if (r) r.classList.add("linked"); }
}
function closePanel() {
  panel.classList.remove("open"); panel.removeAttribute("data-node"); panel.textContent = "";
  selected = null; highlight(null);
  try { history.replaceState(null, "", location.pathname + location.search); } catch (e) { /* file: URLs */ }
}
function link(id, text) {
  return el("span", {class: "link", text: text || id, title: id, onclick: (ev) => { ev.stopPropagation(); select(id, true); }});
}
function srcLink(n, src) {
  if (!src) return el("span", {class: "empty", text: "not wired"});
  if (src.startsWith("$") && n.flow) return byId.has(n.flow + "/$") ? link(n.flow + "/$", src) : document.createTextNode(src);
  const i = src.indexOf("."), id = (n.flow || "") + "/" + (i > 0 ? src.slice(0, i) : src);
  return byId.has(id) ? link(id, src) : document.createTextNode(src);
}
function table(headers, rows) {
  const t = el("table", {}, el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", {text: h})))));
  const tb = el("tbody"); for (const r of rows) tb.appendChild(r); t.appendChild(tb); return t;
}
function portRows(n, list, withSource) {
  return list.map((p) => el("tr", {},
    el("td", {class: "m"}, p.name || "", p.optional ? el("span", {class: "pdoc", text: " (optional)"}) : null,
       p.doc ? el("div", {class: "pdoc", text: p.doc}) : null),
    el("td", {class: "m", text: p.dtype || ""}), el("td", {class: "m", text: p.shape || ""}),
    withSource ? el("td", {class: "m"}, srcLink(n, p.source)) : null));
}
function renderPanel(n) {
  panel.textContent = "";
  const [fill, stroke] = catColor(n.category || (n.kind === "blockdef" ? "block" : n.kind));
  const kindName = {block: "block call", inline: "node", flow: "flow call", scan: "scan", blockdef: "block", io: "flow ports"}[n.kind] || n.kind || "node";
  const head = el("div", {class: "head"},
    el("button", {class: "close", title: "Close (Esc)", text: "×", onclick: closePanel}),
    el("span", {class: "kind", style: `background:${fill};border-color:${stroke};color:${stroke}`, "data-field": "kind", text: kindName}),
    el("span", {class: "pill info", style: "background:#f1f5f9;color:#334155", "data-field": "category", text: n.category || "–"}),
    el("h2", {"data-field": "name", text: n.name || n.id}),
    el("div", {class: "typ"}, el("span", {"data-field": "type", text: n.type || ""}),
       n.version ? el("span", {"data-field": "version", text: "@" + n.version}) : null),
    el("div", {class: "id", text: n.kind === "blockdef" ? "block " + n.name : "id " + n.id + (n.flow ? "  ·  in flow " + n.flow : "")}));
  panel.appendChild(head);
  const sec = (title, ...kids) => panel.appendChild(el("div", {class: "sec"}, title ? el("h3", {text: title}) : null, ...kids));

  const errs = nodeErrors.get(n.id) || [];
  if (errs.length) sec("Errors (" + errs.length + ")", el("ul", {class: "errs", "data-field": "errors"}, ...errs.map((m) => el("li", {text: m}))));
  if (n.missing) sec(null, el("div", {class: "empty", text: "This element has no entry in the graph data."}));
  if (n.doc) sec("Doc", el("div", {class: "doc", "data-field": "doc", text: n.doc}));

  const t = traceOf.get(n.id);
  if (t) sec(t.aggregate ? "Trace (sum over its calls)" : "Trace", el("div", {class: "kv", "data-field": "trace"},
    el("span", {text: "mean"}), el("span", {class: "mono", text: fmtNum(+t.mean_ms) + " ms"}),
    el("span", {text: "calls"}), el("span", {class: "mono", text: String(t.calls ?? "–")}),
    el("span", {text: "total"}), el("span", {class: "mono", text: fmtNum(+t.total_ms) + " ms"}),
    el("span", {text: "share"}), el("span", {class: "mono", text: fmtNum(100 * (+t.share || 0)) + " %"})));

  if (n.kind === "block" && n.block) {
    const b = blocks.get(n.block) || {};
    const others = (b.used_by || []).filter((u) => u !== n.id);
    sec("Block", el("div", {}, "Calls block ", link("block/" + n.block, n.block), " (shared weights)"),
      others.length ? el("div", {style: "margin-top:4px"}, "Also called by: ", el("span", {class: "links"}, ...others.map((u) => link(u)))) : null);
  }
  if (n.kind === "blockdef") {
    const b = blocks.get(n.name) || {};
    const used = b.used_by || [];
    sec("Used by " + used.length + (used.length === 1 ? " call" : " calls"),
      used.length ? el("div", {class: "links"}, ...used.map((u) => link(u))) : el("div", {class: "empty", text: "no call uses this block"}));
  }
  if ((n.kind === "flow" || n.kind === "scan") && n.type) {
    const target = n.target || n.type.replace(/^(flow|scan)\s+/, "");
    const f = flows.get(target);
    if (f) sec(n.kind === "scan" ? "Step flow" : "Flow", el("div", {}, el("span", {class: "link", text: target, onclick: () => revealCluster(target)}),
      f.doc ? el("div", {class: "doc", style: "margin-top:3px", text: f.doc}) : null));
  }
  if (n.kind === "io" && n.flow && flows.get(n.flow) && flows.get(n.flow).doc) sec("Flow " + n.flow, el("div", {class: "doc", text: flows.get(n.flow).doc}));

  const ins = n.inputs || [], outs = n.outputs || [];
  const showSrc = n.kind !== "blockdef";
  sec("Inputs", ins.length ? table(["name", "dtype", "shape"].concat(showSrc ? ["source"] : []), portRows(n, ins, showSrc)) : el("div", {class: "empty", text: "none"}));
  sec("Outputs", outs.length ? table(["name", "dtype", "shape"].concat(outs.some((p) => p.source) ? ["source"] : []), portRows(n, outs, outs.some((p) => p.source))) : el("div", {class: "empty", text: "none"}));
  const ps = n.params || [];
  const nset = ps.filter((p) => !p.is_default).length;
  sec("Params" + (ps.length ? " (" + nset + " set, " + (ps.length - nset) + " default)" : ""), ps.length ? table(["name", "value", "default"], ps.map((p) =>
    el("tr", {class: p.is_default ? "" : "set"},
      el("td", {class: "m"}, p.name, p.is_default ? null : el("span", {class: "tag", text: "set"}),
         el("div", {class: "pdoc", text: [p.type, p.doc].filter(Boolean).join(" · ")})),
      el("td", {class: "m", text: fmtVal(p.value)}),
      el("td", {class: "m", text: p.default === undefined || p.default === null ? "–" : fmtVal(p.default)})))) : el("div", {class: "empty", text: "none"}));
}
function select(id, doReveal) {
  const n = byId.get(id);
  const g = nodeEl(id);
  if (g) { g.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, view: window})); if (doReveal) reveal(g); }
  else if (n) openNode(n);
}
function openNode(n) {
  selected = n;
  renderPanel(n);
  panel.setAttribute("data-node", n.id);
  panel.classList.add("open");
  panel.scrollTop = 0;
  highlight(n);
  try { history.replaceState(null, "", "#select=" + encodeURIComponent(n.id)); } catch (e) { /* file: URLs */ }
}
for (const [g, n] of dataOfEl) {
  g.addEventListener("click", (ev) => {
    ev.stopPropagation();
    if (suppressClick) return;
    openNode(n);
  });
  g.addEventListener("mousemove", (ev) => showTip(ev, n));
  g.addEventListener("mouseleave", hideTip);
}
function revealCluster(name) {
  const c = document.getElementById("c:" + name);
  if (!c || !svg) return;
  if (c.classList.contains("collapsed")) toggleCluster(c);
  const b = bboxInSvg(shapesOf(c)[0] || c), r = graphBox.getBoundingClientRect();
  const s = Math.min(r.width / (b.w * 1.1), r.height / (b.h * 1.1));
  vb = {x: b.x + b.w / 2 - r.width / s / 2, y: b.y + b.h / 2 - r.height / s / 2, w: r.width / s, h: r.height / s};
  setVB();
}

/* tooltip */
const tip = $("tip");
function showTip(ev, n) {
  tip.textContent = "";
  tip.appendChild(el("div", {}, el("b", {text: n.name || n.id}), "  ", el("span", {class: "t", text: (n.type || "") + (n.version ? "@" + n.version : "")})));
  const t = traceOf.get(n.id);
  if (t) tip.appendChild(el("div", {text: fmtNum(+t.mean_ms) + " ms mean · " + (t.calls ?? "?") + " calls · " + fmtNum(100 * (+t.share || 0)) + "% of time"}));
  const errs = nodeErrors.get(n.id) || [];
  if (errs.length) tip.appendChild(el("div", {class: "e", text: errs.length + (errs.length === 1 ? " error: " : " errors: ") + errs[0]}));
  tip.style.display = "block";
  const x = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
  const y = ev.clientY + 16 + tip.offsetHeight > window.innerHeight ? ev.clientY - tip.offsetHeight - 10 : ev.clientY + 16;
  tip.style.left = x + "px"; tip.style.top = y + "px";
}
function hideTip() { tip.style.display = "none"; }

/* ---------- search ---------- */
const search = $("search"), results = $("results");
let hits = [], active = 0;
function runSearch() {
  const q = search.value.trim().toLowerCase();
  results.textContent = "";
  for (const g of nodeEls) g.classList.remove("match");
  if (svg) svg.classList.toggle("searching", !!q);
  if (!q) { results.classList.remove("open"); hits = []; return; }
  const score = (n) => {
    const name = (n.name || "").toLowerCase(), type = (n.type || "").toLowerCase(), id = n.id.toLowerCase();
    if (name === q) return 0; if (name.startsWith(q)) return 1; if (name.includes(q)) return 2;
    if (type === q) return 3; if (type.includes(q)) return 4; if (id.includes(q)) return 5; return -1;
  };
  hits = nodes.map((n) => [score(n), n]).filter(([s]) => s >= 0).sort((a, b) => a[0] - b[0] || a[1].id.localeCompare(b[1].id)).map(([, n]) => n);
  active = 0;
  for (const n of hits) { const g = nodeEl(n.id); if (g) g.classList.add("match"); }
  if (!hits.length) results.appendChild(el("div", {class: "none", text: "no node matches"}));
  hits.slice(0, 50).forEach((n, i) => results.appendChild(el("div", {class: "r" + (i === 0 ? " active" : ""), onmousedown: (ev) => { ev.preventDefault(); choose(n); }},
    el("span", {}, el("b", {text: n.name}), el("span", {style: "color:var(--muted)", text: n.kind === "blockdef" ? "  block" : "  " + (n.flow || "")})),
    el("span", {class: "t", text: n.type || ""}))));
  results.classList.add("open");
}
function choose(n) {
  search.value = ""; runSearch(); search.blur();
  select(n.id, true);
}
search.addEventListener("input", runSearch);
search.addEventListener("focus", () => { if (search.value.trim()) runSearch(); });
search.addEventListener("blur", () => setTimeout(() => results.classList.remove("open"), 100));
search.addEventListener("keydown", (ev) => {
  const rows = [...results.querySelectorAll(".r")];
  if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
    ev.preventDefault();
    if (!rows.length) return;
    active = (active + (ev.key === "ArrowDown" ? 1 : rows.length - 1)) % rows.length;
    rows.forEach((r, i) => r.classList.toggle("active", i === active));
    rows[active].scrollIntoView({block: "nearest"});
  } else if (ev.key === "Enter") {
    if (hits[active]) choose(hits[active]);
  } else if (ev.key === "Escape") { search.value = ""; runSearch(); search.blur(); }
});
document.addEventListener("keydown", (ev) => {
  if (ev.key === "/" && document.activeElement !== search) { ev.preventDefault(); search.focus(); }
  else if (ev.key === "Escape" && document.activeElement !== search) closePanel();
});

/* ---------- errors list ---------- */
if (errors.length || nodeErrors.size) {
  $("errors").hidden = false;
  $("errcount2").textContent = String(nErr);
  const list = errors.length ? errors : [...nodeErrors].flatMap(([id, ms]) => ms.map((m) => ({where: id, message: m, node: id})));
  for (const e of list) {
    const li = el("li", {title: e.node ? "Select " + e.node : "Not located at a node"},
      el("div", {class: "where", text: e.where || ""}), el("div", {class: "msg", text: e.message || ""}),
      e.node ? el("div", {class: "where", text: "→ " + e.node}) : null);
    if (e.node && (byId.has(e.node) || nodeEl(e.node))) li.addEventListener("click", () => select(e.node, true));
    else li.style.cursor = "default";
    $("errlist").appendChild(li);
  }
}

/* ---------- learning curves ---------- */
function niceTicks(lo, hi, n) {
  if (!(hi > lo)) { const d = Math.abs(lo) * 0.1 || 1; lo -= d; hi += d; }
  const raw = (hi - lo) / n, p = Math.pow(10, Math.floor(Math.log10(raw))), m = raw / p;
  const step = (m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10) * p;
  const t = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) t.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return {lo: Math.min(lo, t[0]), hi: Math.max(hi, t[t.length - 1]), t};
}
function drawChart(name, xs, ys, xName) {
  const W = 340, H = 210, L = 50, R = 12, T = 26, B = 38;
  const pts = xs.map((x, i) => [x, ys[i]]).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const box = el("div", {class: "chart", "data-metric": name});
  const s = sv("svg", {viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": name + " against " + xName});
  box.appendChild(s);
  s.appendChild(sv("text", {class: "ttl", x: 4, y: 15}, name));
  if (!pts.length) { s.appendChild(sv("text", {class: "tk", x: W / 2, y: H / 2, "text-anchor": "middle"}, "no values")); return box; }
  const last = pts[pts.length - 1][1];
  s.appendChild(sv("text", {class: "last", x: W - 4, y: 15, "text-anchor": "end"}, "last " + fmtNum(last)));
  const X = niceTicks(Math.min(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[0])), 4);
  const Y = niceTicks(Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[1])), 4);
  const px = (x) => L + (x - X.lo) / (X.hi - X.lo) * (W - L - R), py = (y) => H - B - (y - Y.lo) / (Y.hi - Y.lo) * (H - T - B);
  for (const v of Y.t) {
    s.appendChild(sv("line", {class: "gl", x1: L, x2: W - R, y1: py(v), y2: py(v)}));
    s.appendChild(sv("text", {class: "tk", x: L - 5, y: py(v) + 3.5, "text-anchor": "end"}, fmtNum(v)));
  }
  for (const v of X.t) {
    s.appendChild(sv("line", {class: "ax", x1: px(v), x2: px(v), y1: H - B, y2: H - B + 4}));
    s.appendChild(sv("text", {class: "tk", x: px(v), y: H - B + 15, "text-anchor": "middle"}, fmtNum(v)));
  }
  s.appendChild(sv("line", {class: "ax", x1: L, x2: W - R, y1: H - B, y2: H - B}));
  s.appendChild(sv("line", {class: "ax", x1: L, x2: L, y1: T, y2: H - B}));
  s.appendChild(sv("text", {class: "lab", x: (L + W - R) / 2, y: H - 4, "text-anchor": "middle"}, xName));
  s.appendChild(sv("text", {class: "lab", x: 11, y: (T + H - B) / 2, "text-anchor": "middle", transform: `rotate(-90 11 ${(T + H - B) / 2})`}, name));
  // a line broken where a row has no value
  let d = "", pen = false;
  xs.forEach((x, i) => {
    const y = ys[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) { pen = false; return; }
    d += (pen ? "L" : "M") + px(x).toFixed(1) + "," + py(y).toFixed(1); pen = true;
  });
  s.appendChild(sv("path", {class: "ln", d}));
  if (pts.length <= 60) for (const [x, y] of pts) s.appendChild(sv("circle", {class: "pt", cx: px(x), cy: py(y), r: 2}));
  // hover read-out
  const cross = sv("line", {class: "ax", y1: T, y2: H - B, visibility: "hidden", "stroke-dasharray": "3 2"});
  const dot = sv("circle", {r: 3.5, fill: "#1d4ed8", visibility: "hidden"});
  const txt = sv("text", {class: "hov", x: W - R, y: T + 10, "text-anchor": "end"});
  s.append(cross, dot, txt);
  s.addEventListener("mousemove", (ev) => {
    const p = s.createSVGPoint(); p.x = ev.clientX; p.y = ev.clientY;
    const q = p.matrixTransform(s.getScreenCTM().inverse());
    let best = pts[0];
    for (const pt of pts) if (Math.abs(px(pt[0]) - q.x) < Math.abs(px(best[0]) - q.x)) best = pt;
    cross.setAttribute("x1", px(best[0])); cross.setAttribute("x2", px(best[0])); cross.setAttribute("visibility", "visible");
    dot.setAttribute("cx", px(best[0])); dot.setAttribute("cy", py(best[1])); dot.setAttribute("visibility", "visible");
    txt.textContent = xName + " " + fmtNum(best[0]) + ": " + fmtNum(best[1]);
  });
  s.addEventListener("mouseleave", () => { cross.setAttribute("visibility", "hidden"); dot.setAttribute("visibility", "hidden"); txt.textContent = ""; });
  return box;
}
function renderCurves() {
  const M = D.metrics;
  if (!M || !Array.isArray(M.columns) || !Array.isArray(M.rows) || !M.rows.length) return;
  const cols = M.columns, rows = M.rows;
  const col = (i) => rows.map((r) => (r[i] === null || r[i] === undefined || r[i] === "") ? NaN : Number(r[i]));
  const isTime = (c) => /^(time|time_s|wall|wall_s|elapsed|elapsed_s|t_s)$/i.test(c);
  // counters: the integer, non-decreasing columns right after the time column(s)
  const counters = [];
  for (let i = 0; i < cols.length; i++) {
    if (isTime(cols[i])) continue;
    const v = col(i).filter(Number.isFinite);
    const isCounter = v.length && v.every((x, k) => Number.isInteger(x) && (k === 0 || x >= v[k - 1]));
    if (isCounter && (counters.length === 0 || counters[counters.length - 1] === i - 1 || isTime(cols[i - 1]))) counters.push(i);
    else if (counters.length || i > 2) break;
  }
  const xChoices = counters.concat(cols.map((c, i) => i).filter((i) => isTime(cols[i])));
  const metricsCols = cols.map((c, i) => i).filter((i) => !isTime(cols[i]) && !counters.includes(i) && col(i).some(Number.isFinite));
  if (!metricsCols.length) return;
  $("curves").hidden = false;
  const selX = $("xaxis");
  if (!xChoices.length) selX.appendChild(el("option", {value: "-1", text: "row"}));
  for (const i of xChoices) selX.appendChild(el("option", {value: String(i), text: cols[i]}));
  const draw = () => {
    const xi = Number(selX.value);
    const xs = xi >= 0 ? col(xi) : rows.map((r, k) => k);
    const charts = $("charts"); charts.textContent = "";
    for (const i of metricsCols) charts.appendChild(drawChart(cols[i], xs, col(i), xi >= 0 ? cols[xi] : "row"));
  };
  selX.addEventListener("change", draw);
  draw();
}
try { renderCurves(); } catch (e) { console.error("learning curves:", e); }

/* ---------- start-up: #select=ID, then ready ---------- */
document.addEventListener("click", (ev) => {  // a click on the background clears the selection
  if (selected && ev.target.closest && ev.target.closest("#graph") && !ev.target.closest("g.node") && !suppressClick) closePanel();
});
function fromHash() {
  const m = /^#select=(.*)$/.exec(location.hash || "");
  if (!m) return;
  let id = m[1];
  try { id = decodeURIComponent(id); } catch (e) { /* keep raw */ }
  const g = nodeEl(id) || document.getElementById(id);
  if (g) {
    g.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, view: window}));
    reveal(g);
  } else if (byId.has(id)) openNode(byId.get(id));
}
window.addEventListener("hashchange", fromHash);
fromHash();
document.body.dataset.ready = "1";
})();
