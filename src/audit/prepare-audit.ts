import { loadPredictions } from '../evaluate/predictions/load-predictions.js';
import { resolveSource } from '../evaluate/resolve-source.js';
import type { ModelSource } from '../evaluate/types.js';
import type { PopulationDesignEcho } from '../schema/index.js';
import type { AuditOptions } from './audit-options.js';
import { memberFile } from './population-design.js';
import { resolvePopulation, type ResolvedMember } from './resolve-population.js';
import { validateAuditOptions, type NormalizedAudit } from './validate-audit-options.js';

/**
 * How a member is read: a tfjs, Keras (`.h5` / `.keras`, rebuilt as a tfjs model), ONNX or TFLite model (run on
 * the inputs), a predictions file, or values in memory.
 */
export type MemberKind = 'tfjs-model' | 'keras-model' | 'onnx-model' | 'tflite-model' | 'predictions-file' | 'function' | 'predictions';

/** A population member, classified once for every path that evaluates it (in process, a shard, a queue worker). */
export interface PreparedMember extends ResolvedMember {
  readonly kind: MemberKind;
  /** The file it is read from (`null` for members in memory): what a plan hashes and a worker opens. */
  readonly file: string | null;
  /** A tfjs model must run: a tfjs backend is needed. */
  readonly needsBackend: boolean;
  /** The member runs on the test inputs (a model or a function). */
  readonly needsInputs: boolean;
}

/** An audit ready to evaluate: what `runAudit`, `plan`, `run-shard` and `merge` all start from. */
export interface PreparedAudit {
  /** The options, validated and normalised (labels, inputs, levels, gates, ...). */
  readonly config: NormalizedAudit;
  /** Every member in population order (levels in order, members in order), classified. */
  readonly members: readonly PreparedMember[];
  /** The number of test examples. */
  readonly n: number;
  /** Each level's members as [start, end) of `members`. */
  readonly levelRanges: ReadonlyMap<string, { start: number; end: number }>;
  readonly design: PopulationDesignEcho;
  /** Some member is a tfjs model: the audit starts a tfjs backend. */
  readonly runsModels: boolean;
}

/**
 * Validates audit options once and classifies every member once, so the in-process audit and the distributed
 * paths share one reading of them: the number of examples (given, from the labels or inputs, from a member in
 * memory, or, for a population of predictions files without labels or inputs, from the first file), each
 * member's kind and file, the level ranges and the population design.
 *
 * @throws PieAuditError what `auditCompression` throws for invalid options (`CONFIG_ERROR` naming the key, ...).
 * @example
 * const prepared = await prepareAudit({ population: { 0: ['base.npy'], 0.9: ['pruned.npy'] }, testSet: {} });
 * prepared.n; // the examples in base.npy
 * prepared.members[1].kind; // 'predictions-file'
 */
export async function prepareAudit(options: AuditOptions): Promise<PreparedAudit> {
  const config = validateAuditOptions(await withExampleCount(options));
  const members = config.population.members.map((m) => prepareMember(m));
  return {
    config,
    members,
    n: config.n,
    levelRanges: config.population.ranges,
    design: config.design,
    runsModels: members.some((m) => m.needsBackend),
  };
}

/** Without labels, inputs or n, a population of predictions files says how many examples there are: its first file. */
async function withExampleCount(options: AuditOptions): Promise<AuditOptions> {
  const ts = options.testSet;
  if (!ts || typeof ts !== 'object' || ts.n !== undefined || ts.labels || ts.inputs || ts.batches || ts.images || !options.population)
    return options;
  const first = resolvePopulation(options.population).members[0];
  if (!first) return options;
  const kind = memberKind(first.source, `population['${first.level}'][${first.index}]`);
  const file = memberFile(first.source);
  if (kind !== 'predictions-file' || file === null) return options;
  return { ...options, testSet: { ...ts, n: (await loadPredictions(file)).n } };
}

function prepareMember(m: ResolvedMember): PreparedMember {
  const kind = memberKind(m.source, `population['${m.level}'][${m.index}]`);
  const model = kind === 'tfjs-model' || kind === 'keras-model';
  return {
    ...m,
    kind,
    file: memberFile(m.source),
    needsBackend: model,
    needsInputs: model || kind === 'onnx-model' || kind === 'tflite-model' || kind === 'function',
  };
}

/** The member's kind, by the rules the evaluator reads it with. */
function memberKind(source: ModelSource, what: string): MemberKind {
  const kind = resolveSource(source, what).kind;
  if (kind === 'layers' || kind === 'graph' || kind === 'tfjs-file') return 'tfjs-model';
  if (kind === 'keras-file') return 'keras-model';
  if (kind === 'onnx-file') return 'onnx-model';
  if (kind === 'tflite-file') return 'tflite-model';
  if (kind === 'predictions-file') return 'predictions-file';
  if (kind === 'function') return 'function';
  return 'predictions';
}
