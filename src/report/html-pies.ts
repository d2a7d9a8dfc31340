import type { AuditReport } from '../schema/index.js';
import { formatCount, formatPercent } from './format.js';
import { classLabel, okSection } from './labels.js';
import type { PieTable, PieTableRow } from './pie-table.js';
import { escapeXml as esc } from './svg/escape.js';
import { exemplarLevels, PIE_KINDS, pieKind, type PieKind } from './view/exemplars.js';

// Only well-formed base64 PNG data URIs are embedded, so a hand-edited report cannot make the page fetch anything.
const PNG_DATA_URI = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/;
/** Thumbnails shown per level; the rest of the level's PIEs are table rows. */
export const MAX_THUMBNAILS_PER_LEVEL = 48;
/** PIEs embedded in the page (forgotten first); beyond this, pies.csv has them. Bounds the page size. */
export const MAX_EMBEDDED_PIES = 20_000;
/** Table rows drawn at once, so a 10,000-PIE page opens quickly. */
export const MAX_DRAWN_ROWS = 500;

type PieLike = Pick<
  PieTableRow,
  'level' | 'index' | 'baselineModal' | 'compressedModal' | 'baselineShare' | 'compressedShare' | 'trueLabel' | 'attributes'
>;

function records(report: AuditReport, table: PieTable | null): PieLike[] {
  if (table) return table.rows;
  return report.levels.flatMap((l) =>
    (l.exemplars ?? []).map((e) => ({
      level: l.key,
      index: e.index,
      baselineModal: e.baselineModal,
      compressedModal: e.compressedModal,
      baselineShare: e.baselineAgreement,
      compressedShare: e.compressedAgreement,
      trueLabel: e.trueLabel,
      attributes: [],
    })),
  );
}

function embeddedData(report: AuditReport, table: PieTable | null): { json: string; total: number; embedded: number } {
  const levels = report.levels.filter((l) => !l.isBaseline).map((l) => l.key);
  const kindOf = (r: PieLike): PieKind => pieKind(r.baselineModal, r.compressedModal, r.trueLabel);
  const all = records(report, table);
  // Forgotten first (then fixed, both wrong), in level and index order within a kind: the table's default order,
  // and the cap drops the least telling PIEs.
  const ranked = all.map((r, i) => ({ r, i, k: PIE_KINDS.indexOf(kindOf(r)) })).sort((a, b) => a.k - b.k || a.i - b.i);
  const kept = ranked.slice(0, MAX_EMBEDDED_PIES);
  const rows = kept.map(({ r, k }) => [
    levels.indexOf(r.level),
    r.index,
    r.baselineModal,
    r.compressedModal,
    round(r.baselineShare),
    round(r.compressedShare),
    r.trueLabel,
    k,
    ...r.attributes,
  ]);
  const payload = {
    levels,
    classNames: report.classNames,
    kinds: PIE_KINDS,
    attributeNames: table?.attributeNames ?? [],
    maxRows: MAX_DRAWN_ROWS,
    total: all.length,
    rows,
  };
  // '<' escaped so no value can close the data block.
  return { json: JSON.stringify(payload).replace(/</g, '\\u003c'), total: all.length, embedded: rows.length };
}

const round = (v: number): number => (Number.isFinite(v) ? Math.round(v * 1000) / 1000 : 0);

function figure(report: AuditReport, level: string, levelIndex: number, e: AuditReport['levels'][number]['exemplars'][number]): string {
  const base = classLabel(report, e.baselineModal);
  const comp = classLabel(report, e.compressedModal);
  const truth = e.trueLabel === null ? null : classLabel(report, e.trueLabel);
  const kind = pieKind(e.baselineModal, e.compressedModal, e.trueLabel);
  const alt = `Test example ${e.index}: baseline models say ${base}, level ${level} models say ${comp}${truth === null ? '' : `, true label ${truth}`}`;
  const share = (v: number): string => (Number.isFinite(v) ? ` <span class="note">(${formatPercent(v, 0)})</span>` : '');
  return (
    `<figure class="pie kind-${kind.replace(' ', '-')}" data-level="${levelIndex}" data-truth="${e.trueLabel ?? ''}" data-kind="${PIE_KINDS.indexOf(kind)}">` +
    `<img src="${esc(e.thumbnail ?? '')}" width="84" height="84" alt="${esc(alt)}"><figcaption class="labels">#${esc(formatCount(e.index))} · ${esc(kind)} · level ${esc(level)}<br>` +
    `baseline <b>${esc(base)}</b>${share(e.baselineAgreement)}<br>compressed <b>${esc(comp)}</b>${share(e.compressedAgreement)}` +
    (truth === null ? '' : `<br>true <b>${esc(truth)}</b>`) +
    '</figcaption></figure>'
  );
}

function options(values: Array<[string, string]>): string {
  return `<option value="">all</option>${values.map(([v, t]) => `<option value="${esc(v)}">${esc(t)}</option>`).join('')}`;
}

/**
 * The PIE browser of the HTML page: filters by level, true class and kind (forgotten first), thumbnails of
 * the report's exemplars (at most {@link MAX_THUMBNAILS_PER_LEVEL} per level, only real images), and a
 * sortable table of every PIE drawn by the page's script from an embedded JSON block. Empty when no level
 * has PIEs to show.
 *
 * @example
 * html += pieBrowserSection(report, pieTableOf(report));
 */
export function pieBrowserSection(report: AuditReport, table: PieTable | null): string {
  const data = embeddedData(report, table);
  if (data.total === 0) return '';
  const levels = report.levels.filter((l) => !l.isBaseline);
  const thumbs = exemplarLevels(report).flatMap(({ level, exemplars }) =>
    exemplars
      .filter((e) => typeof e.thumbnail === 'string' && PNG_DATA_URI.test(e.thumbnail))
      .slice(0, MAX_THUMBNAILS_PER_LEVEL)
      .map((e) => figure(report, level.key, levels.indexOf(level), e)),
  );
  const counted = levels.map((l) => `${l.key}: ${formatCount(okSection(l.pies)?.count)}`).join(', ');
  const scope = table
    ? `All ${formatCount(data.total)} PIEs of every level (${counted})${data.embedded < data.total ? `; the page embeds the ${formatCount(data.embedded)} most telling (forgotten first), pies.csv has all` : ''}.`
    : `This report holds only its ${formatCount(data.total)} sampled exemplars (a report read back from report.json); the audit's pies.csv lists every PIE.`;
  const attributeHeads = (table?.attributeNames ?? []).map((n) => `<th class="t">${esc(n)}</th>`).join('');
  return (
    '<h2 id="pies">PIEs: what each level forgot</h2>' +
    `<p class="note">${esc(scope)} Forgotten: the baseline population's modal label was right and the compressed one is wrong; fixed: the reverse; ` +
    `both wrong: neither is right. Vote shares in brackets. Thumbnails: at most ${MAX_THUMBNAILS_PER_LEVEL} per level (the report's exemplars); ` +
    `every PIE is a row of the table, at most ${MAX_DRAWN_ROWS} drawn at once.</p>` +
    '<div class="filters">' +
    `<label>Level <select id="pie-level">${options(levels.map((l, i) => [String(i), l.key]))}</select></label>` +
    `<label>True class <select id="pie-class">${options(report.classNames.map((_, c) => [String(c), classLabel(report, c)]))}</select></label>` +
    `<label>Kind <select id="pie-kind">${options(PIE_KINDS.map((k, i) => [String(i), k]))}</select></label>` +
    '<span id="pie-count" class="note" aria-live="polite"></span></div>' +
    (thumbs.length ? `<div class="gallery" id="pie-gallery">${thumbs.join('')}</div>` : '') +
    '<noscript><p class="skip">The PIE table needs JavaScript; pies.csv lists the same rows.</p></noscript>' +
    '<div class="scroll"><table id="pie-table" class="sortable"><thead><tr><th class="t">Level</th><th>Index</th><th class="t">True</th>' +
    `<th class="t">Baseline modal</th><th class="t">Compressed modal</th><th class="t">Kind</th>${attributeHeads}</tr></thead><tbody></tbody></table></div>` +
    `<script type="application/json" id="pie-data">${data.json}</script>`
  );
}
