// Zoom and pan for the map: buttons, the mouse wheel and dragging change the SVG's viewBox; the
// dots and names keep their size on screen as the map grows.
"use strict";
(function () {
  const svg = document.getElementById("map");
  const W = Number(svg.dataset.width), H = Number(svg.dataset.height);
  let view = { x: 0, y: 0, w: W, h: H };

  function apply() {
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
    const k = view.w / W;
    svg.style.setProperty("--k", k);
    for (const c of svg.querySelectorAll("circle")) {
      if (!c.dataset.r) c.dataset.r = c.getAttribute("r");
      c.setAttribute("r", Number(c.dataset.r) * Math.sqrt(k));
    }
    for (const t of svg.querySelectorAll(".labels text")) t.style.fontSize = (9 * k) + "px";
  }

  function zoom(factor, cx, cy) {
    const w = Math.min(W, Math.max(W / 32, view.w / factor)), h = w * H / W;
    cx = cx === undefined ? view.x + view.w / 2 : cx;
    cy = cy === undefined ? view.y + view.h / 2 : cy;
    view = { x: cx - (cx - view.x) * w / view.w, y: cy - (cy - view.y) * h / view.h, w: w, h: h };
    clamp();
    apply();
  }

  function clamp() {
    view.x = Math.min(Math.max(view.x, 0), W - view.w);
    view.y = Math.min(Math.max(view.y, 0), H - view.h);
  }

  function point(event) {
    const box = svg.getBoundingClientRect();
    return { x: view.x + (event.clientX - box.left) / box.width * view.w, y: view.y + (event.clientY - box.top) / box.height * view.h };
  }

  document.getElementById("zoom-in").addEventListener("click", function () { zoom(2); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoom(0.5); });
  document.getElementById("zoom-reset").addEventListener("click", function () { view = { x: 0, y: 0, w: W, h: H }; apply(); });
  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    const p = point(event);
    zoom(event.deltaY < 0 ? 1.25 : 0.8, p.x, p.y);
  }, { passive: false });
  let drag = null;
  svg.addEventListener("pointerdown", function (event) { drag = { x: event.clientX, y: event.clientY, view: Object.assign({}, view) }; });
  window.addEventListener("pointerup", function () { drag = null; });
  svg.addEventListener("pointermove", function (event) {
    if (!drag || view.w === W) return;
    const box = svg.getBoundingClientRect();
    view.x = drag.view.x - (event.clientX - drag.x) / box.width * view.w;
    view.y = drag.view.y - (event.clientY - drag.y) / box.height * view.h;
    clamp();
    apply();
  });
})();
