import { PieAuditError } from '../errors.js';
import { assertKnownKeys } from '../schema/known-keys.js';
import { matchLevelKey } from '../schema/level-key.js';
import type { GatesConfig } from '../schema/index.js';
import { GATE_DECISIONS, isOneOf } from '../schema/vocabulary.js';

const LEVEL_GATES = [
  'maxPieRate',
  'maxPieCount',
  'maxSignificantlyHurtClasses',
  'minTop1',
  'maxTop1Drop',
  'maxClassRecallDrop',
  'maxExcessPieRate',
] as const;
const ATTRIBUTE_GATES = ['maxOverIndex', 'maxFprIncrease', 'maxFnrIncrease', 'maxFprGap', 'maxFnrGap', 'levels'] as const;
const FRACTION_GATES: readonly string[] = ['maxPieRate', 'minTop1', 'maxTop1Drop', 'maxExcessPieRate', 'maxClassRecallDrop'];
const COUNT_GATES: readonly string[] = ['maxPieCount', 'maxSignificantlyHurtClasses'];

/** What a gate config is checked against: the report's levels, baseline, attributes and (optionally) classes. */
export interface GateContext {
  levels: readonly string[];
  baseline: string;
  attributeNames: readonly string[];
  /** Class names, to check `maxClassRecallDrop` keys and `waive.classes`; unchecked when omitted. */
  classNames?: readonly string[];
}

function fail(key: string, message: string): never {
  throw new PieAuditError('CONFIG_ERROR', `gates.${key}: ${message}`, { key: `gates.${key}` });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const quoteAll = (names: readonly string[]) => names.map((a) => `'${a}'`).join(', ');

function checkLevel(key: string, level: string, context: GateContext | undefined): void {
  if (!context) return;
  const match = matchLevelKey(level, context.levels);
  if (match === null) fail(key, `unknown level '${level}'; the report's levels are ${quoteAll(context.levels)}.`);
  if (match === context.baseline && key.split('.')[0] !== 'minTop1') {
    fail(key, `'${level}' is the baseline level, which has no PIEs or class tests by definition; gate a compressed level instead.`);
  }
}

function checkClassName(key: string, name: string, context: GateContext | undefined): void {
  if (context?.classNames && !context.classNames.includes(name))
    fail(key, `unknown class '${name}'; the classes are ${quoteAll(context.classNames)}.`);
}

function checkNumber(key: string, gate: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(key, `must be a finite number; got ${JSON.stringify(v)}.`);
  if (FRACTION_GATES.includes(gate) && (v < 0 || v > 1)) fail(key, `is a fraction and must lie in [0, 1]; got ${v}.`);
  if (COUNT_GATES.includes(gate) && (v < 0 || !Number.isInteger(v))) fail(key, `must be a non-negative integer; got ${v}.`);
}

/** A per-class threshold map: class names (or `default`) to fractions. */
function checkClassThresholds(key: string, value: Record<string, unknown>, context: GateContext | undefined): void {
  if (Object.keys(value).length === 0) fail(key, 'sets no threshold; give a number or { "default": 0.05, "<class name>": 0.3 }.');
  for (const [name, v] of Object.entries(value)) {
    if (name !== 'default') checkClassName(`${key}.${name}`, name, context);
    checkNumber(`${key}.${name}`, 'maxClassRecallDrop', v);
  }
}

function checkLevelGate(name: string, value: unknown, context: GateContext | undefined): void {
  if (!isPlainObject(value)) fail(name, `must map level keys to thresholds, e.g. { "0.9": ${name === 'maxPieCount' ? 200 : 0.05} }.`);
  for (const [level, threshold] of Object.entries(value)) {
    const key = `${name}.${level}`;
    if (name === 'maxClassRecallDrop' && isPlainObject(threshold)) checkClassThresholds(key, threshold, context);
    else checkNumber(key, name, threshold);
    checkLevel(key, level, context);
  }
}

function checkAttributeGate(attribute: string, spec: unknown, context: GateContext | undefined): void {
  const key = `attributes.${attribute}`;
  if (context && !context.attributeNames.includes(attribute)) {
    fail(
      key,
      `unknown attribute '${attribute}'; the test set has ` +
        `${context.attributeNames.length ? quoteAll(context.attributeNames) : 'no attributes'}.`,
    );
  }
  if (!isPlainObject(spec)) fail(key, 'must be an object such as { "maxOverIndex": 1.5 }.');
  assertKnownKeys(spec, ATTRIBUTE_GATES, `gates.${key}`, 'attribute gate');
  let thresholds = 0;
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'levels') {
      if (!Array.isArray(v) || v.some((l) => typeof l !== 'string' && typeof l !== 'number'))
        fail(`${key}.levels`, 'must be an array of level keys.');
      for (const l of v as Array<string | number>) checkLevel(`${key}.levels`, String(l), context);
      continue;
    }
    thresholds++;
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${key}.${k}`, `must be a finite number; got ${JSON.stringify(v)}.`);
    if (k === 'maxOverIndex' && v < 0) fail(`${key}.${k}`, `must be >= 0 (1 means 'no over-representation'); got ${v}.`);
    if (k !== 'maxOverIndex' && (v < 0 || v > 1)) fail(`${key}.${k}`, `must be a rate change in [0, 1]; got ${v}.`);
  }
  if (thresholds === 0) fail(key, 'sets no threshold; add maxOverIndex, maxFprIncrease, maxFnrIncrease, maxFprGap or maxFnrGap.');
}

function checkWaiver(value: unknown, context: GateContext | undefined): void {
  if (!isPlainObject(value)) fail('waive', 'must be an object such as { "classes": ["8"], "reason": "tracked in issue 42" }.');
  assertKnownKeys(value, ['classes', 'attributes', 'reason'], 'gates.waive', 'key');
  if (typeof value.reason !== 'string' || value.reason.trim() === '')
    fail('waive.reason', 'is required: say why (it is printed beside every waived result).');
  for (const list of ['classes', 'attributes'] as const) {
    const names = value[list];
    if (names === undefined) continue;
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) fail(`waive.${list}`, 'must be an array of names.');
    for (const n of names as string[]) {
      if (list === 'classes') checkClassName('waive.classes', n, context);
      else if (context && !context.attributeNames.includes(n))
        fail('waive.attributes', `unknown attribute '${n}'; the test set has ${quoteAll(context.attributeNames)}.`);
    }
  }
}

/**
 * Checks a gate config (parsed JSON or an object) and returns it typed. Unknown gates (with a "did you mean"),
 * unknown levels, attributes or classes (when `context` is given), thresholds out of range, a bad `decision` or
 * a `waive` without a reason throw a `CONFIG_ERROR` {@link PieAuditError} whose message starts with the offending key.
 *
 * @throws PieAuditError `CONFIG_ERROR` naming the key
 * @example
 * validateGatesConfig({ maxPieRate: { 0.9: 0.05 } }, { levels: ['0', '0.9'], baseline: '0', attributeNames: [] });
 * validateGatesConfig({ maxPieRat: {} }); // throws: gates.maxPieRat: unknown gate; did you mean 'maxPieRate'? ...
 */
export function validateGatesConfig(gates: unknown, context?: GateContext): GatesConfig {
  if (!isPlainObject(gates))
    throw new PieAuditError('CONFIG_ERROR', 'gates must be an object such as { "maxPieRate": { "0.9": 0.05 } }.', { key: 'gates' });
  assertKnownKeys(gates, [...LEVEL_GATES, 'attributes', 'decision', 'waive'], 'gates', 'gate');
  for (const [name, value] of Object.entries(gates)) {
    if (name === 'decision') {
      if (!isOneOf(GATE_DECISIONS, value)) fail('decision', `must be 'point' or 'confident'; got ${JSON.stringify(value)}.`);
    } else if (name === 'waive') checkWaiver(value, context);
    else if (name === 'attributes') {
      if (!isPlainObject(value))
        fail(name, 'must be an object mapping attribute names to thresholds, e.g. { "Blond_Hair": { "maxOverIndex": 1.5 } }.');
      for (const [attribute, spec] of Object.entries(value)) checkAttributeGate(attribute, spec, context);
    } else checkLevelGate(name, value, context);
  }
  return gates as GatesConfig;
}
