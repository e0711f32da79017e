"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("report-data").textContent);
  let PACKED = null;  // per-document detail: parsed on first use, not at load
  const LABEL_LIMIT = 300;
  const PAGE = 100;
  const CLASSES = ["wire-copy", "wholly-derived", "partially-derived", "original", "error"];
  const COLOURS = {"wire-copy": "#c0392b", "wholly-derived": "#8e44ad", "partially-derived": "#d68910",
                   "original": "#1e8449", "error": "#555", "reference": "#2471a3"};
  const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
  const state = {key: null, dir: 1, page: 0, rows: []};
  const cache = new Map();

  // Document text is only ever set through textContent; control and bidi characters are shown, not obeyed.
  function show(text) {
    return String(text == null ? "" : text).replace(CONTROL, c => "\u27e8U+" + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0") + "\u27e9");
  }
  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text != null) node.textContent = show(text);
    if (cls) node.className = cls;
    return node;
  }
  function klass(doc) { return doc.class || "error"; }
  function badge(name) { return el("span", name, "badge " + name); }
  function mainSource(doc) { return doc.sources.length ? doc.sources[0] : null; }
  function value(doc, key) {
    if (key === "main_source") { const m = mainSource(doc); return m ? m.id : ""; }
    if (key === "main_share") { const m = mainSource(doc); return m ? m.share : -1; }
    if (key === "class") return klass(doc);
    if (key === "originality") return doc.originality == null ? -1 : doc.originality;
    return doc[key];
  }

  function renderMeta() {
    const s = DATA.settings;
    document.getElementById("meta").textContent = show(
      DATA.documents.length + " documents, " + DATA.references.length + " references · provenance " + DATA.version +
      " · thresholds: wholly-derived ≥ " + s.wholly_derived_share + ", partially-derived ≥ " + s.partially_derived_share +
      ", wire copy ≥ " + s.wire_copy_share + ", reuse probability ≥ " + s.rewrite_probability);
    const counts = {};
    DATA.documents.forEach(d => { counts[klass(d)] = (counts[klass(d)] || 0) + 1; });
    const box = document.getElementById("counts");
    const select = document.getElementById("class-filter");
    CLASSES.filter(c => counts[c]).forEach(c => {
      box.appendChild(badge(c)); box.appendChild(document.createTextNode(" " + counts[c] + "  "));
      const option = el("option", c); option.value = c; select.appendChild(option);
    });
  }

  function filtered() {
    const needle = document.getElementById("filter").value.toLowerCase();
    const only = document.getElementById("class-filter").value;
    let rows = DATA.documents.filter(d => (!only || klass(d) === only) &&
      (!needle || d.id.toLowerCase().includes(needle) || d.sources.some(s => s.id.toLowerCase().includes(needle))));
    if (state.key) {
      rows = rows.slice().sort((a, b) => {
        const x = value(a, state.key), y = value(b, state.key);
        return (x < y ? -1 : x > y ? 1 : 0) * state.dir || (a.id < b.id ? -1 : 1);
      });
    }
    return rows;
  }

  function renderTable() {
    state.rows = filtered();
    const pages = Math.max(1, Math.ceil(state.rows.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    const body = document.querySelector("#documents tbody");
    body.replaceChildren();
    state.rows.slice(state.page * PAGE, (state.page + 1) * PAGE).forEach(d => {
      const tr = el("tr", null, "row");
      tr.dataset.id = d.id;
      const m = mainSource(d);
      tr.appendChild(el("td", d.id));
      const c = el("td"); c.appendChild(badge(klass(d))); tr.appendChild(c);
      tr.appendChild(el("td", d.originality == null ? "" : d.originality.toFixed(2), "num"));
      tr.appendChild(el("td", m ? m.id : (d.error || "-")));
      tr.appendChild(el("td", m ? m.share.toFixed(2) : "-", "num"));
      tr.appendChild(el("td", d.removed_blocks, "num"));
      tr.addEventListener("click", () => openDocument(d.id));
      body.appendChild(tr);
    });
    document.getElementById("page").textContent = (state.page + 1) + " / " + pages;
  }

  function bindTable() {
    document.querySelectorAll("#documents th").forEach(th => th.addEventListener("click", () => {
      const key = th.dataset.key;
      state.dir = state.key === key ? -state.dir : 1;
      state.key = key;
      document.querySelectorAll("#documents th").forEach(h => h.classList.remove("asc", "desc"));
      th.classList.add(state.dir > 0 ? "asc" : "desc");
      renderTable();
    }));
    document.getElementById("filter").addEventListener("input", () => { state.page = 0; renderTable(); });
    document.getElementById("class-filter").addEventListener("change", () => { state.page = 0; renderTable(); });
    document.getElementById("prev").addEventListener("click", () => { state.page = Math.max(0, state.page - 1); renderTable(); });
    document.getElementById("next").addEventListener("click", () => { state.page += 1; renderTable(); });
  }

  function svg(tag, attrs) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    return node;
  }

  function renderGraph() {
    const graph = document.getElementById("graph");
    const byId = new Map(DATA.documents.map(d => [d.id, d]));
    const legend = document.getElementById("legend");
    Object.entries(COLOURS).forEach(([name, colour]) => {
      const dot = el("span", "● " + name); dot.style.color = colour; legend.appendChild(dot);
    });
    const defs = svg("defs");
    const marker = svg("marker", {id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5", markerUnits: "userSpaceOnUse",
                                  markerWidth: "12", markerHeight: "12", orient: "auto"});
    marker.appendChild(svg("path", {d: "M 0 0 L 10 5 L 0 10 z", fill: "#777"}));
    defs.appendChild(marker); graph.appendChild(defs);
    const at = id => { const p = DATA.layout[id]; return [40 + p[0] * 920, 30 + p[1] * 580]; };
    DATA.edges.forEach(e => {
      const [x1, y1] = at(e.source), [tx, ty] = at(e.target);
      const length = Math.hypot(tx - x1, ty - y1) || 1;  // stop the arrow at the target's rim
      const x2 = tx - (tx - x1) * 11 / length, y2 = ty - (ty - y1) * 11 / length;
      const line = svg("line", {x1, y1, x2, y2, stroke: "#999", "stroke-width": String(1 + 5 * e.share), "marker-end": "url(#arrow)"});
      line.classList.add("edge");
      line.dataset.source = e.source; line.dataset.target = e.target;
      const title = svg("title"); title.textContent = show(e.source + " → " + e.target + ": " + e.share.toFixed(2));
      line.appendChild(title); graph.appendChild(line);
    });
    const nodes = Object.keys(DATA.layout).sort();
    nodes.forEach(id => {
      const [x, y] = at(id);
      const doc = byId.get(id);
      const colour = doc ? COLOURS[klass(doc)] : COLOURS.reference;
      const circle = svg("circle", {cx: x, cy: y, r: "9", fill: colour});
      circle.classList.add("node"); circle.dataset.id = id;
      const title = svg("title"); title.textContent = show(id); circle.appendChild(title);
      circle.addEventListener("click", () => openDocument(id));
      graph.appendChild(circle);
      if (nodes.length <= LABEL_LIMIT) {  // beyond that, names are in each node's tooltip
        const label = svg("text", {x: x + 12, y: y + 4}); label.textContent = show(id); graph.appendChild(label);
      }
    });
    if (!DATA.edges.length) graph.appendChild(svg("text", {x: 20, y: 30})).textContent = "No derivation found.";
  }

  async function details(id) {
    if (!cache.has(id)) {
      if (PACKED === null) PACKED = JSON.parse(document.getElementById("report-details").textContent);
      const packed = PACKED[id];
      if (!packed) return null;
      const bytes = Uint8Array.from(atob(packed), c => c.charCodeAt(0));
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      cache.set(id, JSON.parse(await new Response(stream).text()));
    }
    return cache.get(id);
  }

  function sentenceSpan(s, index, side) {
    const span = el("span", s.text + " ", "s-" + s.label);
    span.dataset.index = index; span.dataset.side = side;
    if (s.source) span.title = show(s.label + " from " + s.source + (s.similarity != null ? " (similarity " + s.similarity + ")" : ""));
    return span;
  }

  function renderText(doc) {
    const box = document.getElementById("doc-text");
    box.replaceChildren();
    doc.blocks.forEach(b => {
      if (b.content) {
        const p = el("p");
        if (b.trimmed) { const t = el("span", b.trimmed + " ", "junk"); t.title = "trimmed junk"; p.appendChild(t); }
        for (let i = b.sentences[0]; i < b.sentences[1]; i++) p.appendChild(sentenceSpan(doc.sentences[i], i, "text"));
        box.appendChild(p);
      } else {
        const d = el("details", null, "junk");
        d.appendChild(el("summary", "removed: " + (b.text.length > 60 ? b.text.slice(0, 60) + "…" : b.text)));
        d.appendChild(el("div", b.text + (b.p != null ? "   (content probability " + b.p + ")" : "")));
        box.appendChild(d);
      }
    });
  }

  function renderPane(pane, heading, sentences, side, partner) {
    pane.replaceChildren(el("h3", heading));
    const p = el("p");
    sentences.forEach((s, i) => {
      const span = sentenceSpan(side === "right" ? {text: s.text, label: partner.has(i) ? partner.get(i).kind : "original"} : s, i, side);
      if (partner.has(i)) span.classList.add("linked");
      p.appendChild(span);
    });
    pane.appendChild(p);
  }

  async function renderSideBySide(id, doc, derivation) {
    const source = await details(derivation.source);
    const left = document.getElementById("left"), right = document.getElementById("right");
    const toRight = new Map(), toLeft = new Map();
    derivation.matches.forEach(([a, b, kind]) => { toRight.set(a, {other: b, kind}); toLeft.set(b, {other: a, kind}); });
    renderPane(left, id, doc.sentences, "left", toRight);
    renderPane(right, derivation.source, source ? source.sentences : [], "right", toLeft);
    const jump = (from, map, target) => from.addEventListener("click", ev => {
      const span = ev.target.closest("span[data-index]");
      if (!span || !map.has(Number(span.dataset.index))) return;
      document.querySelectorAll("#side-by-side span.active").forEach(s => s.classList.remove("active"));
      const other = target.querySelector('span[data-index="' + map.get(Number(span.dataset.index)).other + '"]');
      span.classList.add("active");
      if (other) { other.classList.add("active"); target.scrollTop = other.offsetTop - target.offsetTop - 20; }
    });
    jump(left, toRight, right); jump(right, toLeft, left);
  }

  function renderEvidence(id, summary, doc) {
    const dl = document.getElementById("doc-evidence");
    dl.replaceChildren();
    const row = (k, v) => { dl.appendChild(el("dt", k)); dl.appendChild(el("dd", v)); };
    if (summary) {
      row("class", summary.class || "error");
      row("originality", summary.originality == null ? "-" : summary.originality.toFixed(3));
      row("derived share", String(summary.derived_share));
      row("sources", summary.sources.map(s => s.id + " (" + s.share.toFixed(2) + ")").join(", ") || "none");
      if (summary.error) row("error", summary.error);
    } else {
      row("role", "reference (a source by definition, not scored)");
    }
    row("wire dateline", doc.evidence.dateline || "none");
    row("credit lines", doc.evidence.credit_lines.join(" | ") || "none");
    const s = DATA.settings;
    row("thresholds", "wholly ≥ " + s.wholly_derived_share + ", partially ≥ " + s.partially_derived_share + ", verbatim ≥ " +
        s.verbatim_similarity + ", rewritten ≥ " + s.rewrite_probability + " (alone ≥ " + s.anchor_probability + "), passages ≥ " + s.min_passage_tokens + " tokens");
  }

  async function openDocument(id) {
    const doc = await details(id);
    if (!doc) return;
    const summary = DATA.documents.find(d => d.id === id);
    document.getElementById("document").hidden = false;
    document.getElementById("doc-title").textContent = show(id);
    renderEvidence(id, summary, doc);
    const tabs = document.getElementById("doc-tabs");
    tabs.replaceChildren();
    const views = [["text", null]].concat(doc.derivations.map(d => ["vs " + d.source + " (" + d.share.toFixed(2) + ")", d]));
    views.forEach(([name, derivation], k) => {
      const button = el("button", name); button.type = "button";
      button.addEventListener("click", async () => {
        tabs.querySelectorAll("button").forEach(b => b.classList.remove("on")); button.classList.add("on");
        document.getElementById("doc-text").hidden = derivation !== null;
        document.getElementById("side-by-side").hidden = derivation === null;
        if (derivation) await renderSideBySide(id, doc, derivation);
      });
      tabs.appendChild(button);
      if (k === 0) button.classList.add("on");
    });
    renderText(doc);
    document.getElementById("doc-text").hidden = false;
    document.getElementById("side-by-side").hidden = true;
    document.getElementById("document").scrollIntoView();
    window.provenanceOpened = id;
  }

  renderMeta();
  bindTable();
  renderTable();
  renderGraph();
  window.provenanceReport = {openDocument};
  document.body.dataset.ready = "1";
})();
