import { dirname, relative, resolve, sep } from 'node:path';
import type { AuditOptions, AttributeValues } from './audit-options.js';
import type { ModelSource } from '../evaluate/types.js';
import { readCelebaPartition, selectCelebaSplit, type CelebaAttributes } from '../data/celeba.js';
import type { ImageSource } from '../data/image-test-set.js';
import type { Preprocess } from '../data/preprocess.js';
import { npyBatches } from '../evaluate/npy-batches.js';
import type { InputBatches } from '../evaluate/input-batches.js';
import { readAttributeTable, type AttributeTable } from '../data/read-attribute-table.js';
import { readJsonFile } from '../data/read-json-file.js';
import { readLabelFile } from '../data/read-label-file.js';
import { readNumericTable } from '../data/read-numeric-table.js';
import { regularFileSync } from '../data/regular-file.js';
import { PieAuditError } from '../errors.js';
import { scanPopulationFolder } from '../population/scan-population-folder.js';
import { assertKnownKeys } from '../schema/known-keys.js';

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
  /** A folder laid out `<dir>/<level>/<model>/model.json` (or `<dir>/<level>/<file>.onnx|.tflite|.npy|.csv|.json`),
   * or an object mapping levels to lists of paths (model.json folders, .onnx, .tflite, predictions files). */
  population: string | Record<string, string[]>;
  testSet?: {
    /** Inputs: IDX, .npy (read batch by batch, any size), or CSV (numeric columns, minus `labelColumn`). */
    inputs?: string;
    /** An image test set: a class-folder tree, `{ folder }`, `{ list, root?, pathColumn?, labelColumn? }` or `{ celeba, split?, labelsFromAttribute, attributeNames? }`. */
    images?: ImageSource;
    /** How images become model inputs: `'torchvision'`, `'keras-inception'`, `'keras-mobilenet'` or the explicit form. */
    preprocess?: Preprocess;
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
  attributeCorrection?: 'none' | 'holm' | 'bh';
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
  /** Intersections of attribute values, as the API's `intersections` option: `true` or `{ maxOrder, minSupport }`. */
  intersections?: AuditOptions['intersections'];
  /** Latency timing, as the API's `latency` option: `false`, or `{ repeats, maxSeconds }`. */
  latency?: AuditOptions['latency'];
}

const KNOWN_KEYS = [
  'population',
  'testSet',
  'classNames',
  'baseline',
  'alpha',
  'correction',
  'attributeCorrection',
  'tieBreak',
  'positiveClass',
  'maxExemplars',
  'seed',
  'gates',
  'backend',
  'runtime',
  'batchSize',
  'cache',
  'bootstrap',
  'noiseFloor',
  'probabilities',
  'intersections',
  'latency',
  '$schema',
  'description',
];
const TEST_SET_KEYS = [
  'inputs',
  'images',
  'preprocess',
  'inputShape',
  'inputDivisor',
  'labels',
  'labelColumn',
  'attributes',
  'attributeNames',
  'partition',
  'split',
  'labelsFromAttribute',
];

const configError = (key: string, message: string) => new PieAuditError('CONFIG_ERROR', `${key}: ${message}`, { key });

export { readJsonFile };

/** A config value that must be a path: a non-empty string, resolved against the config's folder. */
function pathAt(base: string, value: unknown, key: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw configError(key, `must be a file path (a string); got ${value === null ? 'null' : typeof value}.`);
  return resolve(base, value);
}

function optionalString(value: unknown, key: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw configError(key, `must be a string; got ${value === null ? 'null' : typeof value}.`);
  return value;
}

/**
 * Lists a population folder for the CLI: `<dir>/<level>/<model>/model.json` (or `<dir>/<level>/<file>`
 * for `.onnx`, `.tflite` and predictions files), through the same scanner as `loadPopulation`.
 *
 * @throws {PieAuditError} `CONFIG_ERROR` for a missing folder; the scanner's typed errors naming the path.
 * @example
 * populationFromDir('models').population; // { '0': ['models/0/seed-0/model.json', ...], '0.9': [...] }
 */
export function populationFromDir(dir: string): { population: Map<string, string[]>; warnings: string[] } {
  const scan = (() => {
    try {
      return scanPopulationFolder(dir);
    } catch (e) {
      if (e instanceof PieAuditError && e.code === 'IO_ERROR' && e.details.path === dir) throw configError('population', e.message);
      throw e;
    }
  })();
  return { population: new Map(scan.levels.map((l) => [l.dirName, l.members.map((m) => m.path)])), warnings: scan.warnings };
}

/** The population from `population`: a folder, or `{ level: [paths] }` (each path must exist). */
function populationFrom(cfg: Record<string, unknown>, base: string): { population: Map<string, string[]>; warnings: string[] } {
  if (cfg.population === undefined)
    throw configError('population', 'is required: a folder <dir>/<level>/<model>/model.json or { "<level>": [paths] }.');
  if (typeof cfg.population === 'string') return populationFromDir(pathAt(base, cfg.population, 'population'));
  if (typeof cfg.population !== 'object' || cfg.population === null || Array.isArray(cfg.population)) {
    throw configError('population', 'must be a folder path or an object of level -> paths.');
  }
  const population = new Map<string, string[]>();
  for (const [level, paths] of Object.entries(cfg.population)) {
    if (!Array.isArray(paths)) throw configError(`population.${level}`, 'must be an array of file paths.');
    population.set(
      level,
      paths.map((p, i) => {
        const full = pathAt(base, p, `population.${level}[${i}]`);
        try {
          regularFileSync(full, `population.${level}[${i}]`);
        } catch (e) {
          // A model folder is a valid member too (its model.json is checked by the loader).
          if (!(e instanceof PieAuditError && /it is a directory/.test(e.message)))
            throw configError(`population.${level}`, (e as Error).message);
        }
        return full;
      }),
    );
  }
  return { population, warnings: [] };
}

/** Checks the config's keys and the types of the keys read here (the audit validates the rest). */
function checkKeys(
  raw: unknown,
  configPath: string,
): { cfg: AuditConfigFile & Record<string, unknown>; ts: NonNullable<AuditConfigFile['testSet']> } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw configError('config', `'${configPath}' must hold a JSON object.`);
  const cfg = raw as AuditConfigFile & Record<string, unknown>;
  assertKnownKeys(cfg, KNOWN_KEYS, '', `key in '${configPath}'`);
  const ts = cfg.testSet ?? {};
  if (typeof ts !== 'object' || ts === null || Array.isArray(ts)) throw configError('testSet', 'must be an object.');
  assertKnownKeys(ts, TEST_SET_KEYS, 'testSet', 'key');
  if (ts.inputShape !== undefined && (!Array.isArray(ts.inputShape) || ts.inputShape.some((d) => !Number.isInteger(d) || d < 1))) {
    throw configError('testSet.inputShape', 'must be an array of positive integers (per example, no batch dimension), e.g. [28, 28, 1].');
  }
  if (ts.attributeNames !== undefined && (!Array.isArray(ts.attributeNames) || ts.attributeNames.some((a) => typeof a !== 'string'))) {
    throw configError('testSet.attributeNames', 'must be an array of attribute names (strings).');
  }
  for (const k of ['labelColumn', 'split', 'labelsFromAttribute'] as const) optionalString(ts[k], `testSet.${k}`);
  return { cfg, ts };
}

/** Test-set inputs from `testSet.inputs`, divided by `inputDivisor`. */
function readInputs(
  ts: NonNullable<AuditConfigFile['testSet']>,
  base: string,
): { inputs?: Float32Array; batches?: InputBatches; inputShape?: number[] } {
  if (ts.inputs === undefined) return ts.inputShape ? { inputShape: ts.inputShape } : {};
  const labelsInSameFile =
    ts.labels !== undefined && pathAt(base, ts.labels, 'testSet.labels') === pathAt(base, ts.inputs, 'testSet.inputs');
  if (/\.npy$/i.test(ts.inputs) && !labelsInSameFile) {
    // Read by ranges during evaluation: a .npy test set of any size never sits in memory whole.
    const batches = npyBatches(pathAt(base, ts.inputs, 'testSet.inputs'), { divisor: ts.inputDivisor, inputShape: ts.inputShape });
    return { batches, inputShape: [...batches.inputShape] };
  }
  const labelColumn = ts.labelColumn ?? 'label';
  const inputsPath = pathAt(base, ts.inputs, 'testSet.inputs');
  const sameFile = ts.labels !== undefined && pathAt(base, ts.labels, 'testSet.labels') === inputsPath;
  const m = readNumericTable(inputsPath, 'testSet.inputs', { dropColumn: sameFile ? labelColumn : undefined });
  const divisor = ts.inputDivisor ?? 1;
  if (!(typeof divisor === 'number' && Number.isFinite(divisor) && divisor > 0))
    throw configError('testSet.inputDivisor', `must be a positive number; got ${String(divisor)}.`);
  const inputs = Float32Array.from({ length: m.data.length }, (_, i) => m.data[i] / divisor);
  return { inputs, inputShape: ts.inputShape ?? (m.shape.slice(1).length > 0 ? m.shape.slice(1) : [1]) };
}

/** The attribute table (CelebA or CSV), narrowed to the partition's split when one is given. */
function readAttributes(ts: NonNullable<AuditConfigFile['testSet']>, base: string): AttributeTable | null {
  if (ts.attributes === undefined) {
    if (ts.partition !== undefined) throw configError('testSet.partition', 'needs testSet.attributes (CelebA list_attr_celeba.txt).');
    return null;
  }
  const table = readAttributeTable(pathAt(base, ts.attributes, 'testSet.attributes'));
  if (ts.partition !== undefined) {
    const partition = readCelebaPartition(pathAt(base, ts.partition, 'testSet.partition'));
    return selectCelebaSplit(table as unknown as CelebaAttributes, partition, ts.split ?? 'test') as unknown as AttributeTable;
  }
  if (ts.split !== undefined) throw configError('testSet.split', 'needs testSet.partition (CelebA list_eval_partition.txt).');
  return table;
}

/** The attributes audited: `attributeNames` (default all but the label attribute), as a null-prototype record. */
function selectAttributes(ts: NonNullable<AuditConfigFile['testSet']>, table: AttributeTable): Record<string, AttributeValues> {
  const names = ts.attributeNames ?? table.attributeNames;
  const attributes = Object.create(null) as Record<string, AttributeValues>;
  for (const name of names) {
    if (!table.attributeNames.includes(name)) {
      const known = `${table.attributeNames.slice(0, 12).join(', ')}${table.attributeNames.length > 12 ? ', ...' : ''}`;
      throw configError('testSet.attributeNames', `attribute '${name}' is not in '${String(ts.attributes)}'; it has ${known}.`);
    }
    if (name === ts.labelsFromAttribute && !ts.attributeNames) continue;
    attributes[name] = Array.from(table.values[name]) as AttributeValues;
  }
  return attributes;
}

function readLabels(ts: NonNullable<AuditConfigFile['testSet']>, base: string, table: AttributeTable | null): Uint16Array | undefined {
  if (ts.labelsFromAttribute !== undefined) {
    if (!table) throw configError('testSet.labelsFromAttribute', 'needs testSet.attributes.');
    if (!table.attributeNames.includes(ts.labelsFromAttribute))
      throw configError('testSet.labelsFromAttribute', `attribute '${ts.labelsFromAttribute}' is not in the attributes file.`);
    return Uint16Array.from(table.values[ts.labelsFromAttribute] as ArrayLike<number>, (x) => (Number(x) === 1 ? 1 : 0));
  }
  return ts.labels === undefined
    ? undefined
    : readLabelFile(pathAt(base, ts.labels, 'testSet.labels'), ts.labelColumn ?? 'label', 'testSet.labels');
}

/** `testSet.images` with its paths resolved against the config's folder. */
function imagesAt(images: unknown, base: string): ImageSource | undefined {
  if (images === undefined) return undefined;
  if (typeof images === 'string') return pathAt(base, images, 'testSet.images');
  if (typeof images !== 'object' || images === null || Array.isArray(images))
    throw configError('testSet.images', 'must be a folder path or { folder } / { list, ... } / { celeba, ... }.');
  const out: Record<string, unknown> = { ...images };
  for (const k of ['folder', 'list', 'root', 'celeba']) if (out[k] !== undefined) out[k] = pathAt(base, out[k], `testSet.images.${k}`);
  return out as ImageSource;
}

/** A path as a population member: `.json` files other than model.json are predictions files. */
function toMember(path: string): ModelSource {
  return /\.json$/i.test(path) && !/(^|[\\/])model\.json$/i.test(path) ? { predictionsFile: path, format: 'json' } : path;
}

/** A member's id: its path relative to the config file's folder, with `/` separators. */
function relativeId(base: string, path: string): string {
  return relative(base, path).split(sep).join('/');
}

/** Everything `pie-audit audit` needs, resolved from a config file. */
export interface LoadedAuditConfig {
  options: AuditOptions;
  /** Sizes for the summary line. */
  describe: string;
  /** Entries of a population folder that were not audited (leftovers of a killed save, unknown files). */
  warnings: string[];
}

/**
 * Loads an audit config file: validates its keys, reads the test set files, lists the population.
 * Every problem is a `CONFIG_ERROR` (or a file error) naming the key or file.
 *
 * @throws {PieAuditError} `CONFIG_ERROR` naming the key; file errors (`IO_ERROR`, `CORRUPT_FILE`, ...) naming the file.
 * @example
 * const { options } = loadAuditConfig('audit.json');
 * const report = await auditCompression(options);
 */
export function loadAuditConfig(configPath: string): LoadedAuditConfig {
  const { cfg, ts } = checkKeys(readJsonFile(configPath, 'config file'), configPath);
  const base = dirname(resolve(configPath));
  const { population, warnings } = populationFrom(cfg, base);
  const { inputs, batches, inputShape } = readInputs(ts, base);
  const images = imagesAt(ts.images, base);
  const table = readAttributes(ts, base);
  const attributes = table ? selectAttributes(ts, table) : undefined;
  const labels = readLabels(ts, base, table);
  const gates =
    typeof cfg.gates === 'string'
      ? (readJsonFile(pathAt(base, cfg.gates, 'gates'), 'gates file') as AuditOptions['gates'])
      : (cfg.gates as AuditOptions['gates']);
  const options: AuditOptions = {
    // Each model is named by its path relative to the config file, so report.json holds no folder of this machine.
    population: new Map([...population].map(([k, v]) => [k, v.map((path) => ({ model: toMember(path), id: relativeId(base, path) }))])),
    testSet: {
      inputs,
      inputShape,
      labels,
      attributes,
      ...(batches ? { batches } : {}),
      ...(images !== undefined ? { images, preprocess: ts.preprocess } : ts.preprocess !== undefined ? { preprocess: ts.preprocess } : {}),
    },
    classNames: cfg.classNames,
    baseline: cfg.baseline,
    alpha: cfg.alpha,
    correction: cfg.correction,
    attributeCorrection: cfg.attributeCorrection,
    tieBreak: cfg.tieBreak,
    positiveClass: cfg.positiveClass,
    maxExemplars: cfg.maxExemplars,
    seed: cfg.seed,
    gates,
    backend: cfg.backend,
    runtime: cfg.runtime,
    batchSize: cfg.batchSize,
    cache: cfg.cache !== undefined ? { dir: pathAt(base, cfg.cache, 'cache') } : undefined,
    ...(cfg.bootstrap === undefined ? {} : { bootstrap: cfg.bootstrap }),
    ...(cfg.noiseFloor === undefined ? {} : { noiseFloor: cfg.noiseFloor }),
    ...(cfg.probabilities === undefined ? {} : { probabilities: cfg.probabilities }),
    ...(cfg.intersections === undefined ? {} : { intersections: cfg.intersections }),
    ...(cfg.latency === undefined ? {} : { latency: cfg.latency }),
  };
  const nModels = [...population.values()].reduce((a, b) => a + b.length, 0);
  return { options, describe: `${population.size} levels, ${nModels} models`, warnings };
}
