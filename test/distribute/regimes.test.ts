/** Every regime of a recipe as distributed jobs: the fromScratch regime's scratch jobs and the random-pruning controls. */
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import { artifactStore } from '../../src/distribute/artifacts.js';
import { describeJob } from '../../src/distribute/jobs.js';
import { mergePlan } from '../../src/distribute/merge-plan.js';
import { distributeModule } from '../../src/distribute/module-paths.js';
import { planFromRecipe } from '../../src/distribute/plan.js';
import { runShard } from '../../src/distribute/run-shard.js';
import { comparable, tempDir, tinyDemo } from './helpers.js';

const quiet = { update() {}, log() {}, done() {} };
const loadConfig = () => ({}) as never;

describe.each([
  { regime: 'fromScratch' as const, kinds: { scratch: 6, evaluate: 6 } },
  { regime: 'fineTune' as const, kinds: { train: 2, fineTune: 6, evaluate: 6 } },
])('the $regime regime with random controls as jobs', ({ regime, kinds }) => {
  const recipe = { ...tinyDemo(), regime, randomControl: true };
  const ref = { module: distributeModule('demo-recipe'), params: recipe };

  it('plan / run-shard / merge and two local workers give the report of the in-process build', async () => {
    const inProcess = await runDemo({ out: tempDir('rin'), recipe, workers: 1, progress: quiet, print: () => {} });
    expect(inProcess.levels.map((l) => l.key)).toEqual(['0', '0.9', 'random@0.9']);
    expect(inProcess.design.design).toBe(regime === 'fineTune' ? 'paired' : 'independent');

    const plan = await planFromRecipe(ref, 'auto', 2);
    const counts: Record<string, number> = {};
    for (const job of plan.jobs) counts[job.kind] = (counts[job.kind] ?? 0) + 1;
    expect(counts).toEqual(kinds);
    const modelJobs = plan.jobs.filter((j) => j.kind === 'fineTune' || j.kind === 'scratch');
    expect(modelJobs.map(describeJob).filter((d) => d.includes('level random@0.9'))).toHaveLength(2);
    const artifacts = tempDir('rshards');
    for (const index of [0, 1]) await runShard(plan, index, { artifacts, loadConfig });
    // Run twice: every job is found done.
    expect(await runShard(plan, 0, { artifacts, loadConfig })).toMatchObject({ ran: 0 });
    expect(artifactStore(artifacts).hasResult(plan.merge.needs[0])).toBe(true);
    const merged = await mergePlan(plan, artifacts, loadConfig);
    expect(comparable(merged)).toEqual(comparable(inProcess));

    const threaded = await runDemo({ out: tempDir('rthreads'), recipe, workers: 2, progress: quiet, print: () => {} });
    expect(comparable(threaded)).toEqual(comparable(inProcess));
  });
});
