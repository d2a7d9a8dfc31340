import { formatPercent } from '../../schema/format.js';
import type { AuditReport } from '../../schema/index.js';
import { cell, columns, type ViewCell, type ViewSection } from './types.js';
import { quotedClass } from './text.js';

const pp = (v: number) => `${(v * 100).toFixed(2)} pp`;
const pValue = (p: number) => (p < 1e-4 ? p.toExponential(1) : String(Number(p.toPrecision(3))));

/**
 * What each compressed level's intervals cover (models and examples, or examples only, and why), and for levels of
 * one model each the flips between the two models with McNemar's exact test and what a population of seeds would add.
 * `null` for a report saved before interval sources were recorded.
 * @example
 * intervalsView(report)?.notes[0]; // "Level 0.9: models and examples (5 baseline and 5 compressed models: ...)"
 */
export function intervalsView(report: AuditReport): ViewSection | null {
  const levels = report.levels.filter((l) => !l.isBaseline && l.intervals);
  if (levels.length === 0) return null;
  const notes = levels.map((l) => `Level ${l.key}: ${l.intervals!.source} (${l.intervals!.reason}).`);
  const flipLevels = levels.flatMap((l) => (l.flips?.status === 'ok' ? [{ key: l.key, flips: l.flips }] : []));
  const section: ViewSection = {
    id: 'intervals',
    title: flipLevels.length ? 'Intervals and flips (one model per level)' : 'What the intervals cover',
    paragraphs: [
      'An interval over models and examples covers what retraining the populations would give; an interval over examples ' +
        "only holds these models fixed. decision: 'confident' gates decide only from the former (or from exact tests of one model per level).",
    ],
    tables: [],
    notes,
  };
  if (flipLevels.length === 0) return section;
  section.tables.push({
    columns: columns('<Level', 'Flips', 'Lost', 'Gained', 'Top-1 drop (paired CI)', "McNemar's exact p", '<Significant'),
    rows: flipLevels.map(({ key, flips }): ViewCell[] => [
      cell(key),
      cell(`${flips.changed} (${formatPercent(flips.rate)})`),
      cell(String(flips.lost)),
      cell(String(flips.gained)),
      cell(`${pp(flips.top1Drop)}${flips.top1DropCi ? ` (${pp(flips.top1DropCi[0])} to ${pp(flips.top1DropCi[1])})` : ''}`),
      cell(pValue(flips.p)),
      cell(flips.significant ? 'yes' : 'no', flips.significant && flips.lost > flips.gained ? 'hurt' : 'plain'),
    ]),
  });
  for (const { key, flips } of flipLevels) {
    const shown = flips.examples.slice(0, 10).map((e) => {
      const truth = e.trueLabel === null ? '' : `, true ${quotedClass(report, e.trueLabel)}`;
      return `#${e.index} (${quotedClass(report, e.baselineModal)} → ${quotedClass(report, e.compressedModal)}${truth})`;
    });
    if (shown.length) section.notes.push(`Level ${key} flips (baseline → compressed prediction): ${shown.join(', ')}.`);
  }
  section.paragraphs.push(flipLevels[0].flips.populationNote);
  return section;
}
