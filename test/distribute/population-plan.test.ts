/**
 * One population plan, checked once: `buildPopulation` (in process) and `planFromRecipe` (shards, local workers,
 * the queue) accept and refuse the same seeds and levels, with the same typed errors.
 */
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planFromRecipe } from '../../src/distribute/plan.js';
import { buildPopulation } from '../../src/population/build-population.js';
import { PieAuditError } from '../../src/errors.js';
import { repoRoot } from '../cli/cli-helpers.js';

const recipe = (seeds: unknown, levels: unknown) => ({
  module: resolve(repoRoot, 'test/fixtures/recipes/params-recipe.mjs'),
  params: { seeds, levels },
});

/** The typed error code and the message after the value's name, or 'ok'. */
async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (e) {
    if (!(e instanceof PieAuditError)) throw e;
    return `${e.code}: ${e.message.replace(/^.*?(seeds|levels)/, '$1')}`;
  }
}

/** buildPopulation's outcome up to its seed and level checks: without training data it stops right after them. */
const built = (seeds: number[], levels: number[]) =>
  outcome(() => buildPopulation({ seeds, levels, createModel: () => undefined as never, train: async () => {} } as never)).then((o) =>
    /fineTune\.data is required/.test(o) ? 'ok' : o,
  );
const planned = (seeds: number[], levels: number[]) => outcome(() => planFromRecipe(recipe(seeds, levels), 'auto', 1));

describe('one population plan for every builder', () => {
  it('duplicate seeds and duplicate levels are refused by buildPopulation and planFromRecipe alike', async () => {
    expect(await planned([1, 1], [0, 0.5])).toMatch(/^INVALID_ARGUMENT: seeds has duplicates \(1, 1\)/);
    expect(await built([1, 1], [0, 0.5])).toBe(await planned([1, 1], [0, 0.5]));
    expect(await planned([1, 2], [0, 0.5, 0.5])).toMatch(/^INVALID_ARGUMENT: levels has duplicates: 0, 0.5, 0.5/);
    expect(await built([1, 2], [0, 0.5, 0.5])).toBe(await planned([1, 2], [0, 0.5, 0.5]));
    // A plan with distinct seeds and levels: one train job per seed, a fineTune and an evaluate job per (seed, level).
    const plan = await planFromRecipe(recipe([2, 1], [0.5, 0]), 'auto', 1);
    expect(plan.jobs).toHaveLength(2 * (1 + 2 * 2));
    expect(new Set(plan.jobs.map((j) => j.id)).size).toBe(plan.jobs.length);
    // Levels in buildPopulation's order (ascending), whatever order the recipe lists them in.
    expect(plan.merge.members.map((m) => m.level)).toEqual(['0', '0', '0.5', '0.5']);
  });

  it('any seeds and levels: both builders accept, or both refuse with the same typed error (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(0.5, Number.NaN)), { maxLength: 4 }),
        fc.array(fc.constantFrom(0, 0.25, 0.5, 0.9, 1, -0.1, Number.NaN), { maxLength: 4 }),
        async (seeds, levels) => {
          expect(await built(seeds, levels)).toBe(await planned(seeds, levels));
        },
      ),
      { numRuns: 60, seed: 17 },
    );
  });
});
