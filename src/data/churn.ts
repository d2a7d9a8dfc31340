import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PieAuditError } from '../errors.js';
import { numericColumn, readCsv } from './csv.js';

/** The Telco churn table encoded for a neural network. */
export interface ChurnData {
  n: number;
  /** n * featureNames.length, row-major; numeric columns raw, categories one-hot (0/1). */
  features: Float32Array;
  featureNames: string[];
  /** 1 = churned (`Yes`), 0 = stayed. */
  labels: Uint8Array;
  classNames: ['No', 'Yes'];
  /** Group attributes (0/1) kept out of the features unless asked: female, senior_citizen, partner, dependents. */
  attributes: Record<'female' | 'senior_citizen' | 'partner' | 'dependents', Uint8Array>;
}

const NUMERIC = ['tenure', 'monthly_charges', 'total_charges', 'phone_service', 'paperless_billing'];
const CATEGORICAL = [
  'multiple_lines',
  'internet_service',
  'online_security',
  'online_backup',
  'device_protection',
  'tech_support',
  'streaming_tv',
  'streaming_movies',
  'contract',
  'payment_method',
];
const GROUPS = ['female', 'senior_citizen', 'partner', 'dependents'] as const;

/**
 * Path of the bundled `data/wa_churn.csv.gz` (works from the sources and from the built package).
 * @throws PieAuditError `IO_ERROR`
 * @example
 * loadChurn({ path: bundledChurnPath() });
 */
export function bundledChurnPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const rel of ['../../data/wa_churn.csv.gz', '../data/wa_churn.csv.gz', '../../../data/wa_churn.csv.gz']) {
    const p = join(here, rel);
    if (existsSync(p)) return p;
  }
  throw new PieAuditError(
    'IO_ERROR',
    'The bundled data/wa_churn.csv.gz was not found next to pie-audit; pass its path to loadChurn({ path }).',
  );
}

/**
 * Loads the Telco customer churn data (R modeldata `wa_churn`, MIT) and one-hot encodes it.
 * `total_charges` is missing for customers with tenure 0 and is set to 0 for them. The group
 * attributes are returned separately and only join the features with `includeGroupAttributes`.
 *
 * @throws PieAuditError `CORRUPT_FILE`
 * @example
 * const churn = loadChurn();
 * churn.n; // 7043
 * churn.attributes.senior_citizen; // Uint8Array of 0/1
 */
export function loadChurn(options: { path?: string; includeGroupAttributes?: boolean } = {}): ChurnData {
  const path = options.path ?? bundledChurnPath();
  const table = readCsv(path);
  const source = `churn file '${path}'`;
  const n = table.rows.length;
  const columns: Array<{ name: string; values: Float64Array }> = [];
  const featureNumeric = options.includeGroupAttributes ? [...GROUPS, ...NUMERIC] : NUMERIC;
  for (const c of featureNumeric) columns.push({ name: c, values: numericColumn(table, c, { missing: 0, source }) });
  for (const c of CATEGORICAL) {
    const j = table.columns.indexOf(c);
    if (j < 0) throw new PieAuditError('CORRUPT_FILE', `The ${source} has no column '${c}'.`);
    const levels = [...new Set(table.rows.map((r) => r[j]))].sort();
    for (const level of levels)
      columns.push({ name: `${c}=${level}`, values: Float64Array.from(table.rows, (r) => (r[j] === level ? 1 : 0)) });
  }
  const d = columns.length;
  const features = new Float32Array(n * d);
  for (let r = 0; r < n; r++) for (let k = 0; k < d; k++) features[r * d + k] = columns[k].values[r];
  const churnCol = table.columns.indexOf('churn');
  if (churnCol < 0) throw new PieAuditError('CORRUPT_FILE', `The ${source} has no column 'churn'.`);
  const labels = Uint8Array.from(table.rows, (r, i) => {
    if (r[churnCol] !== 'Yes' && r[churnCol] !== 'No')
      throw new PieAuditError('CORRUPT_FILE', `The ${source} row ${i + 2}: churn must be Yes or No, got '${r[churnCol]}'.`);
    return r[churnCol] === 'Yes' ? 1 : 0;
  });
  const attributes = {} as ChurnData['attributes'];
  for (const g of GROUPS) attributes[g] = Uint8Array.from(numericColumn(table, g, { source }));
  return { n, features, featureNames: columns.map((c) => c.name), labels, classNames: ['No', 'Yes'], attributes };
}

/**
 * Standardises each column to mean 0, sd 1 in place, with statistics fitted on `fitRows` only
 * (the training rows, so no test information leaks into training). Constant columns are centred only.
 *
 * @example
 * standardizeColumns(churn.features, churn.featureNames.length, trainRows);
 */
export function standardizeColumns(features: Float32Array, nColumns: number, fitRows: ArrayLike<number>): void {
  const n = features.length / nColumns;
  for (let k = 0; k < nColumns; k++) {
    let sum = 0;
    for (let i = 0; i < fitRows.length; i++) sum += features[fitRows[i] * nColumns + k];
    const mean = sum / fitRows.length;
    let ss = 0;
    for (let i = 0; i < fitRows.length; i++) ss += (features[fitRows[i] * nColumns + k] - mean) ** 2;
    const sd = Math.sqrt(ss / Math.max(1, fitRows.length - 1));
    const scale = sd > 0 ? 1 / sd : 1;
    for (let r = 0; r < n; r++) features[r * nColumns + k] = (features[r * nColumns + k] - mean) * scale;
  }
}
