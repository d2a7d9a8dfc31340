import type { AuditReport, LevelLatency, LevelReport } from '../../schema/index.js';
import { formatBytes, formatCount, formatPercent, MISSING } from '../format.js';
import { levelLabel, okSection } from '../labels.js';
import { levelSkipNotes, skipText } from './text.js';
import { cell, columns, type ViewCell, type ViewSection } from './types.js';

const msText = (v: number | null): string => (v === null ? MISSING : `${Number(v.toPrecision(3))} ms`);

function latencyCells(l: LevelReport): ViewCell[] {
  const latency = okSection(l.latency);
  if (!latency)
    return [cell(l.latency ? 'not measured' : MISSING, 'skip', l.latency ? skipText(l.latency) : undefined), cell(MISSING), cell(MISSING)];
  return [
    cell(msText(latency.batch1Ms)),
    cell(latency.batchMs === null ? MISSING : `${msText(latency.batchMs)} (${formatCount(latency.batchSize)})`),
    cell(howTimed(latency)),
  ];
}

/** `onnx, 2 threads, median of 5`, or `given with 3 models`. */
function howTimed(latency: LevelLatency): string {
  if (latency.source === 'given') return `given with ${formatCount(latency.models)} ${latency.models === 1 ? 'model' : 'models'}`;
  const threads = latency.threads === null ? '' : `, ${formatCount(latency.threads)} ${latency.threads === 1 ? 'thread' : 'threads'}`;
  return `${latency.runtime ?? MISSING}${threads}, median of ${formatCount(latency.repeats)}`;
}

/**
 * What compression bought beside what it cost: per level its stored and gzipped size, its latency in milliseconds
 * per example at batch 1 and at the audit's batch size (how it was timed), next to top-1 and PIE rate, with the
 * machine the latencies were measured on. `null` for reports written before pie-audit measured size and latency.
 *
 * @example
 * costView(report)?.tables[0].rows.length === report.levels.length; // true
 */
export function costView(report: AuditReport): ViewSection | null {
  if (!report.levels.some((l) => l.latency !== undefined || l.meanStoredBytes !== undefined)) return null;
  const rows = report.levels.map((l) => {
    const acc = okSection(l.accuracy);
    const pies = okSection(l.pies);
    return [
      cell(levelLabel(l)),
      cell(acc ? formatPercent(acc.mean) : MISSING),
      cell(l.isBaseline ? MISSING : pies ? formatPercent(pies.rate) : MISSING),
      cell(formatBytes(l.meanStoredBytes)),
      cell(formatBytes(l.meanGzippedBytes)),
      ...latencyCells(l),
    ];
  });
  const machine = report.environment.machine;
  const measured = report.levels.some((l) => okSection(l.latency)?.source === 'measured');
  const paragraphs = [
    "Size is the mean per model: stored (the model files on disk, or a model in memory's weights as stored) and gzipped weights. " +
      "Latency is milliseconds per example, with one example per call and with the audit's batch size (in brackets)" +
      (measured
        ? ': one model per level, after warm-up calls, the median of the timed calls, on the runtime the audit used.'
        : ', as the members gave it.'),
  ];
  // A distributed audit's figures come from the runners of its evaluate jobs, each named with its level.
  const elsewhere = report.levels.flatMap((l) => {
    const m = okSection(l.latency)?.machine;
    return m ? [`level ${l.key} on ${m.cpuModel}, ${formatCount(m.cores)} cores`] : [];
  });
  const here = report.levels.some((l) => {
    const latency = okSection(l.latency);
    return latency?.source === 'measured' && !latency.machine;
  });
  if (machine && here) paragraphs.push(`Measured on ${machine.cpuModel}, ${formatCount(machine.cores)} cores.`);
  if (elsewhere.length) paragraphs.push(`Measured by the evaluate jobs that ran the models: ${elsewhere.join('; ')}.`);
  const notes = levelSkipNotes(
    report.levels.filter((l) => l.latency !== undefined),
    (l) => l.latency!,
    'Latency',
  );
  return {
    id: 'cost',
    title: 'What compression bought: size and latency',
    paragraphs,
    tables: [
      {
        columns: columns(
          '<Level',
          'Top-1',
          'PIE rate',
          'Stored',
          'Gzipped',
          'ms/example, batch 1',
          'ms/example, batch (size)',
          '<Timed on',
        ),
        rows,
      },
    ],
    notes,
  };
}
