import { maxFnrGap, maxFnrIncrease, maxFprGap, maxFprIncrease, maxOverIndex } from './attribute-gates.js';
import { maxClassRecallDrop, maxSignificantlyHurtClasses } from './class-gates.js';
import type { GateEntry } from './gate-entry.js';
import { maxExcessPieRate, maxPieCount, maxPieRate, maxTop1Drop, minTop1 } from './level-gates.js';

/** Level gates by config key, in the order results are listed. @internal */
export const LEVEL_GATE_TABLE: ReadonlyMap<string, GateEntry> = new Map([
  ['maxPieRate', maxPieRate],
  ['maxPieCount', maxPieCount],
  ['maxSignificantlyHurtClasses', maxSignificantlyHurtClasses],
  ['minTop1', minTop1],
  ['maxTop1Drop', maxTop1Drop],
  ['maxClassRecallDrop', maxClassRecallDrop],
  ['maxExcessPieRate', maxExcessPieRate],
]);

/** Attribute gates by key within `attributes.<name>`. @internal */
export const ATTRIBUTE_GATE_TABLE: ReadonlyMap<string, GateEntry> = new Map([
  ['maxOverIndex', maxOverIndex],
  ['maxFprIncrease', maxFprIncrease],
  ['maxFnrIncrease', maxFnrIncrease],
  ['maxFprGap', maxFprGap],
  ['maxFnrGap', maxFnrGap],
]);
