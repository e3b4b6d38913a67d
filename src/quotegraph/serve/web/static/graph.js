// Draws each <svg class="graph" data-src=...> from an API page of its heaviest edges: nodes relaxed by a
// small force simulation (repulsion, springs along edges, a pull to the centre), the drawing fitted
// to the box, names placed where they overlap no other name (a name with no room is left to the
// node's tooltip). Every node links to its speaker (or to the quotes naming it), every edge to its
// quotes; the table under the graph lists the same edges.
"use strict";
(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const W = 800, H = 500;

  function node(tag, attrs, parent) {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    if (parent) parent.append(el);
    return el;
  }

  function layout(nodes, edges) {
    const spread = 40 * Math.sqrt(nodes.length);
    nodes.forEach(function (n, i) {
      const angle = (2 * Math.PI * i) / nodes.length;
      n.x = W / 2 + spread * Math.cos(angle);
      n.y = H / 2 + spread * Math.sin(angle);
    });
    for (let step = 0; step < 300; step++) {
      const cool = 1 - step / 300;
      for (const a of nodes) {
        a.dx = (W / 2 - a.x) * 0.05;
        a.dy = (H / 2 - a.y) * 0.05;
        for (const b of nodes) {
          if (a === b) continue;
          const x = a.x - b.x, y = a.y - b.y, d2 = Math.max(x * x + y * y, 1);
          a.dx += (x / d2) * 1200;
          a.dy += (y / d2) * 1200;
        }
      }
      for (const e of edges) {
        const x = e.to.x - e.from.x, y = e.to.y - e.from.y;
        const d = Math.max(Math.hypot(x, y), 1), pull = (d - 90) * 0.03;
        e.from.dx += (x / d) * pull; e.from.dy += (y / d) * pull;
        e.to.dx -= (x / d) * pull; e.to.dy -= (y / d) * pull;
      }
      for (const n of nodes) {
        n.x += Math.max(-20, Math.min(20, n.dx)) * cool;
        n.y += Math.max(-20, Math.min(20, n.dy)) * cool;
      }
    }
  }

  function overlaps(a, b) {
    return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  }

  // Names of the heaviest nodes first, above, below, right or left of their node, where none overlaps.
  function placeLabels(svg, nodes) {
    const taken = nodes.map(function (n) { return { x: n.x - n.r, y: n.y - n.r, width: 2 * n.r, height: 2 * n.r, own: n }; });
    const sorted = nodes.slice().sort(function (a, b) { return b.weight - a.weight; });
    for (const n of sorted) {
      const text = node("text", { class: "label" }, n.link);
      text.textContent = n.name;
      const box = text.getBBox();
      const spots = [
        [n.x, n.y - n.r - 4, "middle"], [n.x, n.y + n.r + box.height - 2, "middle"],
        [n.x + n.r + 4, n.y + box.height / 3, "start"], [n.x - n.r - 4, n.y + box.height / 3, "end"],
      ];
      let placed = false;
      for (const [x, y, anchor] of spots) {
        const left = anchor === "middle" ? x - box.width / 2 : anchor === "start" ? x : x - box.width;
        const rect = { x: left, y: y - box.height + 3, width: box.width, height: box.height };
        if (!taken.some(function (t) { return t.own !== n && overlaps(rect, t); })) {
          text.setAttribute("x", x); text.setAttribute("y", y); text.setAttribute("text-anchor", anchor);
          taken.push(rect);
          placed = true;
          break;
        }
      }
      if (!placed) text.remove();
    }
  }

  // The box grows to hold the whole drawing (no node pushed against its edge), never below the
  // drawing's own scale, so a small graph is not blown up.
  function fit(svg) {
    const box = svg.getBBox(), pad = 12;
    const w = Math.max(box.width + 2 * pad, W), h = Math.max(box.height + 2 * pad, H * w / W / 1.6);
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
    svg.setAttribute("viewBox", [cx - w / 2, cy - h / 2, w, h].join(" "));
  }

  function edgeHref(svg, e) {
    const params = new URLSearchParams();
    if (svg.id === "relays") {
      if (e.to.known) params.set("speaker", e.to.name);
      if (e.from.known) params.set("relayed_by", e.from.name);
    } else {
      params.set("speaker", e.from.name);
      params.set("about", e.to.name);
    }
    for (const key of ["since", "until"]) if (svg.dataset[key]) params.set(key, svg.dataset[key]);
    return "/search?" + params;
  }

  function nodeHref(n) {
    if (!n.known) return "/search";
    return n.speaks ? "/speakers/" + encodeURIComponent(n.name) : "/search?about=" + encodeURIComponent(n.name);
  }

  function table(svg, edges) {
    const body = document.querySelector("#" + svg.id + "-table tbody");
    body.replaceChildren();
    for (const e of edges) {
      const row = document.createElement("tr");
      for (const n of [e.from, e.to]) {
        const cell = document.createElement("td");
        const a = document.createElement("a");
        a.href = nodeHref(n);
        a.textContent = n.name;
        cell.append(a);
        row.append(cell);
      }
      const cell = document.createElement("td");
      const a = document.createElement("a");
      a.href = edgeHref(svg, e);
      a.textContent = e.count;
      cell.append(a);
      row.append(cell);
      body.append(row);
    }
  }

  function draw(svg, page) {
    const byName = new Map();
    function get(name, speaks) {
      const key = name || "(unknown)";
      if (!byName.has(key)) byName.set(key, { name: key, known: name !== null, speaks: false, weight: 0 });
      const n = byName.get(key);
      n.speaks = n.speaks || (speaks && name !== null);
      return n;
    }
    const edges = page.items.map(function (item) {
      const e = { from: get(item[svg.dataset.from], true), to: get(item[svg.dataset.to], svg.id === "relays"), count: item.count };
      e.from.weight += e.count;
      e.to.weight += e.count;
      return e;
    });
    table(svg, edges);
    const nodes = Array.from(byName.values());
    if (!nodes.length) {
      node("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "empty" }, svg).textContent = "nothing to draw";
      return;
    }
    layout(nodes, edges);
    const top = Math.max.apply(null, nodes.map(function (n) { return n.weight; }));
    for (const n of nodes) n.r = 4 + 6 * Math.sqrt(n.weight / top);
    const defs = node("defs", {}, svg);
    const marker = node("marker", { id: svg.id + "-arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, markerUnits: "userSpaceOnUse", orient: "auto" }, defs);
    node("path", { d: "M0,0L10,5L0,10z", class: "arrow" }, marker);
    const heaviest = Math.max.apply(null, edges.map(function (e) { return e.count; }));
    for (const e of edges) {
      const x = e.to.x - e.from.x, y = e.to.y - e.from.y, d = Math.max(Math.hypot(x, y), 1);
      const a = node("a", { href: edgeHref(svg, e), class: "edge-link" }, svg);
      const line = node("line", {
        x1: e.from.x, y1: e.from.y, x2: e.to.x - (x / d) * (e.to.r + 2), y2: e.to.y - (y / d) * (e.to.r + 2),
        class: "edge", "stroke-width": 1 + 5 * e.count / heaviest, "marker-end": "url(#" + svg.id + "-arrow)",
      }, a);
      node("title", {}, line).textContent = e.from.name + " → " + e.to.name + ": " + e.count + " (show the quotes)";
    }
    for (const n of nodes) {
      n.link = node("a", { href: nodeHref(n) }, svg);
      const circle = node("circle", { cx: n.x, cy: n.y, r: n.r, class: n.speaks ? "node speaker" : "node" }, n.link);
      node("title", {}, circle).textContent = n.name;
    }
    placeLabels(svg, nodes);
    fit(svg);
  }

  for (const svg of document.querySelectorAll("svg.graph")) {
    fetch(svg.dataset.src)
      .then(function (r) { return r.json(); })
      .then(function (page) { draw(svg, page); });
  }
})();
