// kg graph page. Every name, alias and sentence is untrusted text: it only ever reaches the
// page through textContent (never innerHTML), and vis-network is given no `title` strings.

// pyvis's page globals: scripts and tests use them.
var network;
var nodes;
var edges;
var container;
var options;
var data;

(function () {
  "use strict";

  var KG = JSON.parse(document.getElementById("kg-data").textContent);
  var meta = KG.meta;
  var lang = "en";

  // ------------------------------------------------------------------ DOM helpers
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  function $(id) { return document.getElementById(id); }
  function splitList(s, sep) {
    if (!s) return [];
    return String(s).split(sep).map(function (x) { return x.trim(); })
      .filter(function (x) { return x.length > 0; });
  }
  function ev(s) { return splitList(s, " | "); }
  function aliasesOf(n) { return splitList(n.aliases, "|"); }
  function docsOf(e) {
    var d = splitList(e.docs, "|");
    if (!d.length && e.doc) d = [e.doc];
    return d;
  }

  // ------------------------------------------------------------------ data
  var byId = {};
  KG.nodes.forEach(function (n) { byId[n.id] = n; });
  var edgeById = {};
  var incident = {};
  KG.edges.forEach(function (e) {
    edgeById[e.id] = e;
    (incident[e.from] = incident[e.from] || []).push(e);
    if (e.to !== e.from) (incident[e.to] = incident[e.to] || []).push(e);
  });
  var typeColor = {};
  meta.types.forEach(function (t) { typeColor[t.type] = t.color; });

  function labelFor(n, which) {
    var l = which || lang;
    var name = l === "zh" ? n.name_zh : n.name_en;
    return name || n.kg_label || n.id;
  }
  function nameOf(id) { var n = byId[id]; return n ? labelFor(n) : id; }

  // ------------------------------------------------------------------ layout
  // vis-network's physics costs tens of milliseconds per step on a graph of thousands of
  // nodes, so big graphs are laid out here first and vis-network only draws them, with
  // physics off. The forces are ForceAtlas2's (repulsion by (degree+1) products, linear
  // springs, gravity by degree+1); the nodes start on a spiral by degree (hubs in the
  // middle) and move a bounded, cooling number of steps. No randomness: same graph, same
  // picture.
  function layoutGraph(items, links, spec) {
    var n = items.length;
    var pos = {};
    for (var q = 0; q < n; q++) pos[items[q].id] = q;
    var mass = new Float64Array(n);
    var src = [], dst = [];
    for (var q2 = 0; q2 < n; q2++) mass[q2] = 1;
    links.forEach(function (e) {
      var a = pos[e.from], b = pos[e.to];
      if (a === undefined || b === undefined || a === b) return;
      src.push(a); dst.push(b); mass[a] += 1; mass[b] += 1;
    });
    var m = src.length;
    var k = spec.distance;
    var kr = (k / 2) * (k / 2);  // two leaves joined by an edge rest k apart
    var total = 0;
    for (var q3 = 0; q3 < n; q3++) total += mass[q3];
    var kg = spec.gravity * kr * total / (k * Math.sqrt(n));
    var x = new Float64Array(n), y = new Float64Array(n);
    var fx = new Float64Array(n), fy = new Float64Array(n);
    var order = [];
    for (var i0 = 0; i0 < n; i0++) order.push(i0);
    order.sort(function (a, b) { return mass[b] - mass[a] || a - b; });
    for (var r = 0; r < n; r++) {  // phyllotaxis spiral
      var rad = k * 0.8 * Math.sqrt(r + 0.5), th = r * 2.399963229728653;
      x[order[r]] = rad * Math.cos(th);
      y[order[r]] = rad * Math.sin(th);
    }
    var pairs = Math.max(1, n * (n - 1) / 2);
    var steps = Math.max(spec.minSteps, Math.min(spec.maxSteps, Math.floor(spec.budget / pairs)));
    var t0 = k * spec.startMove;
    for (var it = 0; it < steps; it++) {
      fx.fill(0); fy.fill(0);
      for (var i = 0; i < n; i++) {
        var xi = x[i], yi = y[i], mi = mass[i] * kr, ax = 0, ay = 0;
        for (var j = i + 1; j < n; j++) {
          var dx = xi - x[j], dy = yi - y[j], d2 = dx * dx + dy * dy;
          if (d2 < 0.01) { dx = 0.1 * ((i * 7 + j * 13) % 5 - 2) + 0.05; dy = 0.1; d2 = dx * dx + dy * dy; }
          var f = mi * mass[j] / d2;
          ax += dx * f; ay += dy * f;
          fx[j] -= dx * f; fy[j] -= dy * f;
        }
        fx[i] += ax; fy[i] += ay;
      }
      for (var e = 0; e < m; e++) {
        var a = src[e], b = dst[e];
        var ex = x[a] - x[b], ey = y[a] - y[b];
        fx[a] -= ex; fy[a] -= ey;
        fx[b] += ex; fy[b] += ey;
      }
      var temp = t0 * (1 - it / steps) + 0.5;
      for (var v = 0; v < n; v++) {
        var d = Math.sqrt(x[v] * x[v] + y[v] * y[v]);
        var gx = fx[v], gy = fy[v];
        if (d > 0) { gx -= kg * mass[v] * x[v] / d; gy -= kg * mass[v] * y[v] / d; }
        gx /= mass[v]; gy /= mass[v];
        var len = Math.sqrt(gx * gx + gy * gy);
        if (len > 0) {
          var s = Math.min(len, temp) / len;
          x[v] += gx * s; y[v] += gy * s;
        }
      }
    }
    for (var w = 0; w < n; w++) {
      items[w].x = Math.round(x[w] * 10) / 10;
      items[w].y = Math.round(y[w] * 10) / 10;
    }
    return steps;
  }

  // ------------------------------------------------------------------ network
  window.kgSettled = false;
  window.kgSettleMs = null;
  window.kgLayoutSteps = null;
  if (KG.layout && KG.layout.kind === "kg" && KG.nodes.length) {
    window.kgLayoutSteps = layoutGraph(KG.nodes, KG.edges, KG.layout);
  }

  container = $("mynetwork");
  nodes = new vis.DataSet(KG.nodes);
  edges = new vis.DataSet(KG.edges);
  data = { nodes: nodes, edges: edges };
  options = KG.options;
  network = new vis.Network(container, data, options);

  function settled() {
    if (window.kgSettled) return;
    network.setOptions({ physics: { enabled: false } });
    window.kgSettleMs = (window.performance && performance.now) ? performance.now() : null;
    window.kgSettled = true;
    document.body.classList.add("kg-settled");
    document.body.setAttribute("data-settled", "true");
  }
  network.on("stabilizationProgress", function (p) {
    var pct = p.total ? Math.round(100 * p.iterations / p.total) : 0;
    $("kg-progress").textContent = "Laying out the graph… " + pct + "%";
  });
  if (options.physics && options.physics.enabled === false) {
    network.once("afterDrawing", settled);
    network.redraw();
  } else {
    network.once("stabilizationIterationsDone", settled);
    network.once("stabilized", settled);
  }
  if (!KG.nodes.length) {
    $("kg-empty").hidden = false;
    settled();
  }

  // ------------------------------------------------------------------ tooltip
  var tip = $("kg-tooltip");
  function placeTip(evt) {
    var x = 0, y = 0;
    var src = evt && (evt.srcEvent || evt);
    if (src && typeof src.clientX === "number") { x = src.clientX; y = src.clientY; }
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = x + 14, top = y + 14;
    if (left + w > window.innerWidth - 8) left = Math.max(8, x - w - 14);
    if (top + h > window.innerHeight - 8) top = Math.max(8, y - h - 14);
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }
  function showTip(build, params) {
    clear(tip);
    build(tip);
    tip.hidden = false;
    placeTip(params && params.event);
  }
  function hideTip() { tip.hidden = true; clear(tip); }
  function nodeTip(id) {
    return function (box) {
      var n = byId[id];
      if (!n) return;
      box.appendChild(el("div", "kg-tt-title", labelFor(n)));
      box.appendChild(el("div", "kg-tt-line", n.type + " · " + n.mentions + " mention" +
        (n.mentions === 1 ? "" : "s")));
      var al = aliasesOf(n);
      if (al.length) box.appendChild(el("div", "kg-tt-line", "Aliases: " + al.join(", ")));
    };
  }
  function edgeTip(id) {
    return function (box) {
      var e = edgeById[id];
      if (!e) return;
      box.appendChild(el("div", "kg-tt-title", nameOf(e.from) + (e.symmetric ? " — " : " → ") +
        (e.kg_label || e.relation) + (e.symmetric ? " — " : " → ") + nameOf(e.to)));
      var sentences = ev(e.evidence);
      sentences.slice(0, 3).forEach(function (s) {
        box.appendChild(el("div", "kg-tt-ev", s.length > 240 ? s.slice(0, 237) + "…" : s));
      });
      if (sentences.length > 3) {
        box.appendChild(el("div", "kg-tt-line", "+" + (sentences.length - 3) + " more (click)"));
      }
    };
  }
  network.on("hoverNode", function (p) { showTip(nodeTip(p.node), p); });
  network.on("hoverEdge", function (p) { showTip(edgeTip(p.edge), p); });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);
  container.addEventListener("mousemove", function (evt) { if (!tip.hidden) placeTip(evt); });
  container.addEventListener("mouseleave", hideTip);

  // ------------------------------------------------------------------ side panel
  var panel = $("kg-panel");
  var panelBody = $("kg-panel-body");
  var current = null;  // {kind: "node"|"edge", id}

  function badge(type) {
    var b = el("span", "kg-badge", type);
    b.style.backgroundColor = typeColor[type] || "#8c8c8c";
    return b;
  }
  function nodeLink(id) {
    var b = el("button", "kg-node-link", nameOf(id));
    b.type = "button";
    b.addEventListener("click", function () { selectNode(id); });
    return b;
  }
  function fact(dl, key, value) {
    if (value === "" || value === null || value === undefined) return;
    dl.appendChild(el("dt", null, key));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    dl.appendChild(dd);
  }
  function relationCard(e, selfId) {
    var card = el("div", "kg-rel");
    card.setAttribute("data-edge", e.id);
    var head = el("div", "kg-rel-head");
    var arrow = e.symmetric ? "—" : "→";
    head.appendChild(e.from === selfId ? el("span", "kg-self", nameOf(e.from)) : nodeLink(e.from));
    head.appendChild(el("span", null, arrow));
    head.appendChild(el("span", "kg-rel-name", e.kg_label || e.relation));
    head.appendChild(el("span", null, arrow));
    head.appendChild(e.to === selfId ? el("span", "kg-self", nameOf(e.to)) : nodeLink(e.to));
    card.appendChild(head);
    var bits = [e.relation];
    if (e.qualifier) bits.push("qualifier: " + e.qualifier);
    if (e.certainty) bits.push(e.certainty);
    bits.push("confidence " + Number(e.confidence).toFixed(2));
    bits.push(e.weight + " mention" + (e.weight === 1 ? "" : "s"));
    if (e.rule) bits.push("rule " + e.rule);
    Object.keys(e.extra || {}).forEach(function (key) { bits.push(key + ": " + e.extra[key]); });
    card.appendChild(el("div", "kg-rel-meta", bits.join(" · ")));
    var list = el("ul", "kg-evidence");
    ev(e.evidence).forEach(function (s) { list.appendChild(el("li", null, s)); });
    if (list.firstChild) card.appendChild(list);
    var docs = docsOf(e);
    if (docs.length) {
      var d = el("div", "kg-docs", docs.length === 1 ? "Document: " : "Documents: ");
      docs.forEach(function (x, i) {
        if (i) d.appendChild(document.createTextNode(", "));
        d.appendChild(el("code", null, x));
      });
      if (e.doc && docs.length > 1) d.appendChild(document.createTextNode(" (first evidence in " + e.doc + ", chars " + e.start + "–" + e.end + ")"));
      else if (e.doc) d.appendChild(document.createTextNode(" (chars " + e.start + "–" + e.end + ")"));
      card.appendChild(d);
    }
    return card;
  }
  function openPanel() { panel.hidden = false; }
  function closePanel() {
    panel.hidden = true;
    current = null;
    clear(panelBody);
  }
  function showNode(id) {
    var n = byId[id];
    if (!n) return;
    current = { kind: "node", id: id };
    clear(panelBody);
    panelBody.appendChild(el("h2", null, labelFor(n)));
    var sub = el("div", "kg-sub");
    sub.appendChild(badge(n.type));
    var other = labelFor(n, lang === "zh" ? "en" : "zh");
    if (other !== labelFor(n)) sub.appendChild(document.createTextNode("  " + other));
    panelBody.appendChild(sub);
    var dl = el("dl", "kg-facts");
    fact(dl, "中文", n.name_zh);
    fact(dl, "English", n.name_en);
    var al = aliasesOf(n);
    if (al.length) {
      var chips = el("div", "kg-chips");
      al.forEach(function (a) { chips.appendChild(el("span", "kg-chip", a)); });
      fact(dl, "Aliases", chips);
    }
    fact(dl, "Mentions", n.mentions);
    fact(dl, "Wikidata", n.wikidata);
    fact(dl, "Found by", n.source);
    fact(dl, "Id", n.id);
    Object.keys(n.extra || {}).forEach(function (key) { fact(dl, key, n.extra[key]); });
    panelBody.appendChild(dl);
    var rels = (incident[id] || []).slice();
    rels.sort(function (a, b) {
      var ka = (a.from === id ? "0" : "1") + (a.kg_label || a.relation) + nameOf(a.from === id ? a.to : a.from);
      var kb = (b.from === id ? "0" : "1") + (b.kg_label || b.relation) + nameOf(b.from === id ? b.to : b.from);
      return ka < kb ? -1 : ka > kb ? 1 : (a.id < b.id ? -1 : 1);
    });
    panelBody.appendChild(el("h3", null, "Relations (" + rels.length + ")"));
    if (!rels.length) panelBody.appendChild(el("div", "kg-muted", "No relation shown."));
    rels.forEach(function (e) { panelBody.appendChild(relationCard(e, id)); });
    openPanel();
  }
  function showEdge(id) {
    var e = edgeById[id];
    if (!e) return;
    current = { kind: "edge", id: id };
    clear(panelBody);
    panelBody.appendChild(el("h2", null, e.kg_label || e.relation));
    var sub = el("div", "kg-sub", e.symmetric ? "symmetric relation" : "directed relation");
    panelBody.appendChild(sub);
    panelBody.appendChild(el("h3", null, "Evidence"));
    panelBody.appendChild(relationCard(e, null));
    openPanel();
  }
  function refreshPanel() {
    if (!current) return;
    if (current.kind === "node") showNode(current.id); else showEdge(current.id);
  }
  $("kg-panel-close").addEventListener("click", function () {
    closePanel();
    network.unselectAll();
  });
  network.on("click", function (p) {
    hideTip();
    if (p.nodes && p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges && p.edges.length) showEdge(p.edges[0]);
    else closePanel();
  });

  // ------------------------------------------------------------------ filters
  var typeOn = {};
  var relOn = {};
  meta.types.forEach(function (t) { typeOn[t.type] = true; });
  meta.relations.forEach(function (r) { relOn[r.relation] = true; });
  var nodeHidden = {};
  var edgeHidden = {};

  function applyFilters() {
    var nUpd = [], eUpd = [];
    KG.nodes.forEach(function (n) {
      var h = !typeOn[n.type];
      if (!!nodeHidden[n.id] !== h) { nodeHidden[n.id] = h; nUpd.push({ id: n.id, hidden: h }); }
    });
    KG.edges.forEach(function (e) {
      var h = !relOn[e.relation] || !!nodeHidden[e.from] || !!nodeHidden[e.to];
      if (!!edgeHidden[e.id] !== h) { edgeHidden[e.id] = h; eUpd.push({ id: e.id, hidden: h }); }
    });
    if (nUpd.length) nodes.update(nUpd);
    if (eUpd.length) edges.update(eUpd);
  }
  function checkRow(list, swatchColor, name, count, checked, onChange, title) {
    var li = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); });
    label.appendChild(box);
    if (swatchColor) {
      var sw = el("span", "kg-swatch");
      sw.style.backgroundColor = swatchColor;
      label.appendChild(sw);
    }
    label.appendChild(el("span", "kg-name", name));
    label.appendChild(el("span", "kg-count", count));
    if (title) label.title = title;
    li.appendChild(label);
    list.appendChild(li);
    return box;
  }
  var typeBoxes = {};
  meta.types.forEach(function (t) {
    typeBoxes[t.type] = checkRow($("kg-types"), t.color, t.type, t.count, true, function (on) {
      typeOn[t.type] = on;
      applyFilters();
    });
    typeBoxes[t.type].setAttribute("data-type", t.type);
  });
  var relBoxes = {};
  meta.relations.forEach(function (r) {
    relBoxes[r.relation] = checkRow($("kg-relations"), null, r.label, r.count, true, function (on) {
      relOn[r.relation] = on;
      applyFilters();
    }, r.relation);
    relBoxes[r.relation].setAttribute("data-relation", r.relation);
  });
  function setAllRelations(on) {
    Object.keys(relBoxes).forEach(function (k) { relBoxes[k].checked = on; relOn[k] = on; });
    applyFilters();
  }
  $("kg-rel-all").addEventListener("click", function () { setAllRelations(true); });
  $("kg-rel-none").addEventListener("click", function () { setAllRelations(false); });

  // ------------------------------------------------------------------ language
  function setLanguage(l) {
    lang = l === "zh" ? "zh" : "en";
    document.documentElement.lang = lang === "zh" ? "zh-Hans" : "en";
    $("kg-lang-en").setAttribute("aria-pressed", String(lang === "en"));
    $("kg-lang-zh").setAttribute("aria-pressed", String(lang === "zh"));
    nodes.update(KG.nodes.map(function (n) { return { id: n.id, label: labelFor(n) }; }));
    refreshPanel();
    renderResults();
  }
  $("kg-lang-en").addEventListener("click", function () { setLanguage("en"); });
  $("kg-lang-zh").addEventListener("click", function () { setLanguage("zh"); });

  // ------------------------------------------------------------------ search
  function norm(s) {
    s = String(s || "");
    if (s.normalize) s = s.normalize("NFKC");
    return s.toLowerCase().replace(/[\s\-_·・.]+/g, "");
  }
  var index = KG.nodes.map(function (n) {
    var forms = [n.kg_label, n.name_zh, n.name_en, n.id].concat(aliasesOf(n));
    var seen = {};
    var terms = [];
    forms.forEach(function (f) {
      var k = norm(f);
      if (k && !seen[k]) { seen[k] = true; terms.push({ key: k, form: f }); }
    });
    return { id: n.id, mentions: n.mentions, terms: terms };
  });
  function search(q) {
    var nq = norm(q);
    if (!nq) return [];
    var hits = [];
    index.forEach(function (entry) {
      var best = null;
      entry.terms.forEach(function (t) {
        var score = t.key === nq ? 0 : t.key.indexOf(nq) === 0 ? 1 : t.key.indexOf(nq) > 0 ? 2 : -1;
        if (score >= 0 && (best === null || score < best.score)) best = { score: score, form: t.form };
      });
      if (best) hits.push({ id: entry.id, score: best.score, form: best.form, mentions: entry.mentions });
    });
    hits.sort(function (a, b) {
      return a.score - b.score || b.mentions - a.mentions || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    return hits;
  }
  var input = $("kg-search");
  var results = $("kg-results");
  var hits = [];
  var active = 0;
  function renderResults() {
    clear(results);
    if (!input.value.trim()) { results.hidden = true; return; }
    if (!hits.length) {
      results.appendChild(el("li", "kg-empty", "No entity matches."));
    }
    hits.slice(0, 30).forEach(function (h, i) {
      var n = byId[h.id];
      var li = el("li", i === active ? "kg-active" : null);
      var b = el("button");
      b.type = "button";
      var sw = el("span", "kg-swatch");
      sw.style.backgroundColor = n.color;
      b.appendChild(sw);
      b.appendChild(el("span", "kg-name", labelFor(n)));
      if (norm(h.form) !== norm(labelFor(n))) b.appendChild(el("span", "kg-match", h.form));
      b.addEventListener("mousedown", function (evt) { evt.preventDefault(); });
      b.addEventListener("click", function () { choose(h.id); });
      li.setAttribute("data-node", h.id);
      li.appendChild(b);
      results.appendChild(li);
    });
    results.hidden = false;
  }
  function choose(id) {
    results.hidden = true;
    selectNode(id);
  }
  input.addEventListener("input", function () {
    hits = search(input.value);
    active = 0;
    renderResults();
  });
  input.addEventListener("keydown", function (evt) {
    if (evt.key === "ArrowDown" || evt.key === "ArrowUp") {
      if (!hits.length) return;
      active = (active + (evt.key === "ArrowDown" ? 1 : -1) + Math.min(hits.length, 30)) % Math.min(hits.length, 30);
      renderResults();
      evt.preventDefault();
    } else if (evt.key === "Enter") {
      hits = search(input.value);
      if (hits.length) choose(hits[Math.min(active, hits.length - 1)].id);
      evt.preventDefault();
    } else if (evt.key === "Escape") {
      results.hidden = true;
    }
  });
  input.addEventListener("blur", function () { results.hidden = true; });
  input.addEventListener("focus", function () { if (input.value.trim()) renderResults(); });

  function selectNode(id) {
    var n = byId[id];
    if (!n) return false;
    if (!typeOn[n.type]) {  // a search result hidden by a filter: show its type again
      typeOn[n.type] = true;
      if (typeBoxes[n.type]) typeBoxes[n.type].checked = true;
      applyFilters();
    }
    network.selectNodes([id]);
    showNode(id);
    // centre the node in the part of the canvas the side panel leaves visible
    network.focus(id, {
      scale: Math.max(network.getScale(), 1.1),
      offset: { x: panel.hidden ? 0 : -panel.offsetWidth / 2, y: 0 },
      animation: { duration: 350 },
    });
    return true;
  }

  // ------------------------------------------------------------------ API for scripts
  window.kg = {
    meta: meta,
    search: function (q) { return search(q).map(function (h) { return h.id; }); },
    selectNode: selectNode,
    setLanguage: setLanguage,
    language: function () { return lang; },
    showEdge: showEdge,
    closePanel: closePanel,
  };
})();
