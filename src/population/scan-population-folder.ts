import { readdirSync, statSync, type Stats } from 'node:fs';
import { extname, join } from 'node:path';
import { PieAuditError } from '../errors.js';
import { leftoverName } from './leftover-name.js';
import { compareLevelKeys, numericLevel } from '../schema/level-key.js';

/** One model (or predictions file) found in a level folder. */
export interface ScannedMember {
  /** Folder or file name inside the level folder. */
  name: string;
  /** The path to audit: a model.json, a model.onnx or model.tflite, an .onnx, .tflite, .h5 or .keras file, or a predictions file. */
  path: string;
  kind: 'tfjs' | 'onnx' | 'tflite' | 'keras' | 'predictions';
}

/** One level folder. */
export interface ScannedLevel {
  dirName: string;
  /** The level's number (`0.9`), or `null` for a named level (`int8`). */
  value: number | null;
  members: ScannedMember[];
}

/** A population folder as found on disk. */
export interface PopulationScan {
  levels: ScannedLevel[];
  /** Entries not audited, one line each (leftovers of a killed save, unknown files). */
  warnings: string[];
}

/** Options of {@link scanPopulationFolder}. */
export interface ScanOptions {
  /** `'models'`: tfjs model folders only, numeric level names only (what `loadPopulation` loads). Default `'any'`. */
  accept?: 'models' | 'any';
}

const PREDICTION_EXTENSIONS = new Set(['.npy', '.csv', '.json', '.arrow', '.feather', '.ipc']);
const natural = new Intl.Collator('en', { numeric: true }).compare;

/** Stats an entry, following links; dangling links and loops are typed errors naming the path. */
function statEntry(path: string): Stats {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'is a link to nothing'
        : code === 'ELOOP'
          ? 'is a symbolic link loop'
          : `cannot be read (${code ?? (e as Error).message})`;
    throw new PieAuditError('IO_ERROR', `population entry '${path}' ${why}; remove or fix it.`, { path, errno: code });
  }
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path).sort(natural);
  } catch (e) {
    throw new PieAuditError(
      'IO_ERROR',
      `population folder '${path}' cannot be listed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`,
      { path },
    );
  }
}

const KERAS_EXTENSIONS = new Set(['.h5', '.keras']);

/** Finds `model.json` (or, accepting any model, `model.onnx`, `model.tflite`, `model.keras`, `model.h5`) in a model folder, in any case (`model.JSON`). */
function modelFileIn(folder: string, accept: 'models' | 'any'): ScannedMember | undefined {
  const names = listDir(folder);
  const find = (wanted: string) => names.find((n) => n.toLowerCase() === wanted);
  const json = find('model.json');
  const onnx = accept === 'any' ? find('model.onnx') : undefined;
  const tflite = accept === 'any' ? find('model.tflite') : undefined;
  const keras = accept === 'any' ? (find('model.keras') ?? find('model.h5')) : undefined;
  const file = json ?? onnx ?? tflite ?? keras;
  if (file === undefined) return undefined;
  const path = join(folder, file);
  if (!statEntry(path).isFile())
    throw new PieAuditError('IO_ERROR', `'${path}' is not a regular file; a model folder holds model.json as a file.`, { path });
  return { name: '', path, kind: json ? 'tfjs' : onnx ? 'onnx' : tflite ? 'tflite' : 'keras' };
}

/** The member an entry of a level folder is, `undefined` (with a warning) when it is not one. */
function memberOf(level: string, name: string, accept: 'models' | 'any', warnings: string[]): ScannedMember | undefined {
  const path = join(level, name);
  const leftover = leftoverName(name);
  if (leftover) {
    warnings.push(
      `skipped '${path}': the ${leftover.kind === 'tmp' ? 'unfinished new copy' : 'previous copy'} of '${leftover.target}' left by an interrupted save (process ${leftover.pid}); the next save of '${leftover.target}' removes it.`,
    );
    return undefined;
  }
  const s = statEntry(path);
  if (s.isDirectory()) {
    const found = modelFileIn(path, accept);
    if (!found)
      throw new PieAuditError(
        'CORRUPT_MODEL',
        `model folder '${path}' holds no model.json${accept === 'any' ? ', model.onnx, model.tflite, model.keras or model.h5' : ''}; remove it or re-save the model.`,
        { path },
      );
    return { ...found, name };
  }
  const ext = extname(name).toLowerCase();
  const lower = name.toLowerCase();
  const isModelFile = accept === 'any' && (ext === '.onnx' || ext === '.tflite' || KERAS_EXTENSIONS.has(ext) || lower === 'model.json');
  const isPredictions = accept === 'any' && PREDICTION_EXTENSIONS.has(ext) && lower !== 'model.json' && !lower.endsWith('.weights.json');
  if (!isModelFile && !isPredictions) {
    warnings.push(`skipped '${path}': not a model folder${accept === 'any' ? ', .onnx, .tflite, .h5, .keras or predictions file' : ''}.`);
    return undefined;
  }
  // Only regular files are read: a FIFO would block and a link to /dev/zero would never end.
  if (!s.isFile())
    throw new PieAuditError('IO_ERROR', `population entry '${path}' is not a regular file (a pipe, device or socket); pass a file.`, {
      path,
    });
  return {
    name,
    path,
    kind:
      ext === '.onnx' ? 'onnx' : ext === '.tflite' ? 'tflite' : KERAS_EXTENSIONS.has(ext) ? 'keras' : isModelFile ? 'tfjs' : 'predictions',
  };
}

/** Levels sorted: numbers ascending first, then names; numerically equal names are an error. */
function orderLevels(levels: ScannedLevel[], root: string): ScannedLevel[] {
  const byValue = new Map<number, string>();
  for (const l of levels) {
    if (l.value === null) continue;
    const other = byValue.get(l.value);
    if (other !== undefined) {
      throw new PieAuditError('CONFIG_ERROR', `'${root}' has two folders for level ${l.value} ('${other}' and '${l.dirName}'); keep one.`, {
        path: root,
        key: 'population',
      });
    }
    byValue.set(l.value, l.dirName);
  }
  return [...levels].sort((a, b) => compareLevelKeys(a.dirName, b.dirName));
}

/**
 * Scans a population folder `<dir>/<level>/<model>/model.json` (or, with `accept: 'any'`,
 * `<dir>/<level>/<file>.onnx|.tflite|.npy|.csv|.json|.arrow`), the one layout rule behind `loadPopulation` and
 * the CLI. Levels come sorted (numbers ascending, then names), members in natural name order. Only
 * regular files are taken; extensions match in any case.
 *
 * Leftovers of a killed save (`seed-1.tmp-<pid>-<hex>`, `seed-1.old-<pid>-<hex>`) and unknown entries
 * are never members: they are listed in `warnings`. Hidden entries (`.name`) are ignored.
 *
 * @throws {PieAuditError} `IO_ERROR` (missing folder, dangling link, link loop, a FIFO or device named
 * like a data file), `EMPTY_POPULATION` (no level, or an empty level folder), `CORRUPT_MODEL` (a model
 * folder without model.json), `CONFIG_ERROR` (two folders for one level, e.g. `0.3` and `0.30`), each naming the path.
 * @example
 * const { levels, warnings } = scanPopulationFolder('models');
 * levels.map((l) => l.dirName); // ['0', '0.5', '0.9']
 */
export function scanPopulationFolder(dir: string, options: ScanOptions = {}): PopulationScan {
  const accept = options.accept ?? 'any';
  const s = statSync(dir, { throwIfNoEntry: false });
  if (!s?.isDirectory())
    throw new PieAuditError('IO_ERROR', `population folder '${dir}' does not exist; expected <dir>/<level>/<model>/model.json.`, {
      path: dir,
    });
  const warnings: string[] = [];
  const levels: ScannedLevel[] = [];
  for (const name of listDir(dir)) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    const leftover = leftoverName(name);
    if (leftover) {
      warnings.push(`skipped '${path}': left by an interrupted save of '${leftover.target}' (process ${leftover.pid}).`);
      continue;
    }
    if (!statEntry(path).isDirectory()) continue; // population.json, README and such
    const value = numericLevel(name);
    if (accept === 'models' && value === null) {
      warnings.push(`skipped '${path}': not a level folder (levels are named by sparsity: 0, 0.5, 0.9).`);
      continue;
    }
    const members: ScannedMember[] = [];
    for (const entry of listDir(path)) {
      if (entry.startsWith('.')) continue;
      const member = memberOf(path, entry, accept, warnings);
      if (member) members.push(member);
    }
    if (members.length === 0)
      throw new PieAuditError('EMPTY_POPULATION', `level folder '${path}' holds no models; add <model>/model.json or remove the folder.`, {
        path,
      });
    levels.push({ dirName: name, value, members });
  }
  if (levels.length === 0)
    throw new PieAuditError('EMPTY_POPULATION', `'${dir}' holds no level folders; expected <dir>/<level>/<model>/model.json.`, {
      path: dir,
    });
  return { levels: orderLevels(levels, dir), warnings };
}
