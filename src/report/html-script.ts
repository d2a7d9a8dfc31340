import { createHash } from 'node:crypto';

/**
 * The report page's only script: the PIE browser (filters by level, true class and kind; a table built from
 * the embedded JSON, at most `maxRows` rows drawn at once) and click-to-sort headers on every
 * `table.sortable`. Plain ES2015 with no network access and no HTML parsing of data (text nodes only), so it
 * runs from file:// under a CSP that allows exactly this script by its hash.
 */
export const REPORT_SCRIPT = `(function () {
  'use strict';
  function num(text) { var v = parseFloat(String(text).replace(/[,%×]/g, '').replace('\\u2212', '-')); return isFinite(v) ? v : null; }
  function compare(a, b) {
    var x = num(a), y = num(b);
    if (x !== null && y !== null) return x - y;
    if (x !== null) return -1;
    if (y !== null) return 1;
    return String(a).localeCompare(String(b));
  }
  function sortable(table, onSort) {
    var heads = table.querySelectorAll('thead th');
    Array.prototype.forEach.call(heads, function (th, col) {
      th.setAttribute('tabindex', '0');
      th.setAttribute('aria-sort', 'none');
      function go() {
        var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
        onSort(col, dir);
      }
      th.addEventListener('click', go);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable:not(#pie-table)'), function (table) {
    var body = table.tBodies[0];
    sortable(table, function (col, dir) {
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) { return dir * compare(a.cells[col].textContent, b.cells[col].textContent); });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  var source = document.getElementById('pie-data');
  if (!source) return;
  var data = JSON.parse(source.textContent);
  var table = document.getElementById('pie-table');
  var body = table.tBodies[0];
  var count = document.getElementById('pie-count');
  var selects = { level: document.getElementById('pie-level'), truth: document.getElementById('pie-class'), kind: document.getElementById('pie-kind') };
  var figures = Array.prototype.slice.call(document.querySelectorAll('#pie-gallery figure'));
  var order = { col: -1, dir: 1 };
  function cells(r) {
    var out = [data.levels[r[0]], r[1], r[6] === null ? '\\u2014' : data.classNames[r[6]],
      data.classNames[r[2]] + ' (' + Math.round(r[4] * 100) + '%)', data.classNames[r[3]] + ' (' + Math.round(r[5] * 100) + '%)', data.kinds[r[7]]];
    for (var k = 8; k < r.length; k++) out.push(r[k] === null ? '\\u2014' : r[k]);
    return out;
  }
  function keep(level, truth, kind) {
    return (selects.level.value === '' || selects.level.value === String(level)) &&
      (selects.truth.value === '' || selects.truth.value === String(truth)) &&
      (selects.kind.value === '' || selects.kind.value === String(kind));
  }
  function draw() {
    var rows = data.rows.filter(function (r) { return keep(r[0], r[6] === null ? '' : r[6], r[7]); });
    if (order.col >= 0) {
      var keyed = rows.map(function (r) { return { r: r, c: cells(r)[order.col] }; });
      keyed.sort(function (a, b) { return order.dir * compare(a.c, b.c) || a.r[1] - b.r[1]; });
      rows = keyed.map(function (k) { return k.r; });
    }
    var frag = document.createDocumentFragment();
    rows.slice(0, data.maxRows).forEach(function (r) {
      var tr = document.createElement('tr');
      tr.className = 'kind-' + data.kinds[r[7]].replace(' ', '-');
      cells(r).forEach(function (c, i) { var td = document.createElement('td'); if (i !== 1) td.className = 't'; td.textContent = String(c); tr.appendChild(td); });
      frag.appendChild(tr);
    });
    body.textContent = '';
    body.appendChild(frag);
    var shownFigures = 0;
    figures.forEach(function (f) { f.hidden = !keep(f.getAttribute('data-level'), f.getAttribute('data-truth'), f.getAttribute('data-kind')); if (!f.hidden) shownFigures++; });
    count.textContent = rows.length + ' of ' + data.total + ' PIEs match' + (rows.length > data.maxRows ? '; the first ' + data.maxRows + ' are listed, all are in pies.csv' : '') +
      (figures.length ? ' (' + shownFigures + ' with thumbnails)' : '') + '.';
    count.setAttribute('data-count', String(rows.length));
  }
  sortable(table, function (col, dir) { order = { col: col, dir: dir }; draw(); });
  Object.keys(selects).forEach(function (k) { selects[k].addEventListener('change', draw); });
  draw();
})();`;

/**
 * The CSP source that allows exactly {@link REPORT_SCRIPT}: `'sha256-…'` of its bytes.
 *
 * @example
 * `script-src ${reportScriptHash()}`; // "script-src 'sha256-…'"
 */
export function reportScriptHash(): string {
  return `'sha256-${createHash('sha256').update(REPORT_SCRIPT, 'utf8').digest('base64')}'`;
}
