import { AUDIT_CORRECTIONS, GATE_STATUSES, MODAL_TIE_BREAKS, SKIP_STATUSES, VERDICTS } from '../schema/vocabulary.js';

/** A check of one value: `null` when it conforms, else what is wrong, with a path below `at`. */
export type Shape = (value: unknown, at: string) => string | null;

const show = (v: unknown) => (v === undefined ? 'undefined' : (JSON.stringify(v) ?? String(v)).slice(0, 60));
const expect = (ok: boolean, at: string, what: string, v: unknown) => (ok ? null : `${at}: expected ${what}, got ${show(v)}`);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const str: Shape = (v, at) => expect(typeof v === 'string', at, 'a string', v);
const num: Shape = (v, at) => expect(typeof v === 'number' && Number.isFinite(v), at, 'a finite number', v);
const int: Shape = (v, at) => expect(Number.isInteger(v) && (v as number) >= 0, at, 'a non-negative integer', v);
const bool: Shape = (v, at) => expect(typeof v === 'boolean', at, 'true or false', v);
const nullable =
  (s: Shape): Shape =>
  (v, at) =>
    v === null ? null : s(v, at);
const oneOf =
  (values: readonly unknown[]): Shape =>
  (v, at) =>
    expect(values.includes(v), at, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, v);
const arr =
  (s: Shape): Shape =>
  (v, at) => {
    if (!Array.isArray(v)) return `${at}: expected an array, got ${show(v)}`;
    // A for loop, not .every: holes of a sparse array are checked too.
    for (let i = 0; i < v.length; i++) {
      const problem = s(v[i], `${at}[${i}]`);
      if (problem) return problem;
    }
    return null;
  };
const obj =
  (fields: Record<string, Shape>): Shape =>
  (v, at) => {
    if (!isPlainObject(v)) return `${at}: expected an object, got ${show(v)}`;
    for (const [name, s] of Object.entries(fields)) {
      const problem = s(Object.hasOwn(v, name) ? v[name] : undefined, at === '' ? name : `${at}.${name}`);
      if (problem) return problem;
    }
    return null;
  };
const record =
  (s: Shape): Shape =>
  (v, at) => {
    if (!isPlainObject(v)) return `${at}: expected an object, got ${show(v)}`;
    for (const [k, x] of Object.entries(v)) {
      const problem = s(x, `${at}.${k}`);
      if (problem) return problem;
    }
    return null;
  };
/** A field older writers may leave out (the renderers fall back when it is absent). */
const optional =
  (s: Shape): Shape =>
  (v, at) =>
    v === undefined ? null : s(v, at);
const anyObject: Shape = (v, at) => expect(isPlainObject(v), at, 'an object', v);
/** A `Section<T>`: `{ status: 'ok', ...T }`, or a skipped section with a reason. */
const section =
  (ok: Record<string, Shape>): Shape =>
  (v, at) => {
    if (isPlainObject(v) && v.status === 'ok') return obj(ok)(v, at);
    return obj({ status: oneOf(SKIP_STATUSES), reason: str })(v, at);
  };
/** Thumbnails go into `<img src>`: only inline PNG data, never a URL. */
const thumbnail: Shape = (v, at) =>
  expect(
    v === null || (typeof v === 'string' && /^data:image\/png;base64,[A-Za-z0-9+/]*={0,2}$/.test(v)),
    at,
    'null or a data:image/png;base64 URL',
    v,
  );

/** A bootstrap interval: `[low, high]`, or `null` when intervals are off or undefined. */
const ci: Shape = (v, at) =>
  expect(
    v === null || (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x))),
    at,
    'null or [low, high]',
    v,
  );
/** Intervals and other fields added after the first report layout: absent in older reports, checked when present. */
const added = optional;
const DESIGNS = ['paired', 'independent'];

const noiseFloorFields = {
  status: oneOf(['ok', 'inconclusive']),
  design: oneOf(DESIGNS),
  method: oneOf(['exact', 'monteCarlo']),
  splits: int,
  observed: int,
  nullMedian: num,
  nullP95: num,
  excess: num,
  excessRate: num,
  p: num,
  minAchievableP: num,
  significant: bool,
  nullDistribution: added(arr(arr(int))),
  reason: nullable(str),
};

const exemplar = obj({
  index: int,
  baselineModal: int,
  compressedModal: int,
  trueLabel: nullable(int),
  baselineAgreement: num,
  compressedAgreement: num,
  thumbnail,
});

const classImpactRow = obj({
  classIndex: int,
  className: str,
  support: int,
  baselineMeanRecall: nullable(num),
  compressedMeanRecall: nullable(num),
  baselineNormalizedRecall: nullable(num),
  compressedNormalizedRecall: nullable(num),
  normalizedRecallChange: nullable(num),
  t: nullable(num),
  df: nullable(num),
  p: nullable(num),
  pAdjusted: nullable(num),
  significant: bool,
  direction: oneOf(['hurt', 'spared', 'unchanged', null]),
  rawRecallChange: added(nullable(num)),
  rawRecallChangeCi: added(ci),
  normalizedRecallChangeCi: added(ci),
  status: oneOf(['ok', 'inconclusive']),
  reason: nullable(str),
  degenerate: bool,
  nBaseline: int,
  nCompressed: int,
});

const attributeRowFields = {
  attribute: str,
  value: str,
  countAmongPIEs: int,
  nPIEs: int,
  countOverall: int,
  nOverall: int,
  nMissing: int,
  shareAmongPIEs: nullable(num),
  shareOverall: num,
  overIndexRatio: nullable(num),
  shareDifference: nullable(num),
  oddsRatio: nullable(num),
  p: nullable(num),
  pAdjusted: nullable(num),
  significant: bool,
  status: oneOf(['ok', 'inconclusive']),
  reason: nullable(str),
};
const attributeRow = obj({ ...attributeRowFields, overIndexRatioCi: added(ci) });

const subgroupRow = obj({
  attribute: str,
  value: str,
  n: int,
  positives: int,
  negatives: int,
  baselineFpr: nullable(num),
  compressedFpr: nullable(num),
  baselineFnr: nullable(num),
  compressedFnr: nullable(num),
  fprChange: nullable(num),
  fnrChange: nullable(num),
  fprPValue: nullable(num),
  fnrPValue: nullable(num),
  baselineFprCi: added(ci),
  compressedFprCi: added(ci),
  baselineFnrCi: added(ci),
  compressedFnrCi: added(ci),
  fprChangeCi: added(ci),
  fnrChangeCi: added(ci),
  restFprChange: added(nullable(num)),
  restFnrChange: added(nullable(num)),
  fprGap: added(nullable(num)),
  fnrGap: added(nullable(num)),
  fprGapCi: added(ci),
  fnrGapCi: added(ci),
});

const level = obj({
  key: str,
  isBaseline: bool,
  numericLevel: nullable(num),
  populationSize: int,
  models: arr(
    obj({
      index: int,
      id: str,
      top1: nullable(num),
      sparsity: nullable(num),
      gzippedBytes: nullable(num),
      storedWeightBytes: added(nullable(num)),
      storedBytes: added(nullable(num)),
      latencyMs: added(obj({ batch1: num, batch: nullable(num) })),
      contentHash: added(nullable(str)),
      runtime: str,
      fallbackReason: nullable(str),
    }),
  ),
  accuracy: section({
    perModel: arr(num),
    mean: num,
    ci: added(ci),
    top1Drop: added(nullable(num)),
    top1DropCi: added(ci),
    sd: nullable(num),
    min: num,
    max: num,
  }),
  meanSparsity: nullable(num),
  meanGzippedBytes: nullable(num),
  meanStoredWeightBytes: added(nullable(num)),
  meanStoredBytes: added(nullable(num)),
  latency: added(
    section({
      source: oneOf(['measured', 'given']),
      batch1Ms: num,
      batchMs: nullable(num),
      batchSize: nullable(int),
      runtime: nullable(str),
      threads: nullable(int),
      repeats: nullable(int),
      models: int,
      machine: added(obj({ cpuModel: str, cores: int })),
    }),
  ),
  modalTies: obj({ count: int, rate: num }),
  pies: section({
    count: int,
    rate: num,
    rateCi: added(ci),
    permutation: added(obj(noiseFloorFields)),
    byTrueClass: nullable(arr(int)),
    byBaselineModal: arr(int),
  }),
  baselineAccuracyOnPies: section({
    onPies: nullable(num),
    onNonPies: nullable(num),
    modalOnPies: nullable(num),
    modalOnNonPies: nullable(num),
    nPies: int,
    nNonPies: int,
    compressedOnPies: added(nullable(num)),
    compressedOnNonPies: added(nullable(num)),
    compressedModalCorrectOnPies: added(int),
    control: added(nullable(obj({ size: int, seed: num, baselineOnSubset: num, compressedOnSubset: num }))),
  }),
  classImpact: section({
    test: added(oneOf(['welch', 'mcnemar-exact'])),
    alpha: num,
    correction: oneOf(AUDIT_CORRECTIONS),
    familySize: added(int),
    expectedFalsePositives: added(nullable(num)),
    hurtClasses: arr(int),
    sparedClasses: arr(int),
    rows: arr(classImpactRow),
  }),
  attributes: section({
    correction: added(oneOf(AUDIT_CORRECTIONS)),
    familySize: added(int),
    expectedFalsePositives: added(nullable(num)),
    rows: arr(attributeRow),
  }),
  subgroups: section({ positiveClass: int, rows: arr(subgroupRow) }),
  topK: added(section({ k: int, perModel: arr(num), mean: num })),
  taxicab: added(
    section({
      meanDistance: num,
      topN: int,
      nPIEsInTopN: int,
      pieShareInTopN: num,
      top: arr(obj({ index: int, distance: num, isPIE: bool })),
    }),
  ),
  exemplars: arr(exemplar),
  intervals: added(obj({ source: oneOf(['models and examples', 'examples only']), reason: str })),
  flips: added(
    section({
      lost: int,
      gained: int,
      changed: int,
      rate: num,
      p: num,
      alpha: num,
      significant: bool,
      top1Drop: num,
      top1DropCi: ci,
      examples: arr(exemplar),
      populationNote: str,
    }),
  ),
  intersections: added(
    section({
      maxOrder: int,
      minSupport: int,
      belowSupport: int,
      correction: oneOf(AUDIT_CORRECTIONS),
      familySize: added(int),
      expectedFalsePositives: added(nullable(num)),
      rows: arr(obj({ ...attributeRowFields, attributes: arr(str), values: arr(str) })),
    }),
  ),
});

const gateResult = obj({
  gate: str,
  level: str,
  attribute: nullable(str),
  value: nullable(str),
  threshold: num,
  observed: nullable(num),
  status: oneOf(GATE_STATUSES),
  reason: str,
  interval: added(ci),
  waived: added(bool),
});

/**
 * The shape of an {@link AuditReport} as the renderers and `evaluateGates` read it: every field they
 * touch, with its type, and closed vocabularies (statuses, directions, verdicts) as lists, so a crafted
 * report.json can neither crash a renderer nor smuggle markup through a field rendered as a keyword.
 *
 * @example
 * REPORT_SHAPE(JSON.parse(text), ''); // null, or e.g. 'levels[1].pies.count: expected a non-negative integer, got "x"'
 */
export const REPORT_SHAPE: Shape = obj({
  generatedAt: str,
  environment: obj({
    pieAuditVersion: str,
    nodeVersion: str,
    platform: str,
    arch: str,
    backend: nullable(
      obj({
        name: str,
        details: record((v, at) =>
          expect(v === null || ['string', 'number', 'boolean'].includes(typeof v), at, 'a string, number, boolean or null', v),
        ),
      }),
    ),
    runtimes: record(int),
    machine: added(obj({ cpuModel: str, cores: int })),
  }),
  config: obj({
    alpha: num,
    correction: oneOf(AUDIT_CORRECTIONS),
    attributeCorrection: added(oneOf(AUDIT_CORRECTIONS)),
    tieBreak: oneOf(MODAL_TIE_BREAKS),
    baseline: str,
    levels: arr(str),
    positiveClass: nullable(int),
    seed: nullable(num),
    maxExemplars: int,
    gates: nullable(anyObject),
    bootstrap: added(obj({ resamples: int, confidence: num, seed: num })),
    noiseFloor: added(obj({ design: str, maxExactSplits: int, draws: int, seed: num })),
    probabilities: added(bool),
    latency: added(obj({ enabled: bool, repeats: int, maxSeconds: num })),
  }),
  testSet: obj({
    n: int,
    inputShape: nullable(arr(int)),
    hasLabels: bool,
    labelCounts: nullable(arr(int)),
    attributeNames: arr(str),
    labelsHash: added(nullable((v, at) => expect(typeof v === 'string' && /^[0-9a-f]{64}$/.test(v), at, 'a sha256 hex digest', v))),
  }),
  classNames: arr(str),
  baselineLevel: str,
  levels: arr(level),
  gates: nullable(
    obj({
      verdict: oneOf(GATE_STATUSES),
      exitCode: oneOf([0, 1, 3]),
      decision: added(oneOf(['point', 'confident'])),
      results: arr(gateResult),
      waived: added(nullable(obj({ classes: arr(str), attributes: arr(str), reason: str }))),
    }),
  ),
  design: added(obj({ design: oneOf(DESIGNS), reason: str, memberIds: record(arr(nullable(str))) })),
  verdict: oneOf(VERDICTS),
  exitCode: oneOf([0, 1, 2, 3]),
  warnings: arr(str),
  sanityWarnings: added(arr(str)),
  timings: optional(obj({ evaluationSeconds: num, analysisSeconds: num, totalSeconds: num, latencySeconds: added(num) })),
});
