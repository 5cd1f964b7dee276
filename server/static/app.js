// orgraph's page: asks the server's JSON API and builds the answer with textContent only,
// so nothing a user typed (or a name in the data) is ever read as HTML.
"use strict";

// T, the page's words in each language, is defined by /static/words.js (served from
// orgraph's message catalogue, data/messages/vi.yaml), loaded before this file.

let lang = "vi";
const $ = (id) => document.getElementById(id);
const t = (k) => (T[lang] && T[lang][k]) || T.vi[k] || k;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function setLang(l) {
  lang = T[l] ? l : "vi";
  document.documentElement.lang = lang;
  for (const e of document.querySelectorAll("[data-t]")) e.textContent = t(e.dataset.t);
  for (const e of document.querySelectorAll("[data-tp]")) e.placeholder = t(e.dataset.tp);
  $("lang").textContent = t("lang_button");
  document.title = "orgraph — " + t("title");
  try { localStorage.setItem("orgraph.lang", lang); } catch (_) { /* private mode */ }
  if (last) last();
}

let last = null; // re-draws the current answer in the new language
let seq = 0;

function state(s) {
  document.body.dataset.state = s;
}

async function api(path) {
  const r = await fetch(path, { headers: { Accept: "application/json" } });
  let body = null;
  try { body = await r.json(); } catch (_) { body = { error: r.statusText }; }
  return { status: r.status, body };
}

function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) u.set(k, v);
  const s = u.toString();
  return s ? "?" + s : "";
}

function resetResult() {
  $("result").hidden = false;
  for (const id of ["error", "suggestions", "hits", "answer", "picture-box"]) $(id).hidden = true;
  clear($("answer"));
  clear($("hit-list"));
  clear($("suggestions"));
  $("picture").hidden = true;
  $("picture").removeAttribute("src");
}

function showError(body) {
  const box = $("error");
  box.textContent = body && body.error ? body.error : t("network_error");
  box.hidden = false;
  const list = (body && (body.suggestions || body.candidates)) || [];
  if (list.length) {
    const ul = $("suggestions");
    ul.appendChild(el("li", body.suggestions ? t("suggest") : t("candidates")));
    for (const s of list) ul.appendChild(el("li", s));
    ul.hidden = false;
  }
  state("error");
}

function span(u) {
  return (u.valid_from || "…") + " → " + (u.valid_to || t("now"));
}

function unitHeader(u, box) {
  box.appendChild(el("h2", u.name, "unit-title"));
  const where = u.parents && u.parents.length ? u.parents[u.parents.length - 1] + " · " : "";
  const code = u.code ? t("code") + " " + u.code + " · " : "";
  box.appendChild(el("p", where + code + span(u) + " · " + t("id") + " " + u.id, "unit-meta"));
}

function hopLine(h) {
  const line = el("div", null, "hop");
  let basis = h.basis || t("no_basis");
  if (h.basis_date) basis += " " + t("of") + " " + h.basis_date;
  if (h.clause) basis += ", " + h.clause;
  line.appendChild(document.createTextNode((T[lang]["ev_" + h.type] || h.type) + " " + t("on") + " " + h.date + " — " + t("legal_basis") + ": "));
  line.appendChild(el("span", basis, "basis"));
  if (h.derived) line.appendChild(document.createTextNode(" " + t("modelled")));
  return line;
}

function successionBlock(s, title) {
  const box = el("div", null, "succession");
  box.dataset.direction = s.direction;
  box.appendChild(el("h3", title));
  box.appendChild(el("p", s.message, "status"));
  const ul = el("ul", null, "succ");
  for (const x of s.units) {
    const li = el("li", null, x.default && x.portion === "part" ? "default" : "");
    li.appendChild(el("span", x.unit.name, "name"));
    const where = x.province ? ", " + x.province : "";
    const flags = [x.portion === "part" ? t("part") : t("whole")];
    if (x.portion === "part") flags.push(x.default ? t("default") : t("not_default"));
    li.appendChild(el("span", where + (x.unit.code ? " [" + x.unit.code + "]" : "") + " (" + flags.join(", ") + ")", "flags"));
    for (const h of x.path) li.appendChild(hopLine(h));
    ul.appendChild(li);
  }
  box.appendChild(ul);
  return box;
}

function offerPicture(unit) {
  const box = $("picture-box");
  box.hidden = false;
  box.dataset.unit = unit;
  $("picture").hidden = true;
  $("picture").removeAttribute("src");
}

async function showUnit(id) {
  const my = ++seq;
  state("loading");
  const on = $("on").value;
  const enc = encodeURIComponent(id);
  const [a, b, s] = await Promise.all([
    api("/units/" + enc),
    api("/units/" + enc + "/predecessors"),
    api("/units/" + enc + "/successors" + qs({ on })),
  ]);
  if (my !== seq) return;
  if (a.status !== 200) return showError(a.body);
  const draw = () => {
    const box = $("answer");
    clear(box);
    box.dataset.unit = a.body.id;
    unitHeader(a.body, box);
    if (b.status === 200 && b.body.units.length) box.appendChild(successionBlock(b.body, t("predecessors")));
    if (s.status === 200) box.appendChild(successionBlock(s.body, t("successors")));
    box.hidden = false;
  };
  draw();
  last = draw;
  offerPicture(a.body.id);
  state("ready");
}

function showConversion(c) {
  const draw = () => {
    const box = $("answer");
    clear(box);
    box.dataset.status = c.status;
    const dl = el("dl", null, "conv");
    const add = (k, v) => {
      if (!v) return;
      dl.appendChild(el("dt", t(k)));
      dl.appendChild(el("dd", v));
    };
    add("status", t("st_" + c.status));
    add("street", c.street);
    add("old_unit", [c.old_commune, c.old_district, c.old_province].filter(Boolean).join(", ") + (c.old_commune_code ? " [" + c.old_commune_code + "]" : ""));
    add("new_unit", [c.new_commune, c.new_province].filter(Boolean).join(", ") + (c.new_commune_code ? " [" + c.new_commune_code + "]" : ""));
    add("new_address", c.new_address);
    add("legal_basis", c.legal_basis);
    add("candidates", c.candidates);
    add("note", c.note);
    box.appendChild(dl);
    box.hidden = false;
  };
  draw();
  last = draw;
  if (c.old_commune_code) offerPicture(c.old_commune_code);
  state("ready");
}

async function search(ev) {
  if (ev) ev.preventDefault();
  const q = $("q").value.trim();
  if (!q) return;
  resetResult();
  last = null;
  const my = ++seq;
  state("loading");
  let r;
  try {
    r = await api("/units" + qs({ name: q }));
  } catch (_) {
    return showError(null);
  }
  if (my !== seq) return;
  if (r.status === 200) {
    if (r.body.length === 1) return showUnit(r.body[0].id);
    const ul = $("hit-list");
    for (const u of r.body) {
      const li = el("li");
      const b = el("button", u.name + (u.parents.length ? ", " + u.parents[u.parents.length - 1] : "") + (u.code ? " [" + u.code + "]" : "") + " (" + span(u) + ")");
      b.type = "button";
      b.dataset.id = u.id;
      b.addEventListener("click", () => { $("hits").hidden = true; showUnit(u.id); });
      li.appendChild(b);
      ul.appendChild(li);
    }
    $("hits").hidden = false;
    state("ready");
    return;
  }
  if (r.status === 404) {
    // not a unit's name: perhaps a whole old address
    const c = await api("/convert" + qs({ address: q, on: $("on").value }));
    if (my !== seq) return;
    if (c.status === 200) return showConversion(c.body);
    if (c.status === 409) {
      showConversion(c.body);
      return;
    }
  }
  showError(r.body);
}

function showPicture() {
  const unit = $("picture-box").dataset.unit;
  if (!unit) return;
  const f = $("picture");
  f.hidden = false;
  f.src = "/viz/unit" + qs({ unit });
}

function parseCsv(text) {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { row.push(field); field = ""; }
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field); rows.push(row); row = []; field = "";
    } else field += ch;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

async function convertFile(ev) {
  ev.preventDefault();
  const file = $("file").files[0];
  $("convert-error").hidden = true;
  $("convert-result").hidden = true;
  if (!file) {
    $("convert-error").textContent = t("choose_file");
    $("convert-error").hidden = false;
    return;
  }
  state("converting");
  const form = new FormData();
  form.append("file", file);
  let r;
  try {
    r = await fetch("/convert" + qs({ on: $("on").value }), { method: "POST", body: form });
  } catch (_) {
    $("convert-error").textContent = t("network_error");
    $("convert-error").hidden = false;
    return state("error");
  }
  if (!r.ok) {
    let body = {};
    try { body = await r.json(); } catch (_) { body = { error: r.statusText }; }
    $("convert-error").textContent = body.error || r.statusText;
    $("convert-error").hidden = false;
    return state("error");
  }
  const text = await r.text();
  const rows = parseCsv(text);
  const header = rows[0] || [];
  const si = header.lastIndexOf("status") >= 0 ? header.lastIndexOf("status") : header.lastIndexOf("new_status");
  const counts = {};
  for (const row of rows.slice(1)) counts[row[si]] = (counts[row[si]] || 0) + 1;
  const n = rows.length - 1;
  const summary = $("convert-summary");
  summary.dataset.rows = String(n);
  summary.dataset.counts = JSON.stringify(counts);
  summary.textContent = t("converted") + " " + n + " " + t("rows") + ": " +
    Object.entries(counts).map(([k, v]) => t("st_" + k) + " " + v).join(", ") + " " + t("preview");
  const table = $("convert-preview");
  clear(table);
  rows.slice(0, 21).forEach((row, i) => {
    const tr = el("tr");
    for (const cell of row) tr.appendChild(el(i ? "td" : "th", cell));
    table.appendChild(tr);
  });
  const a = $("convert-download");
  if (a.href) URL.revokeObjectURL(a.href);
  a.href = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
  $("convert-result").hidden = false;
  state("converted");
}

document.addEventListener("DOMContentLoaded", () => {
  let saved = null;
  try { saved = localStorage.getItem("orgraph.lang"); } catch (_) { /* private mode */ }
  const asked = new URLSearchParams(location.search).get("lang");
  setLang(asked || saved || "vi");
  $("lang").addEventListener("click", () => setLang(lang === "vi" ? "en" : "vi"));
  $("search").addEventListener("submit", search);
  $("show-picture").addEventListener("click", showPicture);
  $("convert-form").addEventListener("submit", convertFile);
  state("idle");
  window.orgraphPage = { ready: true };
  const q = new URLSearchParams(location.search).get("q");
  if (q) { $("q").value = q; search(); }
});
