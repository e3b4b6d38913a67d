// Search as you type: re-query /api/quotes 250 ms after the last keystroke and redraw the results
// with DOM nodes and textContent only (quote text is untrusted). Without JS the form still works.
"use strict";
(function () {
  const form = document.getElementById("search");
  const results = document.getElementById("results");
  const count = document.getElementById("count");
  const pager = document.getElementById("pager");
  let timer = null;
  let latest = 0;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function link(className, href, text) {
    const a = el("a", className, text);
    a.href = href;
    return a;
  }

  function render(page, params) {
    const list = el("ol", "quotes");
    for (const q of page.items) {
      const item = el("li", "quote " + q.kind);
      item.append(el("blockquote", "", q.text));
      const meta = el("div", "meta");
      meta.append(q.speaker
        ? link("speaker", "/speakers/" + encodeURIComponent(q.speaker), q.speaker)
        : el("span", "speaker unknown", "speaker unknown"));
      meta.append(" ", el("span", "kind", q.kind), " ");
      meta.append(link("source", "/articles/" + q.article_id + "#at-" + q.start, q.title || q.external_id));
      meta.append(" ", el("span", "date", q.published || ""));
      item.append(meta);
      list.append(item);
    }
    results.replaceChildren(list);
    const shown = page.items.length;
    count.textContent = page.total + (page.total === 1 ? " quote" : " quotes") +
      (page.total > shown ? ", showing " + (page.offset + 1) + "–" + (page.offset + shown) : "");
    pager.replaceChildren();
    if (page.offset + page.limit < page.total) {
      params.set("offset", page.offset + page.limit);
      pager.append(link("", "/search?" + params, "older →"));
    }
  }

  async function update() {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (String(value).trim()) params.append(key, value); // "acts" comes once per box ticked
    }
    const ticket = ++latest;
    const response = await fetch("/api/quotes?" + params);
    if (ticket !== latest) return; // a newer query is on its way
    if (!response.ok) {
      const body = await response.json();
      count.textContent = body.error.message;
      return;
    }
    render(await response.json(), params);
    params.delete("offset");
    history.replaceState(null, "", "/search?" + params);
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  });
})();
