/**
 * One function names every member: the ids of a population built in process (`populationMembers` of
 * `buildPopulation`) and those of its plan (`planPopulation`, and `planFromRecipe`'s merge) come from `memberId`
 * and agree, for both regimes with random controls (and quantized levels in process).
 */
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { populationMembers } from '../../src/audit/population-members.js';
import { planFromRecipe } from '../../src/distribute/plan.js';
import { initBackend } from '../../src/engine/index.js';
import { buildPopulation, disposePopulation } from '../../src/population/index.js';
import { memberId } from '../../src/population/member-id.js';
import { planPopulation } from '../../src/population/population-plan.js';
import { repoRoot } from '../cli/cli-helpers.js';
import { syntheticData, tinyMlp } from '../compress/helpers.js';

// The real function, wrapped so the test sees which paths call it.
vi.mock('../../src/population/member-id.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/population/member-id.js')>();
  return { ...real, memberId: vi.fn(real.memberId) };
});
const named = vi.mocked(memberId);

const data = syntheticData(32, 12, 3, 5);
const training = { data: { x: data.x, shape: [32, 12], y: data.y }, epochs: 1, batchSize: 16, learningRate: 0.01 };
const seeds = [3, 1];
const levels = [0.9, 0];

/** Member ids per level key. */
const byLevel = (members: readonly { level: string; id: string }[]): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const m of members) (out[m.level] ??= []).push(m.id);
  return out;
};

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe.each(['fineTune', 'fromScratch'] as const)('member ids of the %s regime with random controls', (regime) => {
  const spec = { seeds, levels, regime, randomControl: true };

  it('the in-process population, its population plan and the recipe plan name every member alike, through memberId', async () => {
    const population = await buildPopulation({
      ...spec,
      createModel: (seed) => tinyMlp(seed),
      train: async () => {},
      quantizedLevels: ['float16'],
      ...(regime === 'fineTune' ? { fineTune: training } : { fromScratch: { ...training, beginStep: 1, endStep: 2, frequency: 1 } }),
    });
    named.mockClear();
    const inProcess = Object.fromEntries(
      Object.entries(populationMembers(population)).map(([key, ms]) => [key, ms.map((m) => (m as { id?: string }).id)]),
    );
    expect(named).toHaveBeenCalledTimes(4 * seeds.length);
    disposePopulation(population);

    named.mockClear();
    const plan = planPopulation({ ...spec, quantizedLevels: ['float16'] }, 'options');
    expect(named).toHaveBeenCalledTimes(4 * seeds.length);
    const planned = byLevel(plan.members.map((m) => ({ level: m.levelKey, id: m.id })));
    expect(inProcess).toEqual(planned);
    expect(Object.keys(planned)).toEqual(['0', '0.9', 'random@0.9', 'float16']);
    const expected = (key: string) => seeds.map((s) => (regime === 'fineTune' ? `seed-${s}` : `seed-${s}@${key}`));
    for (const key of Object.keys(planned)) expect(planned[key]).toEqual(expected(key));

    // A recipe of the same seeds, levels and regime: its merge lists the plan's members (no quantized levels in recipes).
    named.mockClear();
    const module = resolve(repoRoot, 'test/fixtures/recipes/params-recipe.mjs');
    const recipePlan = await planFromRecipe({ module, params: spec }, 'auto', 1);
    expect(named).toHaveBeenCalledTimes(3 * seeds.length);
    const { float16: _quantized, ...pruned } = planned;
    expect(byLevel(recipePlan.merge.members.map((m) => ({ level: m.level, id: m.memberId })))).toEqual(pruned);
  });
});

describe('the population plan checks quantized levels before anything is trained', () => {
  it('unknown, duplicate or level-0-less quantized levels are typed errors of the plan', () => {
    const plan =
      (quantizedLevels: unknown, levels = [0, 0.9]) =>
      () =>
        planPopulation({ seeds: [1], levels, quantizedLevels: quantizedLevels as never }, 'options');
    expect(plan(['int4'])).toThrow(/quantized levels must be float16, int8-dynamic, int8-full \(got "int4"\)/);
    expect(plan(['float16', 'float16'])).toThrow(/quantized levels have duplicates/);
    expect(plan(['float16'], [0.5])).toThrow(/add 0 to the levels/);
    expect(plan('float16')).toThrow(/options\.quantizedLevels must be a list/);
    expect(planPopulation({ seeds: [1], levels: [0] }, 'options').quantizedLevels).toEqual([]);
  });
});
