/* UNSC Record: sortable and filterable tables, offline, no dependency (MIT, part of the UNSC Record toolkit).
   Every table with a header row and more than two rows sorts when a header button is pressed (numbers as
   numbers, "–" last); a table inside <div class="unsc-filter" data-label="..."> gets a filter box that hides
   the rows not containing every word typed. It also names the theme's search dialog for screen readers. */
(function () {
  "use strict";

  function key(cell) {
    var text = (cell ? cell.textContent : "").trim();
    var num = text.replace(/[,\u202f\s]/g, "").match(/^[-\u2212]?\d+(\.\d+)?%?$/);
    if (num) return { n: parseFloat(text.replace(/[,\u202f\s%]/g, "").replace("\u2212", "-")), t: text };
    return { n: null, t: text === "\u2013" ? "" : text.toLowerCase() };
  }

  function compare(a, b) {
    if (a.t === "" || b.t === "") return a.t === b.t ? 0 : (a.t === "" ? 1 : -1);
    if (a.n !== null && b.n !== null) return a.n - b.n;
    if (a.n !== null) return -1;
    if (b.n !== null) return 1;
    return a.t < b.t ? -1 : (a.t > b.t ? 1 : 0);
  }

  function sortable(table) {
    var head = table.tHead, body = table.tBodies[0];
    if (!head || !body || body.rows.length < 3 || table.dataset.unscSort) return;
    table.dataset.unscSort = "1";
    var ths = head.rows[0].cells;
    Array.prototype.forEach.call(ths, function (th, col) {
      if (!th.textContent.trim()) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "unsc-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(ths, function (o) { if (o.hasAttribute("aria-sort")) o.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows).map(function (row, i) { return { row: row, k: key(row.cells[col]), i: i }; });
        rows.sort(function (a, b) { var c = compare(a.k, b.k); return (asc ? c : -c) || a.i - b.i; });
        rows.forEach(function (r) { body.appendChild(r.row); });
      });
    });
  }

  var counter = 0;
  function filterable(box) {
    var table = box.querySelector("table");
    if (!table || box.dataset.unscFilter) return;
    box.dataset.unscFilter = "1";
    var id = "unsc-filter-" + (++counter);
    var wrap = document.createElement("p");
    wrap.className = "unsc-filter-box";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = box.dataset.label || "Filter the table";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    var status = document.createElement("span");
    status.className = "unsc-filter-status";
    status.setAttribute("aria-live", "polite");
    wrap.appendChild(label);
    wrap.appendChild(input);
    wrap.appendChild(status);
    box.insertBefore(wrap, box.firstChild);
    var rows = table.tBodies[0] ? table.tBodies[0].rows : [];
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var text = row.textContent.toLowerCase();
        var ok = words.every(function (w) { return text.indexOf(w) !== -1; });
        row.hidden = !ok;
        if (ok) shown++;
      });
      status.textContent = words.length ? shown + " of " + rows.length + " rows" : "";
    });
  }

  function init() {
    // the theme's search dialog has no accessible name
    Array.prototype.forEach.call(document.querySelectorAll(".md-search[role=dialog]:not([aria-label])"), function (d) {
      d.setAttribute("aria-label", "Search");
    });
    // a wide table scrolls sideways: keyboard users must be able to reach that scroll region
    var wraps = function () {
      Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])"), function (w) {
        w.setAttribute("tabindex", "0");
        w.setAttribute("role", "region");
        w.setAttribute("aria-label", "Table (scrolls sideways)");
      });
    };
    wraps();
    window.requestAnimationFrame(wraps);
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset table"), sortable);
    Array.prototype.forEach.call(document.querySelectorAll(".unsc-filter"), filterable);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
