import { PieAuditError } from '../errors.js';
import { readText } from './read-bytes.js';

/** CelebA attribute annotations (`list_attr_celeba.txt`). */
export interface CelebaAttributes {
  /** Image file names in file order, e.g. `'000001.jpg'`. */
  imageIds: string[];
  /** The 40 attribute names of the header line (any number is accepted). */
  attributeNames: string[];
  /** Per attribute, one value per image: 1 (present) or -1 (absent). */
  values: Record<string, Int8Array>;
}

function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/**
 * Reads CelebA's `list_attr_celeba.txt`: line 1 the image count, line 2 the attribute names
 * separated by spaces, then one line per image: the file name and one `1`/`-1` per attribute,
 * separated by one or more spaces.
 *
 * @throws PieAuditError `CORRUPT_FILE`
 * @example
 * const attrs = readCelebaAttributes('list_attr_celeba.txt');
 * attrs.values.Blond_Hair[0]; // -1
 */
export function readCelebaAttributes(source: string | Uint8Array): CelebaAttributes {
  const name = typeof source === 'string' ? `CelebA attribute file '${source}'` : 'CelebA attribute text';
  const lines = splitLines(readText(source, 'CelebA attribute file'));
  if (lines.length < 2) throw new PieAuditError('CORRUPT_FILE', `The ${name} needs a count line and a header line of attribute names.`);
  const declared = Number(lines[0]);
  if (!Number.isInteger(declared) || declared < 0)
    throw new PieAuditError('CORRUPT_FILE', `The ${name} must start with the number of images; found '${lines[0]}'.`);
  const attributeNames = lines[1].split(/\s+/);
  const body = lines.slice(2);
  if (body.length !== declared)
    throw new PieAuditError('CORRUPT_FILE', `The ${name} declares ${declared} images but lists ${body.length}.`);
  // Names come from the file: a null-prototype record, so `__proto__` or `constructor` are plain keys.
  const values: Record<string, Int8Array> = Object.create(null) as Record<string, Int8Array>;
  for (const a of attributeNames) {
    if (Object.hasOwn(values, a))
      throw new PieAuditError('CORRUPT_FILE', `The ${name} names attribute '${a}' twice in its header; attribute names must be distinct.`, {
        attribute: a,
      });
    values[a] = new Int8Array(body.length);
  }
  const imageIds: string[] = [];
  body.forEach((line, r) => {
    const parts = line.split(/\s+/);
    if (parts.length !== attributeNames.length + 1) {
      throw new PieAuditError(
        'CORRUPT_FILE',
        `The ${name} line ${r + 3} has ${parts.length - 1} values, the header names ${attributeNames.length} attributes.`,
        { line: r + 3 },
      );
    }
    imageIds.push(parts[0]);
    for (let a = 0; a < attributeNames.length; a++) {
      const v = parts[a + 1];
      if (v !== '1' && v !== '-1')
        throw new PieAuditError(
          'CORRUPT_FILE',
          `The ${name} line ${r + 3} attribute '${attributeNames[a]}' is '${v.slice(0, 16)}'; values must be 1 or -1.`,
          { line: r + 3 },
        );
      values[attributeNames[a]][r] = v === '1' ? 1 : -1;
    }
  });
  return { imageIds, attributeNames, values };
}

/** CelebA's official split (`list_eval_partition.txt`). */
export interface CelebaPartition {
  imageIds: string[];
  /** 0 train, 1 validation, 2 test, per image. */
  partition: Uint8Array;
}

/**
 * Reads CelebA's `list_eval_partition.txt`: one line per image, the file name and 0 (train),
 * 1 (validation) or 2 (test).
 *
 * @throws PieAuditError `CORRUPT_FILE`
 * @example
 * const { imageIds, partition } = readCelebaPartition('list_eval_partition.txt');
 */
export function readCelebaPartition(source: string | Uint8Array): CelebaPartition {
  const name = typeof source === 'string' ? `CelebA partition file '${source}'` : 'CelebA partition text';
  const lines = splitLines(readText(source, 'CelebA partition file'));
  const imageIds: string[] = [];
  const partition = new Uint8Array(lines.length);
  lines.forEach((line, r) => {
    const parts = line.split(/\s+/);
    if (parts.length !== 2 || !['0', '1', '2'].includes(parts[1])) {
      throw new PieAuditError(
        'CORRUPT_FILE',
        `The ${name} line ${r + 1} must be '<image> <0|1|2>' (it holds ${parts.length} fields); use CelebA's list_eval_partition.txt.`,
        { line: r + 1 },
      );
    }
    imageIds.push(parts[0]);
    partition[r] = Number(parts[1]);
  });
  return { imageIds, partition };
}

const SPLITS: ReadonlyMap<string, number> = new Map([
  ['train', 0],
  ['validation', 1],
  ['test', 2],
]);

/**
 * Keeps the rows of a CelebA attribute table that belong to one split, matched by image name, in
 * attribute-file order. Returns the kept row indices too, to select the matching predictions.
 *
 * @throws PieAuditError `INVALID_ARGUMENT`
 * @example
 * const test = selectCelebaSplit(attrs, partition, 'test');
 * test.values.Male.length === test.imageIds.length;
 */
export function selectCelebaSplit(
  attributes: CelebaAttributes,
  partition: CelebaPartition,
  split: 'train' | 'validation' | 'test',
): CelebaAttributes & { rows: number[] } {
  const wanted = typeof split === 'string' ? SPLITS.get(split) : undefined;
  if (wanted === undefined)
    throw new PieAuditError('INVALID_ARGUMENT', `split must be 'train', 'validation' or 'test'; got ${JSON.stringify(split)}.`, {
      argument: 'split',
    });
  const byId = new Map<string, number>();
  partition.imageIds.forEach((id, i) => byId.set(id, partition.partition[i]));
  const rows: number[] = [];
  attributes.imageIds.forEach((id, i) => {
    const p = byId.get(id);
    if (p === undefined)
      throw new PieAuditError(
        'INVALID_ARGUMENT',
        `Image '${id}' of the attribute file is missing from the partition file; use files from the same CelebA release.`,
        { imageId: id },
      );
    if (p === wanted) rows.push(i);
  });
  const values: Record<string, Int8Array> = Object.create(null) as Record<string, Int8Array>;
  for (const a of attributes.attributeNames) values[a] = Int8Array.from(rows, (r) => attributes.values[a][r]);
  return { imageIds: rows.map((r) => attributes.imageIds[r]), attributeNames: attributes.attributeNames, values, rows };
}
