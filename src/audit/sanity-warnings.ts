import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { findPIEs } from '../analysis/find-pies.js';
import type { LevelReport } from '../schema/index.js';
import type { ModalTieBreak } from '../schema/vocabulary.js';
import type { ResolvedMember } from './resolve-population.js';

/** Measured mean sparsity further than this from a level's numeric name is flagged. */
export const SPARSITY_NAME_TOLERANCE = 0.1;
/** PIE counts under the two tie rules that differ by more than this share (of the larger) are both reported. */
export const TIE_RULE_TOLERANCE = 0.05;
const MAX_LISTED = 5;

/** What {@link sanityWarnings} reads. @internal */
export interface SanityInput {
  levels: readonly LevelReport[];
  baseline: string;
  /** Members in population order, with the level each belongs to. */
  members: readonly ResolvedMember[];
  /** Display id of each member (as in the report's `models[].id`), in the same order. */
  memberIds: readonly string[];
  /** Top-1 predictions of each member, in the same order. */
  predictions: readonly Uint16Array[];
  nClasses: number;
  tieBreak: ModalTieBreak;
}

/**
 * The sanity checks shown at the top of every report, each a warning only when it fires: members with identical
 * predictions within or across levels (and whether their files are byte-identical), levels whose measured sparsity
 * is far from their numeric name, numeric levels outside [0, 1) that look like percents, and levels whose PIE count
 * changes by more than 5 % with the modal tie rule (both counts given).
 * @internal
 * @example
 * await sanityWarnings({ levels, baseline: '0', members, memberIds, predictions, nClasses: 10, tieBreak: 'max' });
 * // ["level '0.9' member 'seed-2' has the same predictions as level '0' member 'seed-2' on all 10000 examples ..."]
 */
export async function sanityWarnings(input: SanityInput): Promise<string[]> {
  return [...(await identicalMembers(input)), ...sparsityNames(input.levels), ...percentLevels(input.levels), ...tieRuleCounts(input)];
}

/** Members whose predictions are equal on every example: copies audited as independent models. */
async function identicalMembers(input: SanityInput): Promise<string[]> {
  const { members, predictions, memberIds } = input;
  const byHash = new Map<string, number[]>();
  predictions.forEach((p, k) => {
    const key = createHash('sha256')
      .update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength))
      .digest('hex');
    const list = byHash.get(key);
    if (list) list.push(k);
    else byHash.set(key, [k]);
  });
  const lines: string[] = [];
  for (const group of byHash.values()) {
    if (group.length < 2) continue;
    const first = group[0];
    const name = (k: number) => `level '${members[k].level}' member '${memberIds[k]}'`;
    const paths = group.map((k) => (typeof members[k].source === 'string' ? (members[k].source as string) : null));
    const digests = await Promise.all(paths.map((p) => (p === null ? null : fileDigest(p))));
    const sameBytes = digests.every((d) => d !== null && d === digests[0]);
    const across = new Set(group.map((k) => members[k].level)).size > 1;
    const listed = group.slice(1, 1 + MAX_LISTED).map(name);
    const more = group.length - 1 > MAX_LISTED ? ` and ${group.length - 1 - MAX_LISTED} more` : '';
    lines.push(
      `${listed.join(', ')}${more} ${group.length === 2 ? 'has' : 'have'} the same predictions as ${name(first)} on all ` +
        `${predictions[first].length} examples${sameBytes ? ' (the files are byte-identical)' : ''}: ` +
        (across
          ? 'a compressed model identical to another level is no compression; check the files'
          : 'identical models are not independent members, so tests count them twice; remove the copies'),
    );
  }
  return lines;
}

/**
 * SHA-256 of a file's bytes, read in chunks; `null` when it is not a readable regular file, or a tfjs `model.json`
 * (its weights are in other files, so equal bytes would not mean an equal model).
 */
async function fileDigest(path: string): Promise<string | null> {
  if (/(^|[\\/])model\.json$/i.test(path)) return null;
  try {
    if (!statSync(path).isFile()) return null;
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch {
    return null;
  }
}

/** Numeric levels in [0, 1] whose measured mean sparsity is far from the number they are named by. */
function sparsityNames(levels: readonly LevelReport[]): string[] {
  const lines: string[] = [];
  for (const level of levels) {
    const named = level.numericLevel;
    if (named === null || named < 0 || named > 1 || level.meanSparsity === null) continue;
    if (Math.abs(level.meanSparsity - named) > SPARSITY_NAME_TOLERANCE) {
      lines.push(
        `level '${level.key}' is named for ${(named * 100).toFixed(1)} % sparsity but its models measure ` +
          `${(level.meanSparsity * 100).toFixed(1)} % zero weights: check the files are the level's models (or name the level ` +
          'for what it is)',
      );
    }
  }
  return lines;
}

/** Numeric level names outside [0, 1): sparsities are fractions, so 30 or 90 are most likely percents. */
function percentLevels(levels: readonly LevelReport[]): string[] {
  const lines: string[] = [];
  for (const level of levels) {
    const v = level.numericLevel;
    if (v === null || (v >= 0 && v < 1)) continue;
    const hint = v > 1 && v <= 100 ? `; if it means ${v} % sparsity, name it ${v / 100} (charts and gates read levels as fractions)` : '';
    lines.push(`level '${level.key}' is outside [0, 1), the range of a sparsity${hint}`);
  }
  return lines;
}

/** Levels whose PIE count depends on the modal tie rule by more than 5 %: both counts, so a reader sees the range. */
function tieRuleCounts(input: SanityInput): string[] {
  const { levels, members, predictions, baseline, nClasses, tieBreak } = input;
  const of = (key: string) => predictions.filter((_, k) => members[k].level === key);
  const base = of(baseline);
  const other: ModalTieBreak = tieBreak === 'max' ? 'min' : 'max';
  const lines: string[] = [];
  for (const level of levels) {
    if (level.isBaseline || level.pies.status !== 'ok' || (level.modalTies.count === 0 && baselineTies(levels, baseline) === 0)) continue;
    const used = level.pies.count;
    const alternative = findPIEs(base, of(level.key), { tieBreak: other, nClasses }).count;
    const larger = Math.max(used, alternative);
    if (larger > 0 && Math.abs(used - alternative) / larger > TIE_RULE_TOLERANCE) {
      lines.push(
        `level '${level.key}': ${used} PIEs with tie rule '${tieBreak}' but ${alternative} with '${other}' ` +
          `(${level.modalTies.count} tied modal labels at this level, ${baselineTies(levels, baseline)} in the baseline): PIE counts ` +
          'and rates depend on the tie rule; add models ' +
          '(an odd count helps two-way ties)',
      );
    }
  }
  return lines;
}

function baselineTies(levels: readonly LevelReport[], baseline: string): number {
  return levels.find((l) => l.key === baseline)?.modalTies.count ?? 0;
}
