import { PieAuditError } from '../errors.js';
import { matchLevelKey } from '../schema/level-key.js';
import type { GatesConfig } from '../schema/index.js';

const LEVEL_GATES = ['maxPieRate', 'maxPieCount', 'maxSignificantlyHurtClasses', 'minTop1'] as const;
const ATTRIBUTE_GATES = ['maxOverIndex', 'maxFprIncrease', 'maxFnrIncrease', 'levels'] as const;

/** What a gate config is checked against: the report's levels, baseline and attributes. */
export interface GateContext {
  levels: readonly string[];
  baseline: string;
  attributeNames: readonly string[];
}

function fail(key: string, message: string): never {
  throw new PieAuditError('CONFIG_ERROR', `gates.${key}: ${message}`, { key: `gates.${key}` });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkLevel(key: string, level: string, context: GateContext | undefined): void {
  if (!context) return;
  const match = matchLevelKey(level, context.levels);
  if (match === null) fail(key, `unknown level '${level}'; the report's levels are ${context.levels.map((l) => `'${l}'`).join(', ')}.`);
  if (match === context.baseline && key.split('.')[0] !== 'minTop1') {
    fail(key, `'${level}' is the baseline level, which has no PIEs or class tests by definition; gate a compressed level instead.`);
  }
}

/**
 * Checks a gate config (parsed JSON or an object) and returns it typed. Unknown gates, unknown
 * levels or attributes (when `context` is given), and thresholds out of range throw a
 * `CONFIG_ERROR` {@link PieAuditError} whose message starts with the offending key.
 *
 * @example
 * validateGatesConfig({ maxPieRate: { 0.9: 0.05 } }, { levels: ['0', '0.9'], baseline: '0', attributeNames: [] });
 * validateGatesConfig({ maxPieRat: {} }); // throws: gates.maxPieRat: unknown gate ...
 */
export function validateGatesConfig(gates: unknown, context?: GateContext): GatesConfig {
  if (!isPlainObject(gates)) throw new PieAuditError('CONFIG_ERROR', 'gates must be an object such as { "maxPieRate": { "0.9": 0.05 } }.', { key: 'gates' });
  for (const [name, value] of Object.entries(gates)) {
    if (name === 'attributes') {
      if (!isPlainObject(value)) fail(name, 'must be an object mapping attribute names to thresholds, e.g. { "Blond_Hair": { "maxOverIndex": 1.5 } }.');
      for (const [attribute, spec] of Object.entries(value)) {
        const key = `attributes.${attribute}`;
        if (context && !context.attributeNames.includes(attribute)) {
          fail(key, `unknown attribute '${attribute}'; the test set has ${context.attributeNames.length ? context.attributeNames.map((a) => `'${a}'`).join(', ') : 'no attributes'}.`);
        }
        if (!isPlainObject(spec)) fail(key, 'must be an object such as { "maxOverIndex": 1.5 }.');
        let thresholds = 0;
        for (const [k, v] of Object.entries(spec)) {
          if (!(ATTRIBUTE_GATES as readonly string[]).includes(k)) fail(`${key}.${k}`, `unknown attribute gate; known: ${ATTRIBUTE_GATES.join(', ')}.`);
          if (k === 'levels') {
            if (!Array.isArray(v) || v.some((l) => typeof l !== 'string' && typeof l !== 'number')) fail(`${key}.levels`, 'must be an array of level keys.');
            for (const l of v as Array<string | number>) checkLevel(`${key}.levels`, String(l), context);
            continue;
          }
          thresholds++;
          if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${key}.${k}`, `must be a finite number; got ${JSON.stringify(v)}.`);
          if (k === 'maxOverIndex' && v < 0) fail(`${key}.${k}`, `must be >= 0 (1 means 'no over-representation'); got ${v}.`);
          if (k !== 'maxOverIndex' && (v < 0 || v > 1)) fail(`${key}.${k}`, `must be a rate change in [0, 1]; got ${v}.`);
        }
        if (thresholds === 0) fail(key, 'sets no threshold; add maxOverIndex, maxFprIncrease or maxFnrIncrease.');
      }
      continue;
    }
    if (!(LEVEL_GATES as readonly string[]).includes(name)) fail(name, `unknown gate; known gates: ${[...LEVEL_GATES, 'attributes'].join(', ')}.`);
    if (!isPlainObject(value)) fail(name, `must map level keys to thresholds, e.g. { "0.9": ${name === 'maxPieCount' ? 200 : 0.05} }.`);
    for (const [level, threshold] of Object.entries(value)) {
      const key = `${name}.${level}`;
      if (typeof threshold !== 'number' || !Number.isFinite(threshold)) fail(key, `must be a finite number; got ${JSON.stringify(threshold)}.`);
      if ((name === 'maxPieRate' || name === 'minTop1') && (threshold < 0 || threshold > 1)) fail(key, `is a fraction and must lie in [0, 1]; got ${threshold}.`);
      if ((name === 'maxPieCount' || name === 'maxSignificantlyHurtClasses') && (threshold < 0 || !Number.isInteger(threshold))) fail(key, `must be a non-negative integer; got ${threshold}.`);
      checkLevel(key, level, context);
    }
  }
  return gates as GatesConfig;
}
