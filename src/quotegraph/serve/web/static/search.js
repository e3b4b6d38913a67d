// Search as you type: re-query /api/quotes 250 ms after the last keystroke and redraw the results,
// the facets and the download links with DOM nodes and textContent only (quote text is untrusted).
// Without JS the form, the facets and the pager still work as links.
"use strict";
(function () {
  const form = document.getElementById("search");
  const results = document.getElementById("results");
  const count = document.getElementById("count");
  const pager = document.getElementById("pager");
  const facetBox = document.getElementById("facets");
  const FACETS = [["speaker", "Speakers"], ["outlet", "Outlets"], ["year", "Years"], ["kind", "Kinds"], ["act", "Speech acts"]];
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

  function when(q) {
    if (q.published) return q.published;
    if (q.published_inferred) return q.published_inferred + " (inferred from the text)";
    return "undated";
  }

  // The snippet: text between the offsets, each matched range in a <mark>.
  function snippet(text, s) {
    const quote = el("blockquote");
    if (s.start > 0) quote.append("…");
    let at = s.start;
    for (const [start, end] of s.marks) {
      quote.append(text.slice(at, start), el("mark", "", text.slice(start, end)));
      at = end;
    }
    quote.append(text.slice(at, s.end));
    if (s.end < text.length) quote.append("…");
    return quote;
  }

  function render(page, params) {
    const list = el("ol", "quotes");
    page.items.forEach(function (q, i) {
      const item = el("li", "quote " + q.kind);
      item.append(snippet(q.text, page.snippets[i]));
      const meta = el("div", "meta");
      meta.append(q.speaker
        ? link("speaker", "/speakers/" + encodeURIComponent(q.speaker), q.speaker)
        : el("span", "speaker unknown", "speaker unknown"));
      meta.append(" ", el("span", "kind", q.kind), " ");
      meta.append(link("source", "/articles/" + q.article_id + "#at-" + q.start, page.labels[i]));
      if (q.outlet) meta.append(" ", el("span", "outlet", q.outlet));
      meta.append(" ", el("span", "date", when(q)), " ");
      meta.append(link("permalink", "/quotes/" + q.quote_id, "link & cite"));
      item.append(meta);
      list.append(item);
    });
    results.replaceChildren(list);
    const shown = page.items.length;
    count.textContent = page.total.toLocaleString("en") + (page.total === 1 ? " quote" : " quotes") +
      (page.total > shown ? ", showing " + (page.offset + 1) + "–" + (page.offset + shown) : "");
    pager.replaceChildren();
    if (page.offset + page.limit < page.total) {
      const next = new URLSearchParams(params);
      next.set("offset", page.offset + page.limit);
      pager.append(link("", "/search?" + next, "next →"));
    }
    for (const format of ["csv", "jsonl"]) {
      const download = new URLSearchParams(params);
      download.delete("offset");
      download.set("format", format);
      document.getElementById("download-" + format).href = "/api/quotes/download?" + download;
    }
  }

  function renderFacets(facets, params) {
    const parts = [];
    for (const [name, heading] of FACETS) {
      if (!facets[name] || !facets[name].length) continue;
      parts.push(el("h2", "", heading));
      const list = el("ul", "plain facet");
      list.dataset.facet = name;
      for (const f of facets[name]) {
        const narrowed = new URLSearchParams(params);
        narrowed.delete("offset");
        narrowed.delete("counts");
        for (const key of Object.keys(f.filters)) narrowed.delete(key);
        for (const [key, value] of Object.entries(f.filters)) narrowed.append(key, value);
        const li = el("li");
        li.append(link("", "/search?" + narrowed, f.label), " ", el("span", "count", f.count.toLocaleString("en")));
        list.append(li);
      }
      parts.push(list);
    }
    facetBox.replaceChildren(...parts);
  }

  async function update() {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (String(value).trim()) params.append(key, value); // "acts" comes once per box ticked
    }
    const ticket = ++latest;
    const [response, facets] = await Promise.all([
      fetch("/api/quotes?" + params), fetch("/api/quotes/facets?" + params),
    ]);
    if (ticket !== latest) return; // a newer query is on its way
    if (!response.ok) {
      const body = await response.json();
      count.textContent = body.error.message;
      return;
    }
    render(await response.json(), params);
    if (facets.ok) renderFacets(await facets.json(), params);
    history.replaceState(null, "", "/search?" + params);
  }

  // The facet counts of the search the page was opened with, fetched once the results are shown.
  fetch(facetBox.dataset.src)
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (facets) {
      if (facets) renderFacets(facets, new URLSearchParams(location.search));
    });

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  });
})();
