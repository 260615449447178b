// broadsheet serve: the page (tiles at zoom levels), overlays from the display list, a click
// shows a story's findings and its place in content.yaml; an edition's flatplan. Server-sent
// events tell of every build. No framework, no build step.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const view = { state: null, page: null, data: null, zoom: "fit", selected: null, clicked: null, shownVersion: 0 };

function svg(tag, attrs, parent) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  if (parent) parent.appendChild(el);
  return el;
}

function clock(t) { return new Date(t * 1000).toLocaleTimeString([], { hour12: false }); }

function pageState(p) {
  if (!p || p.ok === null || p.ok === undefined) return "waiting";
  if (!p.ok) return "error";
  if ((p.overset && p.overset.length) || p.warnings) return "warn";
  return "ok";
}

function setStatus() {
  const st = $("status");
  const s = view.state;
  if (!s) return;
  if (s.error) { st.dataset.state = "error"; st.textContent = "the edition file has errors"; return; }
  if (s.building) { st.dataset.state = "building"; st.textContent = "building…"; return; }
  const p = view.page ? s.pages.find((q) => q.page === view.page) : null;
  if (p && p.version) {
    st.dataset.state = pageState(p);
    let text = (p.ok ? "built " : "refused ") + clock(p.at) + " in " + Math.round(p.seconds * 1000) + " ms";
    if (p.overset && p.overset.length) text += " · overset " + p.overset.map((o) => `${o.article} +${o.lines} lines, cut ~${o.characters} chars`).join(", ");
    st.textContent = text;
  } else if (s.mode === "edition" && !view.page) {
    const bad = s.pages.filter((q) => q.ok === false).length;
    const over = s.pages.filter((q) => q.overset && q.overset.length).length;
    st.dataset.state = bad ? "error" : over ? "warn" : "ok";
    st.textContent = `${s.pages.length} pages · ${bad} refused · ${over} with overset`;
  } else { st.dataset.state = "waiting"; st.textContent = "building…"; }
}

async function loadState() {
  view.state = await (await fetch("/api/state")).json();
  $("title").textContent = "broadsheet · " + view.state.file.split("/").slice(-2).join("/");
  $("pager").hidden = view.state.mode !== "edition";
  route();
}

function route() {
  const m = location.hash.match(/page=(\d+)/);
  if (view.state.mode === "edition" && !m) { view.page = null; showFlatplan(); }
  else { view.page = m ? parseInt(m[1], 10) : (view.state.pages[0] || {}).page || 1; showPage(); }
  setStatus();
}

// -- the flatplan ------------------------------------------------------------------------
function showFlatplan() {
  $("viewer").hidden = true; $("panel").hidden = true; $("page-tools").hidden = true;
  const fp = $("flatplan"); fp.hidden = false; fp.textContent = "";
  if (view.state.error) {
    const e = document.createElement("pre"); e.textContent = view.state.error; e.id = "edition-errors"; fp.appendChild(e); return;
  }
  const pages = view.state.pages;
  const spreads = [];
  if (pages.length) spreads.push([pages[0]]);
  for (let i = 1; i < pages.length; i += 2) spreads.push(pages.slice(i, i + 2));
  for (const spread of spreads) {
    const div = document.createElement("div");
    div.className = "spread" + (spread.length === 1 && spread === spreads[0] ? " single" : "");
    for (const p of spread) div.appendChild(thumb(p));
    fp.appendChild(div);
  }
}

function thumb(p) {
  const t = document.createElement("div");
  t.className = "thumb"; t.dataset.page = p.page; t.dataset.state = view.state.building && !p.version ? "building" : pageState(p);
  t.title = p.file;
  if (p.version && p.width) {
    const img = document.createElement("img");
    img.src = `/page/${p.page}/v${p.version}/thumb.png`; img.alt = `page ${p.page}`;
    t.appendChild(img);
    const s = svg("svg", { viewBox: `0 0 ${p.width} ${p.height}`, preserveAspectRatio: "none" }, t);
    for (const b of p.ads || []) svg("rect", { x: b[0], y: b[1], width: b[2], height: b[3] }, s);
  } else {
    const f = document.createElement("div"); f.className = "failed"; f.textContent = p.ok === false ? "✕ refused" : "…"; t.appendChild(f);
  }
  const label = document.createElement("div"); label.className = "label";
  label.innerHTML = `<b>${p.page}</b> ${p.section || ""}`;
  if (p.ok === false) label.innerHTML += ` <span class="fit">refused</span>`;
  if (p.overset && p.overset.length) label.innerHTML += ` <span class="fit">overset ${p.overset.map((o) => "+" + o.lines).join(" ")}</span>`;
  t.appendChild(label);
  t.addEventListener("click", () => { location.hash = "page=" + p.page; });
  return t;
}

// -- a page ------------------------------------------------------------------------------
async function showPage() {
  $("flatplan").hidden = true; $("viewer").hidden = false; $("panel").hidden = false; $("page-tools").hidden = false;
  $("page-number").textContent = " p" + view.page + " ";
  $("pdf-link").href = `/page/${view.page}/pdf`;
  const r = await fetch(`/api/page/${view.page}`);
  if (!r.ok) { $("summary").textContent = "building…"; return; }
  const data = await r.json();
  view.data = data;
  drawErrors(data);
  if (data.width) { drawPage(data); drawOverlay(data); }
  $("summary").textContent = (data.summary || []).slice(1).map((l) => l.trim()).join("\n");
  if (view.selected) selectStory(view.selected, null, true);
  setStatus();
}

function drawErrors(data) {
  const box = $("errors");
  const lines = (data.diagnostics || []).map((d) => d.text);
  if (!data.ok && !lines.length && data.error) lines.push(data.error);
  box.hidden = data.ok !== false;
  box.textContent = lines.join("\n") + (data.width ? "\n(the last good build is shown below)" : "");
}

function scale(data) {
  if (view.zoom === "fit") return Math.max(0.2, ($("viewer").clientWidth - 40) / data.width);
  return parseFloat(view.zoom) * 96 / 72;
}

function drawPage(data) {
  const z = scale(data);
  const page = $("page");
  page.style.width = data.width * z + "px"; page.style.height = data.height * z + "px";
  const want = z * (window.devicePixelRatio || 1);
  const level = data.levels.find((l) => l >= want) || data.levels[data.levels.length - 1];
  const key = `${data.version}@${level}@${z}`;
  if (page.dataset.key === key) return;
  page.dataset.key = key;
  const per = data.tile / level;  // points per tile
  const layer = document.createElement("div"); layer.className = "layer";
  const cols = Math.ceil(data.width / per), rows = Math.ceil(data.height / per);
  let pending = cols * rows;
  const tiles = $("tiles");
  const swap = () => {
    if (!layer.parentNode) { tiles.textContent = ""; tiles.appendChild(layer); }
    view.shownVersion = data.version;
    document.body.dataset.version = data.version;
  };
  for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) {
    const img = document.createElement("img");
    img.style.left = x * per * z + "px"; img.style.top = y * per * z + "px";
    img.onload = () => { img.style.width = img.naturalWidth / level * z + "px"; if (--pending === 0) swap(); };
    img.onerror = () => { if (--pending === 0) swap(); };
    img.src = `/page/${view.page}/v${data.version}/tile/${level}/${x}/${y}.png`;
    img.alt = "";
    layer.appendChild(img);
  }
  setTimeout(swap, 1500);  // never wait on a slow tile for long
}

function drawOverlay(data) {
  const o = $("overlay");
  o.textContent = "";
  o.setAttribute("viewBox", `0 0 ${data.width} ${data.height}`);
  o.setAttribute("preserveAspectRatio", "none");
  const g = data.guides;
  const cols = svg("g", { id: "columns" }, o);
  for (const c of g.columns) svg("rect", { class: "column", x: c[0], y: c[1], width: c[2], height: c[3] }, cols);
  const base = svg("g", { id: "baselines" }, o);
  if (g.area) for (const y of g.baselines) svg("line", { class: "baseline", x1: g.area[0], x2: g.area[0] + g.area[2], y1: y, y2: y }, base);
  const mods = svg("g", { id: "modules" }, o);
  for (const m of g.modules) {
    const cls = "module" + (m.photo ? " photo" : "");
    if (m.points) svg("polygon", { class: cls, points: m.points.map((p) => p.join(",")).join(" ") }, mods);
    else svg("rect", { class: cls, x: m.box[0], y: m.box[1], width: m.box[2], height: m.box[3] }, mods);
  }
  const photos = svg("g", { id: "photos" }, o);
  for (const im of data.images) {
    const b = im.box;
    svg("rect", { class: "photo-frame " + (im.low ? "low" : "good"), x: b[0], y: b[1], width: b[2], height: b[3],
                  "data-file": im.file }, photos);
    if (im.low) badge(photos, b[0] + 4, b[1] + 4, `${im.ppi} ppi: low resolution`, "low", false);
  }
  const stories = svg("g", { id: "stories" }, o);
  for (const s of data.stories) {
    const b = s.box;
    const el = s.points
      ? svg("polygon", { points: s.points.map((p) => p.join(",")).join(" ") }, stories)
      : svg("rect", { x: b[0], y: b[1], width: b[2], height: b[3] }, stories);
    el.setAttribute("class", "story"); el.dataset.story = s.id; el.dataset.kind = s.kind;
    el.addEventListener("click", (ev) => selectStory(s.id, ev));
  }
  const badges = svg("g", { id: "badges" }, o);
  for (const s of data.stories) {
    let x = s.box[0] + s.box[2] - 4, y = s.box[1] + 4;
    for (const bd of s.badges) { const h = badge(badges, x, y, bd.text, bd.kind + " fit", true, s.id); y += h + 3; }
  }
}

function badge(parent, x, y, text, cls, right, story) {
  const g = svg("g", { class: "badge " + cls }, parent);
  if (story) g.dataset.story = story;
  const w = text.length * 6.2 + 10, h = 17, x0 = right ? x - w : x;
  svg("rect", { x: x0, y: y, width: w, height: h }, g);
  svg("text", { x: x0 + 5, y: y + 12.5 }, g).textContent = text;
  return h;
}

function pointIn(ev) {
  const o = $("overlay");
  const r = o.getBoundingClientRect();
  return [(ev.clientX - r.left) / r.width * view.data.width, (ev.clientY - r.top) / r.height * view.data.height];
}

function selectStory(id, ev, keep) {
  const data = view.data;
  const s = data && data.stories.find((q) => q.id === id);
  document.querySelectorAll("#overlay .story.selected").forEach((e) => e.classList.remove("selected"));
  if (!s) { $("story").hidden = true; $("panel-empty").hidden = false; return; }
  view.selected = id;
  document.querySelectorAll(`#overlay .story[data-story="${CSS.escape(id)}"]`).forEach((e) => e.classList.add("selected"));
  $("panel-empty").hidden = true; $("story").hidden = false;
  $("story-title").textContent = (s.kind === "ad" ? "ad " : "article ") + s.id;
  const ul = $("story-findings"); ul.textContent = "";
  if (!s.findings.length) { const li = document.createElement("li"); li.textContent = "no findings"; ul.appendChild(li); }
  for (const f of s.findings) {
    const li = document.createElement("li"); li.className = f.severity; li.dataset.kind = f.kind;
    li.textContent = f.text + (f.line ? ` (line ${f.line})` : "");
    ul.appendChild(li);
  }
  let place = s.where, what = "the story starts";
  const old = document.querySelector("#overlay .clicked"); if (old) old.remove();
  if (ev) {  // the line of text under the click, if any: its own place in content.yaml
    const [x, y] = pointIn(ev);
    let hit = null, best = 8;  // the nearest line of the story's text, within 8 pt (lines have gaps between them)
    for (const t of data.texts) {
      if (t[4] !== id || !t[5]) continue;
      const dx = Math.max(t[0] - x, 0, x - t[0] - t[2]), dy = Math.max(t[1] - y, 0, y - t[1] - t[3]);
      const d = Math.hypot(dx, dy);
      if (d <= best) { best = d; hit = t; }
    }
    if (hit) {
      place = { line: hit[5], column: hit[6] }; what = "the clicked line's text is";
      svg("rect", { class: "clicked", x: hit[0], y: hit[1], width: hit[2], height: hit[3] }, $("overlay"));
    }
    view.clicked = place;
  } else if (keep && view.clicked) { place = view.clicked; what = "the clicked line's text is"; }
  sourceLinks(place, what);
}

function sourceLinks(place, what) {
  const box = $("story-source"); box.textContent = "";
  const data = view.data;
  if (!place || !place.line) return;
  const file = data.content;
  const p = document.createElement("div");
  p.className = "where"; p.textContent = `${what} at ${file.split("/").pop()}:${place.line}:${place.column}`;
  box.appendChild(p);
  const a = document.createElement("a");
  a.className = "button"; a.id = "open-vscode"; a.textContent = "Open in VS Code";
  a.href = `vscode://file${file.startsWith("/") ? "" : "/"}${file}:${place.line}:${place.column}`;
  box.appendChild(a);
  if (data.editor && data.editor.available) {
    const b = document.createElement("button"); b.id = "open-editor"; b.textContent = "Open in $EDITOR (" + data.editor.name + ")";
    b.addEventListener("click", async () => {
      const r = await fetch("/api/open", { method: "POST", headers: { "content-type": "application/json" },
                                            body: JSON.stringify({ file, line: place.line, column: place.column }) });
      b.textContent = r.ok ? "opened" : "could not open: " + (await r.json()).error;
    });
    box.appendChild(b);
  }
  const code = document.createElement("code");
  const cmd = data.editor && data.editor.available ? (data.stories.find((s) => s.id === view.selected) || {}).links : null;
  code.textContent = cmd && cmd.command && place === (data.stories.find((s) => s.id === view.selected) || {}).where
    ? cmd.command : `\${EDITOR:-vi} +${place.line} '${file}'`;
  box.appendChild(code);
}

// -- events ------------------------------------------------------------------------------
function listen() {
  const es = new EventSource("/events");
  // (the state on connecting: builds that finished between loading the page and this
  // connection sent their events to no one, so draw what the state says now)
  es.addEventListener("hello", (e) => {
    view.state = JSON.parse(e.data); setStatus(); refreshFlatplan();
    const p = view.page && view.state.pages.find((q) => q.page === view.page);
    if (p && (view.shownVersion || 0) < (p.version || 0)) showPage();
  });
  es.addEventListener("building", () => { if (view.state) { view.state.building = true; setStatus(); refreshFlatplan(); } });
  es.addEventListener("page", (e) => {
    const ev = JSON.parse(e.data);
    if (view.state) {
      const p = view.state.pages.find((q) => q.page === ev.page);
      if (p) Object.assign(p, ev);
    }
    if (view.page === ev.page) showPage();
    setStatus();
  });
  es.addEventListener("built", (e) => {
    const ev = JSON.parse(e.data);
    view.state = ev.state; setStatus();
    if (view.page && ev.pages.includes(view.page) && view.shownVersion < ((view.state.pages.find((q) => q.page === view.page) || {}).version || 0)) showPage();
    refreshFlatplan();
  });
}

function refreshFlatplan() { if (view.state && view.state.mode === "edition" && !view.page) showFlatplan(); }

// -- controls ----------------------------------------------------------------------------
for (const name of ["modules", "columns", "baselines", "badges", "photos"]) {
  const box = $("show-" + name);
  const apply = () => document.body.classList.toggle("hide-" + name, !box.checked);
  box.addEventListener("change", apply); apply();
}
$("zoom").addEventListener("change", (e) => { view.zoom = e.target.value; if (view.data && view.data.width) drawPage(view.data); });
window.addEventListener("resize", () => { if (view.zoom === "fit" && view.data && view.data.width) drawPage(view.data); });
window.addEventListener("hashchange", route);
$("flatplan-button").addEventListener("click", () => { location.hash = ""; });
function step(d) {
  const pages = view.state.pages.map((p) => p.page);
  const i = pages.indexOf(view.page);
  if (i >= 0 && pages[i + d] !== undefined) location.hash = "page=" + pages[i + d];
}
$("prev").addEventListener("click", () => step(-1));
$("next").addEventListener("click", () => step(1));

loadState().then(listen);
