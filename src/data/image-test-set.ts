import { readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PieAuditError } from '../errors.js';
import { readCelebaAttributes, readCelebaPartition, selectCelebaSplit } from './celeba.js';
import { readCsv } from './csv.js';

/** Image files of a test set in test-set order, with what their layout says about each one. */
export interface ImageTestSet {
  /** Absolute paths, in test-set order. */
  paths: string[];
  /** Class index per image, or null when the layout gives none. */
  labels: Uint16Array | null;
  /** Class names the layout defines (folder names, or the label column's names), or null. */
  classNames: string[] | null;
  /** Further columns per image (a CSV's extra columns, CelebA's attributes); null-prototype record. */
  attributes: Record<string, Array<number | string | null>>;
}

/** Where an image test set comes from (`testSet.images`). */
export type ImageSource =
  | string
  | { folder: string }
  | { list: string; root?: string; pathColumn?: string; labelColumn?: string }
  | { celeba: string; split?: 'train' | 'validation' | 'test'; labelsFromAttribute: string; attributeNames?: readonly string[] };

const READ = new Set(['.jpg', '.jpeg', '.png']);
/** Image types torchvision's ImageFolder would list but pie-audit cannot decode: an error, never a silent skip. */
const UNREAD = new Set(['.bmp', '.gif', '.tif', '.tiff', '.webp', '.ppm', '.pgm', '.pbm']);
const extension = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot).toLowerCase();
};
const bad = (key: string, message: string) => new PieAuditError('CONFIG_ERROR', `${key}: ${message}`, { key });

/** Code-point order (Python's sorted() on str). */
const byCodePoint = (a: string, b: string) => {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
};

function entriesOf(dir: string, key: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new PieAuditError('IO_ERROR', `${key}: cannot read folder '${dir}' (${(e as Error).message}).`, { key, path: dir });
  }
}

/** Whether an entry is a directory or file, following symbolic links. */
function kindOf(path: string, entry: { isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean }): 'dir' | 'file' | null {
  if (!entry.isSymbolicLink()) return entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : null;
  try {
    const s = statSync(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : null;
  } catch {
    return null;
  }
}

/**
 * The images under one class folder in torchvision's order: `sorted(os.walk(dir))` (directories by their path
 * string), then file names sorted within each directory. Links are followed, each real directory once.
 */
function imagesUnder(root: string, key: string): string[] {
  const dirs: Array<{ path: string; files: string[] }> = [];
  const seen = new Set<string>();
  const walk = (dir: string) => {
    const real = realpathSync(dir);
    if (seen.has(real)) return;
    seen.add(real);
    const files: string[] = [];
    for (const e of entriesOf(dir, key)) {
      const path = join(dir, e.name);
      const kind = kindOf(path, e);
      if (kind === 'dir') walk(path);
      else if (kind === 'file' && READ.has(extension(e.name))) files.push(e.name);
      else if (kind === 'file' && UNREAD.has(extension(e.name)))
        throw new PieAuditError(
          'CORRUPT_FILE',
          `${key}: '${path}' is a ${extension(e.name)} image; only JPEG and PNG are read. Convert it to PNG.`,
          {
            key,
            file: path,
          },
        );
    }
    dirs.push({ path: dir, files: files.sort(byCodePoint) });
  };
  walk(root);
  dirs.sort((a, b) => byCodePoint(a.path, b.path));
  return dirs.flatMap((d) => d.files.map((f) => join(d.path, f)));
}

/**
 * Lists an image folder laid out as torchvision's `ImageFolder` (and Keras' `image_dataset_from_directory`) expect:
 * one subfolder per class, classes in sorted folder-name order, images in sorted path order; labels are the
 * folder indices and class names the folder names. Only `.jpg`, `.jpeg` and `.png` files are listed; other image
 * types raise an error, other files are ignored.
 *
 * @throws PieAuditError `CONFIG_ERROR` for a folder without class folders or images, `IO_ERROR`, `CORRUPT_FILE`
 * @example
 * const { paths, labels, classNames } = listImageFolder('val'); // val/cat/1.jpg, val/dog/2.png, ...
 */
export function listImageFolder(folder: string, key = 'testSet.images'): ImageTestSet {
  const root = resolve(folder);
  const classes = entriesOf(root, key)
    .filter((e) => kindOf(join(root, e.name), e) === 'dir')
    .map((e) => e.name)
    .sort(byCodePoint);
  if (classes.length === 0) throw bad(key, `'${root}' has no class folders; put each class's images in a folder named after the class.`);
  const paths: string[] = [];
  const labels: number[] = [];
  classes.forEach((c, k) => {
    for (const p of imagesUnder(join(root, c), key)) {
      paths.push(p);
      labels.push(k);
    }
  });
  if (paths.length === 0) throw bad(key, `'${root}' holds no .jpg, .jpeg or .png images under its class folders.`);
  if (classes.length > 65536) throw bad(key, `'${root}' has ${classes.length} class folders; at most 65,536 are supported.`);
  return { paths, labels: Uint16Array.from(labels), classNames: classes, attributes: Object.create(null) };
}

/** A path from a data file, resolved inside `root`: data never points outside its folder. */
function inside(root: string, path: string, key: string, row: number): string {
  const full = resolve(root, path);
  const rel = relative(root, full);
  if (path === '' || isAbsolute(path) || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel))
    throw bad(key, `row ${row}: path '${path.slice(0, 200)}' is not a relative path inside '${root}'.`);
  return full;
}

/** A cell as an attribute value: a number when it reads as one, null when empty, else the string. */
const cellValue = (cell: string): number | string | null => {
  const t = cell.trim();
  if (t === '' || t === 'NA') return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : cell;
};

/** Labels of a column: class indices when every cell is an integer >= 0, else class names in sorted order. */
function labelColumn(cells: string[], key: string): { labels: Uint16Array; classNames: string[] | null } {
  if (cells.every((c) => /^\s*\d+\s*$/.test(c))) {
    const labels = Uint16Array.from(cells, Number);
    if (cells.some((c) => Number(c) > 65535)) throw bad(key, 'labels must be class indices below 65,536.');
    return { labels, classNames: null };
  }
  const names = [...new Set(cells)].sort(byCodePoint);
  const index = new Map(names.map((n, i) => [n, i]));
  return { labels: Uint16Array.from(cells, (c) => index.get(c)!), classNames: names };
}

/**
 * Reads a CSV list of images: a path column (default `path`, relative to `root`, default the CSV's folder), an
 * optional label column (default `label`: class indices, or class names numbered in sorted order), and any further
 * columns as attributes. Rows keep the CSV's order.
 *
 * @throws PieAuditError `CONFIG_ERROR` naming the column or row, `IO_ERROR`, `CORRUPT_FILE`
 * @example
 * const set = readImageList({ list: 'test.csv' }); // path,label,skin_tone
 */
export function readImageList(
  source: { list: string; root?: string; pathColumn?: string; labelColumn?: string },
  key = 'testSet.images',
): ImageTestSet {
  const table = readCsv(source.list);
  const root = resolve(source.root ?? dirname(resolve(source.list)));
  const pathColumn = source.pathColumn ?? 'path';
  const p = table.columns.indexOf(pathColumn);
  if (p < 0) throw bad(`${key}.pathColumn`, `'${source.list}' has no column '${pathColumn}'; its columns: ${table.columns.join(', ')}.`);
  if (table.rows.length === 0) throw bad(`${key}.list`, `'${source.list}' lists no images.`);
  const labelName = source.labelColumn ?? 'label';
  const l = table.columns.indexOf(labelName);
  if (l < 0 && source.labelColumn !== undefined)
    throw bad(`${key}.labelColumn`, `'${source.list}' has no column '${labelName}'; its columns: ${table.columns.join(', ')}.`);
  const paths = table.rows.map((row, r) => inside(root, row[p], `${key}.list`, r + 2));
  const labelled =
    l >= 0
      ? labelColumn(
          table.rows.map((row) => row[l]),
          `${key}.labelColumn`,
        )
      : null;
  const attributes = Object.create(null) as ImageTestSet['attributes'];
  table.columns.forEach((name, c) => {
    if (c !== p && c !== l) attributes[name] = table.rows.map((row) => cellValue(row[c]));
  });
  return { paths, labels: labelled?.labels ?? null, classNames: labelled?.classNames ?? null, attributes };
}

/**
 * Reads a CelebA download as an image test set: `img_align_celeba/` images of one split (`list_eval_partition.txt`,
 * default `test`) in attribute-file order, labels from one attribute (1 -> class 1, -1 -> class 0), and the other
 * attributes (or `attributeNames`) as groups, -1/1 per image.
 *
 * @throws PieAuditError `CONFIG_ERROR` naming the attribute, `CORRUPT_FILE`, `IO_ERROR`
 * @example
 * const set = readCelebaImages({ celeba: 'celeba', labelsFromAttribute: 'Blond_Hair', attributeNames: ['Male', 'Young'] });
 */
export function readCelebaImages(
  source: { celeba: string; split?: 'train' | 'validation' | 'test'; labelsFromAttribute: string; attributeNames?: readonly string[] },
  key = 'testSet.images',
): ImageTestSet {
  const root = resolve(source.celeba);
  const all = readCelebaAttributes(join(root, 'list_attr_celeba.txt'));
  const split = selectCelebaSplit(all, readCelebaPartition(join(root, 'list_eval_partition.txt')), source.split ?? 'test');
  const label = source.labelsFromAttribute;
  if (typeof label !== 'string' || !split.attributeNames.includes(label))
    throw bad(`${key}.labelsFromAttribute`, `'${String(label)}' is not a CelebA attribute; e.g. Blond_Hair, Smiling, Eyeglasses.`);
  const names = source.attributeNames ?? split.attributeNames.filter((a) => a !== label);
  const attributes = Object.create(null) as ImageTestSet['attributes'];
  for (const name of names) {
    if (!split.attributeNames.includes(name)) throw bad(`${key}.attributeNames`, `'${name}' is not a CelebA attribute.`);
    attributes[name] = Array.from(split.values[name]);
  }
  if (split.imageIds.length === 0) throw bad(`${key}.split`, `CelebA's ${source.split ?? 'test'} split holds no images in '${root}'.`);
  const images = join(root, 'img_align_celeba');
  return {
    paths: split.imageIds.map((id, r) => inside(images, id, `${key}.celeba`, r + 1)),
    labels: Uint16Array.from(split.values[label], (v) => (v === 1 ? 1 : 0)),
    classNames: [`not ${label}`, label],
    attributes,
  };
}

/**
 * Lists an image test set from any of its forms (`testSet.images`): a class-folder tree, a CSV list or CelebA.
 *
 * @throws PieAuditError `CONFIG_ERROR` naming the key
 * @example
 * listImageTestSet('val').paths.length;
 */
export function listImageTestSet(source: ImageSource, key = 'testSet.images'): ImageTestSet {
  if (typeof source === 'string') return listImageFolder(source, key);
  if (typeof source !== 'object' || source === null || Array.isArray(source))
    throw bad(
      key,
      `must be a folder path, { folder }, { list, root?, pathColumn?, labelColumn? } or { celeba, labelsFromAttribute, split? }.`,
    );
  const keys = Object.keys(source);
  const allowed =
    'folder' in source
      ? ['folder']
      : 'list' in source
        ? ['list', 'root', 'pathColumn', 'labelColumn']
        : 'celeba' in source
          ? ['celeba', 'split', 'labelsFromAttribute', 'attributeNames']
          : [];
  if (allowed.length === 0) throw bad(key, `needs one of 'folder', 'list' or 'celeba'; got keys ${keys.join(', ') || '(none)'}.`);
  for (const k of keys) if (!allowed.includes(k)) throw bad(`${key}.${k}`, `unknown key; known here: ${allowed.join(', ')}.`);
  for (const k of ['folder', 'list', 'root', 'celeba', 'pathColumn', 'labelColumn'] as const) {
    const v = (source as Record<string, unknown>)[k];
    if (v !== undefined && (typeof v !== 'string' || v === ''))
      throw bad(`${key}.${k}`, `must be a non-empty string; got ${JSON.stringify(v)}.`);
  }
  if ('folder' in source) return listImageFolder(source.folder, key);
  if ('list' in source) return readImageList(source, key);
  return readCelebaImages(source, key);
}
