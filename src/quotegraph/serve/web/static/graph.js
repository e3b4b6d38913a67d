// Draws each <svg class="graph" data-src=...> from an API page of edges: nodes placed on a circle,
// then relaxed by a small force simulation (repulsion, springs along edges, a pull to the centre).
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
    nodes.forEach(function (n, i) {
      const angle = (2 * Math.PI * i) / nodes.length;
      n.x = W / 2 + 180 * Math.cos(angle);
      n.y = H / 2 + 180 * Math.sin(angle);
    });
    for (let step = 0; step < 300; step++) {
      const cool = 1 - step / 300;
      for (const a of nodes) {
        a.dx = (W / 2 - a.x) * 0.03;
        a.dy = (H / 2 - a.y) * 0.03;
        for (const b of nodes) {
          if (a === b) continue;
          const x = a.x - b.x, y = a.y - b.y, d2 = Math.max(x * x + y * y, 1);
          a.dx += (x / d2) * 1500;
          a.dy += (y / d2) * 1500;
        }
      }
      for (const e of edges) {
        const x = e.to.x - e.from.x, y = e.to.y - e.from.y;
        const d = Math.max(Math.hypot(x, y), 1), pull = (d - 140) * 0.02;
        e.from.dx += (x / d) * pull; e.from.dy += (y / d) * pull;
        e.to.dx -= (x / d) * pull; e.to.dy -= (y / d) * pull;
      }
      for (const n of nodes) {
        n.x = Math.min(W - 90, Math.max(90, n.x + Math.max(-20, Math.min(20, n.dx)) * cool));
        n.y = Math.min(H - 20, Math.max(30, n.y + Math.max(-20, Math.min(20, n.dy)) * cool));
      }
    }
  }

  function draw(svg, page) {
    const byName = new Map();
    function get(name, speaks) {
      const key = name || "(unknown)";
      if (!byName.has(key)) byName.set(key, { name: key, speaks: false });
      const n = byName.get(key);
      n.speaks = n.speaks || (speaks && name !== null);
      return n;
    }
    const edges = page.items.map(function (item) {
      return { from: get(item[svg.dataset.from], true), to: get(item[svg.dataset.to], svg.id === "relays"), count: item.count };
    });
    const nodes = Array.from(byName.values());
    if (!nodes.length) {
      node("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "empty" }, svg).textContent = "nothing to draw yet";
      return;
    }
    layout(nodes, edges);
    const defs = node("defs", {}, svg);
    const marker = node("marker", { id: svg.id + "-arrow", viewBox: "0 0 10 10", refX: 20, refY: 5, markerWidth: 10, markerHeight: 10, markerUnits: "userSpaceOnUse", orient: "auto" }, defs);
    node("path", { d: "M0,0L10,5L0,10z", class: "arrow" }, marker);
    for (const e of edges) {
      const line = node("line", { x1: e.from.x, y1: e.from.y, x2: e.to.x, y2: e.to.y, class: "edge", "stroke-width": Math.min(1 + e.count, 6), "marker-end": "url(#" + svg.id + "-arrow)" }, svg);
      node("title", {}, line).textContent = e.from.name + " → " + e.to.name + ": " + e.count;
    }
    for (const n of nodes) {
      const href = n.speaks ? "/speakers/" + encodeURIComponent(n.name) : "/search?search=" + encodeURIComponent(n.name);
      const a = node("a", { href: href }, svg);
      node("circle", { cx: n.x, cy: n.y, r: 7, class: n.speaks ? "node speaker" : "node" }, a);
      node("text", { x: n.x, y: n.y - 11, "text-anchor": "middle", class: "label" }, a).textContent = n.name;
    }
  }

  for (const svg of document.querySelectorAll("svg.graph")) {
    fetch(svg.dataset.src)
      .then(function (r) { return r.json(); })
      .then(function (page) { draw(svg, page); });
  }
})();
