import { createHash } from 'node:crypto';

/**
 * The browser side of the "try it" panel. It reads /api/info, lists test examples, sends an image's bytes to
 * /api/predict and draws one table per level. Every text from the server is set with textContent, never as HTML.
 */
const PAGE_SCRIPT = String.raw`
'use strict';
const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; };
let info = null;
const className = (c) => (info && info.classNames[c] !== undefined ? info.classNames[c] : 'class ' + c);
const pct = (x) => (100 * x).toFixed(1) + ' %';
function say(text, kind) { const m = $('message'); m.textContent = text; m.className = kind || ''; }
function clearResults() { $('results').replaceChildren(); }
function levelTable(level) {
  const t = el('table', undefined, 'level'); t.dataset.level = level.key;
  const base = info.levels.find((l) => l.key === level.key);
  t.append(el('caption', 'Level ' + level.key + (base && base.isBaseline ? ' (baseline)' : '')));
  const modal = el('p', 'modal label: ' + className(level.modal) + ' (' + pct(level.agreement) + ' of ' + level.models.length + ' models' + (level.modalTie ? ', a tie broken by the audit\'s rule' : '') + ')', 'modal');
  modal.dataset.label = String(level.modal);
  const head = el('tr'); ['model', 'runtime', 'top label'].concat(info.classNames).forEach((h) => head.append(el('th', h)));
  t.append(head);
  const row = (cells, probs, cls, label) => {
    const tr = el('tr', undefined, cls); if (label !== undefined) tr.dataset.label = String(label);
    cells.forEach((c) => tr.append(el('td', c)));
    probs.forEach((p) => { const td = el('td', p.toFixed(4), 'p'); td.dataset.p = String(p); tr.append(td); });
    return tr;
  };
  for (const m of level.models) t.append(row([m.id, m.runtime, className(m.label)], m.probabilities, 'model', m.label));
  t.append(row(['mean over models', '', className(level.modal)], level.meanProbabilities, 'mean', level.modal));
  const box = el('div', undefined, 'level-box'); box.dataset.level = level.key; box.append(t, modal);
  return box;
}
function showPredictions(result, what) {
  clearResults();
  say('Predictions for ' + what + (result.image ? ' (' + result.image.format.toUpperCase() + ', ' + result.image.width + ' x ' + result.image.height + ')' : '') + '.', 'ok');
  for (const level of result.levels) $('results').append(levelTable(level));
}
async function post(url, body, what) {
  say('Running the models on ' + what + ' ...', 'busy'); clearResults();
  try {
    const r = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } });
    const json = await r.json();
    if (!r.ok) { say(json.error || ('The server answered ' + r.status + '.'), 'error'); return; }
    showPredictions(json, what);
  } catch (e) { say('The server did not answer (' + e.message + '); is pie-audit serve still running?', 'error'); }
}
function tryFile(file) {
  if (!file) return;
  if (!info.canRun || !info.canUpload) { say(info.cannotRun || info.cannotUpload, 'error'); return; }
  if (file.size > info.maxUploadBytes) { say('"' + file.name + '" is ' + (file.size / 1e6).toFixed(1) + ' MB; uploads are limited to ' + (info.maxUploadBytes / 1e6).toFixed(1) + ' MB.', 'error'); return; }
  const img = $('preview'); img.hidden = false; img.src = URL.createObjectURL(file);
  post('/api/predict?name=' + encodeURIComponent(file.name.slice(0, 200)), file, '"' + file.name + '"');
}
function showRecorded(example) {
  clearResults(); say('Recorded predictions of test example #' + example.index + ' (from the report; the models do not run here).', 'ok');
  const img = $('preview'); img.hidden = !example.thumbnail; if (example.thumbnail) img.src = example.thumbnail;
  const t = el('table', undefined, 'recorded');
  const head = el('tr'); ['level', 'modal label', 'agreement'].forEach((h) => head.append(el('th', h))); t.append(head);
  for (const l of example.levels) { const tr = el('tr'); tr.dataset.level = l.key; [l.key, className(l.modal), pct(l.agreement)].forEach((c) => tr.append(el('td', c))); t.append(tr); }
  $('results').append(el('p', 'true label: ' + (example.trueLabel === null ? 'unknown' : className(example.trueLabel))), t);
}
function pickExample() {
  const v = $('example').value; if (v === '') return;
  if (info.canRun) {
    const img = $('preview'); const example = info.examples[Number(v)]; img.hidden = !example.image; if (example.image) img.src = '/api/examples/' + v + '/image';
    post('/api/examples/' + v + '/predict', '', 'test example #' + v);
  } else showRecorded(info.recorded.find((e) => String(e.index) === v));
}
async function start() {
  try { info = await (await fetch('/api/info')).json(); } catch (e) { say('Cannot reach the server: ' + e.message, 'error'); return; }
  $('capability').textContent = info.canRun ? 'Models: ' + info.levels.map((l) => l.key + ' (' + l.models.length + ')').join(', ') + ' on ' + info.runtimes + (info.canUpload ? '; preprocessing ' + info.preprocessText + '.' : '. ' + info.cannotUpload) : info.cannotRun;
  $('upload').disabled = !info.canUpload;
  const select = $('example');
  const examples = info.canRun ? info.examples.map((e) => ({ value: e.index, text: '#' + e.index + (e.label === null ? '' : ' (' + className(e.label) + ')') }))
    : info.recorded.map((e) => ({ value: e.index, text: '#' + e.index + ' (recorded)' }));
  for (const e of examples) { const o = el('option', e.text); o.value = String(e.value); select.append(o); }
  select.disabled = examples.length === 0;
  $('upload').addEventListener('change', () => tryFile($('upload').files[0]));
  select.addEventListener('change', pickExample);
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); tryFile(e.dataTransfer.files[0]); });
  document.body.dataset.ready = 'true';
}
start();
`;

const PAGE_CSS = `body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1em;color:#222}
#drop{border:2px dashed #888;padding:1.2em;margin:.6em 0;border-radius:6px}#drop.over{background:#eef}
#message.error{color:#a00;font-weight:600}#message.ok{color:#060}#preview{width:128px;max-height:160px;object-fit:contain;image-rendering:pixelated}
table{border-collapse:collapse;margin:.3em 0 1em}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}td.p{text-align:right;font-variant-numeric:tabular-nums}
tr.mean{font-weight:600}caption{text-align:left;font-weight:600}.modal{margin:-.6em 0 1.2em;font-weight:600}iframe{width:100%;height:80vh;border:1px solid #ccc}`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The page's Content-Security-Policy: its one script and style by hash, requests to this server only. */
export const PAGE_CSP = `default-src 'none'; script-src ${sha256(PAGE_SCRIPT)}; style-src ${sha256(PAGE_CSS)}; img-src 'self' data: blob:; connect-src 'self'; frame-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`;

/**
 * The "try it" page: a panel to drop or choose an image (or pick a test example) and see each level's predictions,
 * above the report itself (report.html of the folder, in a frame). Static: everything the report or the models say
 * arrives as JSON and is set as text.
 *
 * @example
 * response.setHeader('content-security-policy', PAGE_CSP);
 * response.end(servePage());
 */
export function servePage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>pie-audit serve</title><style>${PAGE_CSS}</style></head>
<body><h1>pie-audit: try the audited models</h1>
<section id="try"><h2>Try it</h2><p id="capability">Loading ...</p>
<div id="drop">Drop a JPEG or PNG image here, or <label>choose one: <input type="file" id="upload" accept="image/png,image/jpeg"></label></div>
<p><label>or pick a test example: <select id="example"><option value="">(choose)</option></select></label></p>
<p id="message" role="status"></p><img id="preview" alt="the image the models saw" hidden>
<div id="results"></div></section>
<section id="report"><h2>Report</h2><p>Files: <a href="/report/report.html" target="_blank" rel="noopener">report.html</a> ·
<a href="/report/report.json">report.json</a> · <a href="/report/report.md">report.md</a></p>
<iframe src="/report/report.html" title="the audit report"></iframe></section>
<script>${PAGE_SCRIPT}</script></body></html>
`;
}
