/** `<name>.tmp-<pid>-<hex>` / `<name>.old-<pid>-<hex>`: the sibling folders a directory replacement makes. */
const LEFTOVER = /^(.+)\.(tmp|old)-(\d+)-([0-9a-f]+)$/;

/** A leftover of an interrupted directory replacement (`saveLayersModel`, `savePopulation`). */
export interface LeftoverName {
  /** The directory it belongs to (`seed-1` for `seed-1.old-123-ab12cd34`). */
  target: string;
  /** `tmp`: a half-written new copy; `old`: the previous copy, moved aside. */
  kind: 'tmp' | 'old';
  pid: number;
}

/**
 * Recognises the names of leftovers of a killed save, which must never be read as models or levels.
 *
 * @example
 * leftoverName('seed-1.old-4242-0a1b2c3d'); // { target: 'seed-1', kind: 'old', pid: 4242 }
 * leftoverName('seed-1'); // null
 */
export function leftoverName(name: string): LeftoverName | null {
  const m = LEFTOVER.exec(name);
  return m ? { target: m[1], kind: m[2] as 'tmp' | 'old', pid: Number(m[3]) } : null;
}
