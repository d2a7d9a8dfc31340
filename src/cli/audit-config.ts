import { compareLevelKeys } from '../schema/level-key.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import type { AuditOptions, AttributeValues, PopulationMember } from '../audit/audit-options.js';
import { readCelebaAttributes, readCelebaPartition, selectCelebaSplit, type CelebaAttributes } from '../data/celeba.js';
import { parseCsv } from '../data/csv.js';
import { readIdx } from '../data/idx.js';
import { readText } from '../data/read-bytes.js';
import { PieAuditError } from '../errors.js';
import { assertKnownKeys } from '../schema/known-keys.js';
import { parseNpy } from '../evaluate/predictions/parse-npy.js';

/**
 * The JSON config of `pie-audit audit`. Paths are relative to the config file.
 *
 * @example
 * {
 *   "population": "models",
 *   "testSet": { "inputs": "t10k-images-idx3-ubyte", "inputDivisor": 255, "inputShape": [28, 28, 1],
 *                "labels": "t10k-labels-idx1-ubyte" },
 *   "classNames": ["0","1","2","3","4","5","6","7","8","9"],
 *   "gates": { "maxPieRate": { "0.9": 0.05 } }
 * }
 */
export interface AuditConfigFile {
  /** A folder laid out `<dir>/<level>/<model>/model.json` (or `<dir>/<level>/<file>.onnx|.npy|.csv|.json`),
   * or an object mapping levels to lists of paths (model.json folders, .onnx, predictions files). */
  population: string | Record<string, string[]>;
  testSet?: {
    /** Inputs: IDX, .npy, or CSV (numeric columns, minus `labelColumn`). */
    inputs?: string;
    inputShape?: number[];
    /** Divide every input by this (255 for raw bytes). */
    inputDivisor?: number;
    /** Labels: IDX, .npy, CSV (column `labelColumn`, default `label`), or the same CSV as inputs. */
    labels?: string;
    labelColumn?: string;
    /** Group attributes: CelebA `list_attr_celeba.txt` or a CSV with one column per attribute. */
    attributes?: string;
    /** Keep only these attributes (default all). */
    attributeNames?: string[];
    /** CelebA `list_eval_partition.txt`, with `split` (default `test`): keeps that split's attribute rows. */
    partition?: string;
    split?: 'train' | 'validation' | 'test';
    /** Binary labels from an attribute (1 -> class 1, else class 0), e.g. `Blond_Hair`. */
    labelsFromAttribute?: string;
  };
  classNames?: string[];
  baseline?: string;
  alpha?: number;
  correction?: 'none' | 'holm' | 'bh';
  tieBreak?: 'max' | 'min';
  positiveClass?: number;
  maxExemplars?: number;
  seed?: number;
  /** Gates inline, or the path of a gates JSON file. */
  gates?: string | Record<string, unknown>;
  backend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  runtime?: 'auto' | 'tfjs' | 'onnx';
  batchSize?: number;
  /** Folder of the prediction cache. */
  cache?: string;
  /** Bootstrap intervals, as the API's `bootstrap` option. */
  bootstrap?: AuditOptions['bootstrap'];
  /** PIE noise floor settings, as the API's `noiseFloor` option. */
  noiseFloor?: AuditOptions['noiseFloor'];
  /** Keep class probabilities (top-5 accuracy, taxicab ranking), as the API's `probabilities` option. */
  probabilities?: boolean;
}

const KNOWN_KEYS = ['population', 'testSet', 'classNames', 'baseline', 'alpha', 'correction', 'tieBreak', 'positiveClass', 'maxExemplars', 'seed', 'gates', 'backend', 'runtime', 'batchSize', 'cache', 'bootstrap', 'noiseFloor', 'probabilities', '$schema', 'description'];
const TEST_SET_KEYS = ['inputs', 'inputShape', 'inputDivisor', 'labels', 'labelColumn', 'attributes', 'attributeNames', 'partition', 'split', 'labelsFromAttribute'];
const PREDICTION_EXTENSIONS = ['.npy', '.csv', '.json', '.arrow', '.feather', '.ipc'];

const configError = (key: string, message: string) => new PieAuditError('CONFIG_ERROR', `${key}: ${message}`, { key });

/**
 * Reads a JSON file, with errors naming the file and the JSON problem (`CONFIG_ERROR`).
 * @example
 * const gates = readJsonFile('gates.json', 'gates file');
 */
export function readJsonFile(path: string, what: string): unknown {
  const text = readText(path, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new PieAuditError('CONFIG_ERROR', `${what} '${path}' is not valid JSON: ${(e as Error).message}.`, { path });
  }
}

/** Sorts level names: numbers ascending first, then names alphabetically. */
function sortLevels(levels: string[]): string[] {
  return [...levels].sort(compareLevelKeys);
}

/**
 * Lists a population folder `<dir>/<level>/<model>/model.json` (or `<dir>/<level>/<file>` for
 * `.onnx` and predictions files), levels sorted numerically, models by name.
 *
 * @example
 * populationFromDir('models'); // { '0': ['models/0/seed-0', ...], '0.9': [...] }
 */
export function populationFromDir(dir: string): Record<string, string[]> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw configError('population', `folder '${dir}' does not exist; expected <dir>/<level>/<model>/model.json.`);
  const out: Record<string, string[]> = {};
  for (const level of sortLevels(readdirSync(dir).filter((l) => statSync(join(dir, l)).isDirectory()))) {
    const members: string[] = [];
    for (const entry of readdirSync(dir).includes(level) ? readdirSync(join(dir, level)).sort() : []) {
      const path = join(dir, level, entry);
      if (statSync(path).isDirectory()) {
        if (existsSync(join(path, 'model.json'))) members.push(join(path, 'model.json'));
        else if (existsSync(join(path, 'model.onnx'))) members.push(join(path, 'model.onnx'));
      } else if (entry === 'model.json' || extname(entry) === '.onnx' || (PREDICTION_EXTENSIONS.includes(extname(entry)) && entry !== 'model.json' && !entry.endsWith('.weights.json'))) {
        members.push(path);
      }
    }
    if (members.length > 0) out[level] = members;
  }
  if (Object.keys(out).length === 0) throw configError('population', `folder '${dir}' holds no levels; expected <dir>/<level>/<model>/model.json.`);
  return out;
}

function isIdx(path: string): boolean {
  return /idx\d-ubyte(\.gz)?$/i.test(path) || /\.idx(\.gz)?$/i.test(path);
}

/** A numeric matrix (or vector) from IDX, .npy or CSV. */
function readNumeric(path: string, key: string, options: { dropColumn?: string } = {}): { data: Float64Array | Float32Array | ArrayLike<number>; shape: number[]; columns?: string[] } {
  if (!existsSync(path)) throw configError(key, `file '${path}' does not exist.`);
  if (isIdx(path)) {
    const a = readIdx(path);
    return { data: a.data, shape: a.shape };
  }
  if (/\.npy$/i.test(path)) {
    const a = parseNpy(new Uint8Array(readFileSync(path)), path);
    const data = a.data instanceof BigInt64Array || a.data instanceof BigUint64Array ? Float64Array.from(a.data, Number) : a.data;
    return { data, shape: a.shape };
  }
  if (/\.csv(\.gz)?$/i.test(path)) {
    const table = parseCsv(readText(path, 'CSV file'), { source: `CSV file '${path}'` });
    const keep = table.columns.map((c, j) => ({ c, j })).filter(({ c }) => c !== options.dropColumn);
    const data = new Float64Array(table.rows.length * keep.length);
    table.rows.forEach((row, r) =>
      keep.forEach(({ c, j }, k) => {
        const v = Number(row[j]);
        if (row[j].trim() === '' || !Number.isFinite(v)) throw new PieAuditError('NON_FINITE', `CSV file '${path}' row ${r + 2} column '${c}' is not a number: '${row[j]}'.`, { key });
        data[r * keep.length + k] = v;
      }),
    );
    return { data, shape: [table.rows.length, keep.length], columns: keep.map((k) => k.c) };
  }
  throw configError(key, `cannot tell the format of '${path}'; use IDX (…-idx3-ubyte), .npy or .csv.`);
}

function readLabels(path: string, column: string, key: string): Uint16Array {
  if (/\.csv(\.gz)?$/i.test(path)) {
    const table = parseCsv(readText(path, 'CSV file'), { source: `CSV file '${path}'` });
    const j = table.columns.length === 1 ? 0 : table.columns.indexOf(column);
    if (j < 0) throw configError(`${key}`, `CSV file '${path}' has no column '${column}'; set testSet.labelColumn.`);
    return Uint16Array.from(table.rows, (r, i) => {
      const v = Number(r[j]);
      if (!Number.isInteger(v) || v < 0 || v > 65535) throw new PieAuditError('LABEL_OUT_OF_RANGE', `${key}: row ${i + 2} of '${path}' is '${r[j]}', not a class index.`, { key });
      return v;
    });
  }
  const { data } = readNumeric(path, key);
  return Uint16Array.from({ length: data.length }, (_, i) => {
    const v = data[i];
    if (!Number.isInteger(v) || v < 0 || v > 65535) throw new PieAuditError('LABEL_OUT_OF_RANGE', `${key}: entry ${i} of '${path}' is ${v}, not a class index.`, { key });
    return v;
  });
}

function readAttributes(path: string, key: string): CelebaAttributes {
  const text = readText(path, 'attributes file');
  const first = text.slice(0, text.indexOf('\n')).trim();
  if (/^\d+$/.test(first)) return readCelebaAttributes(new TextEncoder().encode(text));
  const table = parseCsv(text, { source: `attributes CSV '${path}'` });
  // CSV attributes may hold any values: numeric columns become numbers, others stay strings.
  const values: Record<string, Array<number | string | null>> = {};
  for (const [j, name] of table.columns.entries()) {
    const cells = table.rows.map((r) => r[j].trim());
    const numeric = cells.every((c) => c === '' || c === 'NA' || Number.isFinite(Number(c)));
    values[name] = cells.map((c) => (c === '' || c === 'NA' ? null : numeric ? Number(c) : c));
  }
  void key;
  return { imageIds: table.rows.map((_, i) => String(i)), attributeNames: table.columns, values: values as unknown as Record<string, Int8Array> };
}

/** A path as a population member: `.json` files other than model.json are predictions files. */
function toMember(path: string): PopulationMember {
  return /\.json$/i.test(path) && !/(^|[\\/])model\.json$/i.test(path) ? { predictionsFile: path, format: 'json' } : path;
}

/** Everything `pie-audit audit` needs, resolved from a config file. */
export interface LoadedAuditConfig {
  options: AuditOptions;
  /** Sizes for the summary line. */
  describe: string;
}

/**
 * Loads an audit config file: validates its keys, reads the test set files, lists the population.
 * Every problem is a `CONFIG_ERROR` (or a file error) naming the key or file.
 *
 * @example
 * const { options } = loadAuditConfig('audit.json');
 * const report = await auditCompression(options);
 */
export function loadAuditConfig(configPath: string): LoadedAuditConfig {
  const raw = readJsonFile(configPath, 'config file');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw configError('config', `'${configPath}' must hold a JSON object.`);
  const cfg = raw as AuditConfigFile & Record<string, unknown>;
  assertKnownKeys(cfg, KNOWN_KEYS, '', `key in '${configPath}'`);
  const base = dirname(resolve(configPath));
  const at = (p: string) => resolve(base, p);

  if (cfg.population === undefined) throw configError('population', 'is required: a folder <dir>/<level>/<model>/model.json or { "<level>": [paths] }.');
  let population: Record<string, string[]>;
  if (typeof cfg.population === 'string') population = populationFromDir(at(cfg.population));
  else if (typeof cfg.population === 'object' && cfg.population !== null && !Array.isArray(cfg.population)) {
    population = {};
    for (const [level, paths] of Object.entries(cfg.population)) {
      if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string')) throw configError(`population.${level}`, 'must be an array of file paths.');
      population[level] = paths.map((p) => {
        const full = at(p);
        if (!existsSync(full)) throw configError(`population.${level}`, `file '${full}' does not exist.`);
        return full;
      });
    }
  } else throw configError('population', 'must be a folder path or an object of level -> paths.');

  const ts = cfg.testSet ?? {};
  if (typeof ts !== 'object' || ts === null) throw configError('testSet', 'must be an object.');
  assertKnownKeys(ts, TEST_SET_KEYS, 'testSet', 'key');

  let inputs: Float32Array | undefined;
  let inputShape: number[] | undefined = ts.inputShape;
  if (ts.inputs) {
    const labelColumn = ts.labelColumn ?? 'label';
    const m = readNumeric(at(ts.inputs), 'testSet.inputs', { dropColumn: ts.labels && at(ts.labels) === at(ts.inputs) ? labelColumn : undefined });
    const divisor = ts.inputDivisor ?? 1;
    if (!(typeof divisor === 'number' && divisor > 0)) throw configError('testSet.inputDivisor', `must be a positive number; got ${String(divisor)}.`);
    inputs = Float32Array.from({ length: m.data.length }, (_, i) => m.data[i] / divisor);
    if (!inputShape) inputShape = m.shape.slice(1).length > 0 ? m.shape.slice(1) : [1];
  }

  let attributes: Record<string, AttributeValues> | undefined;
  let attrTable: CelebaAttributes | null = null;
  if (ts.attributes) {
    attrTable = readAttributes(at(ts.attributes), 'testSet.attributes');
    if (ts.partition) {
      const split = selectCelebaSplit(attrTable, readCelebaPartition(at(ts.partition)), ts.split ?? 'test');
      attrTable = split;
    } else if (ts.split) throw configError('testSet.split', 'needs testSet.partition (CelebA list_eval_partition.txt).');
    const names = ts.attributeNames ?? attrTable.attributeNames;
    attributes = {};
    for (const name of names) {
      if (!attrTable.attributeNames.includes(name)) throw configError('testSet.attributeNames', `attribute '${name}' is not in '${ts.attributes}'; it has ${attrTable.attributeNames.slice(0, 12).join(', ')}${attrTable.attributeNames.length > 12 ? ', ...' : ''}.`);
      if (name === ts.labelsFromAttribute && !ts.attributeNames) continue;
      attributes[name] = Array.from(attrTable.values[name] as ArrayLike<number | string>);
    }
  } else if (ts.partition) throw configError('testSet.partition', 'needs testSet.attributes (CelebA list_attr_celeba.txt).');

  let labels: Uint16Array | undefined;
  if (ts.labelsFromAttribute) {
    if (!attrTable) throw configError('testSet.labelsFromAttribute', 'needs testSet.attributes.');
    const v = attrTable.values[ts.labelsFromAttribute];
    if (!v) throw configError('testSet.labelsFromAttribute', `attribute '${ts.labelsFromAttribute}' is not in the attributes file.`);
    labels = Uint16Array.from(v as ArrayLike<number>, (x) => (Number(x) === 1 ? 1 : 0));
  } else if (ts.labels) labels = readLabels(at(ts.labels), ts.labelColumn ?? 'label', 'testSet.labels');

  const gates = typeof cfg.gates === 'string' ? (readJsonFile(at(cfg.gates), 'gates file') as AuditOptions['gates']) : (cfg.gates as AuditOptions['gates']);
  const options: AuditOptions = {
    population: Object.fromEntries(Object.entries(population).map(([k, v]) => [k, v.map(toMember)])),
    testSet: { inputs, inputShape, labels, attributes },
    classNames: cfg.classNames,
    baseline: cfg.baseline,
    alpha: cfg.alpha,
    correction: cfg.correction,
    tieBreak: cfg.tieBreak,
    positiveClass: cfg.positiveClass,
    maxExemplars: cfg.maxExemplars,
    seed: cfg.seed,
    gates,
    backend: cfg.backend,
    runtime: cfg.runtime,
    batchSize: cfg.batchSize,
    cache: cfg.cache ? { dir: at(cfg.cache) } : undefined,
    ...(cfg.bootstrap === undefined ? {} : { bootstrap: cfg.bootstrap }),
    ...(cfg.noiseFloor === undefined ? {} : { noiseFloor: cfg.noiseFloor }),
    ...(cfg.probabilities === undefined ? {} : { probabilities: cfg.probabilities }),
  };
  const nModels = Object.values(population).reduce((a, b) => a + b.length, 0);
  return { options, describe: `${Object.keys(population).length} levels, ${nModels} models` };
}
