import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../engine/process-alive.js';
import { CSV_TABLE_NAMES } from './csv.js';
import { REPORT_LOCK } from './report-lock.js';
import { TRADEOFF_CHART_FILE } from './tradeoff-chart.js';

/** Every file a report set may hold; `report.json` marks a complete one. */
export const REPORT_SET_FILES: readonly string[] = [
  'report.json',
  'report.md',
  'report.html',
  ...CSV_TABLE_NAMES,
  'pies.arrow',
  TRADEOFF_CHART_FILE,
];
/** Temp files of `writeFilesAtomic`: `.<name>.<pid>-<hex>.tmp`. */
const TMP_NAME = /^\..+\.(\d+)-[0-9a-f]+\.tmp$/;

/**
 * Prepares `dir` for a new report set, so it never holds a mix that looks complete: `report.json`
 * (the completeness mark) goes first unless the caller keeps an identical one; when the new set
 * includes `report.json`, the other set files of an earlier run go too; temp files of killed writers
 * are removed. Returns nothing; the caller then writes the set with `report.json` last.
 *
 * @example
 * await clearReportSet('audit-out', { writesJson: true, json: text });
 */
export async function clearReportSet(dir: string, options: { writesJson: boolean; json: string }): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const jsonPath = join(dir, 'report.json');
  if (names.includes('report.json')) {
    // Re-rendering a folder's own report (no json requested) keeps its report.json when it is identical.
    const same = !options.writesJson && (await readFile(jsonPath, 'utf8').catch(() => null)) === options.json;
    if (!same) await rm(jsonPath, { force: true });
    if (options.writesJson) for (const name of REPORT_SET_FILES) if (names.includes(name)) await rm(join(dir, name), { force: true });
  }
  for (const name of names) {
    const pid = TMP_NAME.exec(name)?.[1];
    if (pid !== undefined && !isProcessAlive(Number(pid))) await rm(join(dir, name), { force: true });
  }
}

/**
 * Which entries of `dir` a new report set keeps (see `replaceReportFolder`): everything but the folder's lock, temp
 * files, and the earlier set's files the new set replaces: all of them when it includes `report.json`, else only
 * an earlier `report.json` that differs from the new one (so no kept `report.json` describes other files).
 *
 * @example
 * const keep = await keptEntries('audit-out', { writesJson: true, json: text });
 * keep('notes.txt'); // true
 * keep('report.md'); // false
 */
export async function keptEntries(dir: string, options: { writesJson: boolean; json: string }): Promise<(name: string) => boolean> {
  const sameJson = !options.writesJson && (await readFile(join(dir, 'report.json'), 'utf8').catch(() => null)) === options.json;
  return (name) => {
    if (name === REPORT_LOCK || TMP_NAME.test(name)) return false;
    if (name === 'report.json') return sameJson;
    return !(options.writesJson && REPORT_SET_FILES.includes(name));
  };
}
