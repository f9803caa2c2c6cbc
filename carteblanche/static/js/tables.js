/* Carte blanche — tables that fit the screen.
   Every table of the site (DSFR's .fr-table) wraps its cells' text; one that still does not fit its frame (a
   phone, or many columns) is shown as stacked rows: each row a block, each cell under its column's name. The
   table keeps its semantics for screen readers (ARIA roles, since a table shown as blocks loses them). */
(function () {
  "use strict";

  function headerCells(table) {
    var head = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    if (!head) {
      var first = table.rows[0];
      if (first && first.cells.length > 1 && Array.prototype.every.call(first.cells, function (c) { return c.tagName === "TH"; })) {
        head = first;
      }
    }
    if (!head) return null;
    var names = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      for (var i = 0; i < (cell.colSpan || 1); i++) names.push(cell.innerText.trim());
    });
    return { row: head, names: names };
  }

  function label(table) {
    var header = headerCells(table);
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      if (header && row === header.row) row.classList.add("cb-header-row");
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var scope = cell.getAttribute("scope");
        if (cell.tagName === "TH") cell.setAttribute("role", scope === "row" ? "rowheader" : "columnheader");
        else cell.setAttribute("role", "cell");
        if (header && row !== header.row && header.names[column] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", header.names[column]);
        }
        column += cell.colSpan || 1;
      });
    });
    Array.prototype.forEach.call(table.querySelectorAll("thead, tbody, tfoot"), function (group) {
      group.setAttribute("role", "rowgroup");
    });
  }

  function fit(table) {
    var frame = table.parentElement;
    table.classList.remove("cb-stacked");
    if (table.offsetParent === null) return;
    if (table.getBoundingClientRect().width > frame.clientWidth + 1) table.classList.add("cb-stacked");
  }

  function tables(root) {
    return Array.prototype.slice.call((root || document).querySelectorAll("main table, .fr-table table, table.fr-table"));
  }

  function fitAll(root) {
    tables(root).forEach(function (table) {
      if (!table.hasAttribute("data-cb-labelled")) {
        label(table);
        table.setAttribute("data-cb-labelled", "");
      }
      fit(table);
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () { fitAll(document); });
  });
  document.addEventListener("htmx:afterSettle", function (event) { fitAll(event.target); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { fitAll(document); });
  else fitAll(document);
})();
