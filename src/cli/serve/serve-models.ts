import { loadAuditConfig } from '../../audit/audit-config.js';
import { modelContentHash } from '../../audit/model-content-hash.js';
import type { ResolvedPreprocess } from '../../data/preprocess.js';
import { initBackend } from '../../engine/backend.js';
import { PieAuditError } from '../../errors.js';
import { createPredictor } from '../../evaluate/create-predictor.js';
import { isPrecomputedSource, resolveSource } from '../../evaluate/resolve-source.js';
import type { SourcePredictor } from '../../evaluate/source-predictor.js';
import type { ModelSource } from '../../evaluate/types.js';
import type { AuditReport } from '../../schema/index.js';
import { type ServeExamples, serveExamples } from './serve-examples.js';

/** One model of a level, ready to run. */
export interface ServeModel {
  /** The id the report gives it. */
  id: string;
  predictor: SourcePredictor;
}

/** The audit's population rebuilt from its config, checked against the report, for the "try it" panel. */
export interface ServeModels {
  /** Levels in report order, each with its models in report order. */
  levels: Array<{ key: string; models: ServeModel[] }>;
  /** The report's preprocessing, `null` when the audit's test set was not images (uploads cannot be run then). */
  preprocess: ResolvedPreprocess | null;
  /** The test set (for "pick a test example"), `null` when the config names no inputs. */
  examples: ServeExamples | null;
  /** The tfjs backend the models run on, as the audit chose it (`null` when none loaded). */
  backend: string | null;
  /** Releases every predictor. */
  dispose(): Promise<void>;
}

const mismatch = (message: string) => new PieAuditError('CONFIG_ERROR', `--config: ${message}`, { key: '--config' });

/** Path of a model file member (any format the audit runs), `null` for members the panel cannot run (precomputed predictions). */
function memberPath(model: ModelSource, id: string): string | null {
  const resolved = resolveSource(model, id);
  return !isPrecomputedSource(resolved) && 'path' in resolved ? resolved.path : null;
}

/** Checks that the config names the very models the report audited: same levels, counts and file contents. */
async function checkAgainstReport(population: Map<string, Array<{ model: ModelSource; id: string }>>, report: AuditReport): Promise<void> {
  for (const level of report.levels) {
    const members = population.get(level.key);
    if (!members)
      throw mismatch(`the config has no level '${level.key}' that the report audited; pass the config the report was made with.`);
    if (members.length !== level.models.length)
      throw mismatch(`level '${level.key}' has ${members.length} models in the config but ${level.models.length} in the report.`);
    for (const [i, summary] of level.models.entries()) {
      const hash = summary.contentHash ?? null;
      if (hash !== null && (await modelContentHash(members[i].model)) !== hash)
        throw mismatch(
          `model ${i} of level '${level.key}' ('${members[i].id}') is not the file the report audited as '${summary.id}' (its content differs); pass the config and models the report was made with.`,
        );
    }
  }
}

/**
 * Loads the models of the audit a report folder describes, from the audit's config file: every level's models as
 * predictors on the audit's runtime and backend, checked to be the files the report audited (by content hash), with
 * the report's preprocessing. A population given (even in part) as precomputed predictions has nothing to run: then
 * `{ cannotRun }` says so, naming the first such member.
 *
 * @throws PieAuditError `CONFIG_ERROR` when the config does not describe the report's models or test set; the loaders' typed errors
 * @example
 * const models = await loadServeModels('audit.json', report);
 * if (!('cannotRun' in models)) await models.levels[0].models[0].predictor.predict(input, 1);
 */
export async function loadServeModels(configPath: string, report: AuditReport): Promise<ServeModels | { cannotRun: string }> {
  const { options } = loadAuditConfig(configPath);
  // A config file's population is always this form: level -> { model, id } with the id relative to the config.
  const population = options.population as Map<string, Array<{ model: ModelSource; id: string }>>;
  await checkAgainstReport(population, report);
  for (const [key, members] of population)
    for (const member of members)
      if (memberPath(member.model, member.id) === null)
        return {
          cannotRun: `The audit's level '${key}' holds precomputed predictions ('${member.id}'), not a model file, so the models cannot run here; below are the predictions the report recorded for its PIE exemplars.`,
        };
  const preprocess = (report.testSet.preprocess as ResolvedPreprocess | undefined) ?? null;
  const examples = serveExamples(options.testSet, preprocess, report.testSet.n);
  const inputShape = report.testSet.inputShape ?? undefined;
  const loaded: ServeModel[] = [];
  const dispose = async () => {
    for (const m of loaded) await m.predictor.dispose();
    loaded.length = 0;
    await examples?.close();
  };
  const backend = await initBackend({ backend: options.backend ?? 'auto' });
  try {
    const levels = [];
    for (const level of report.levels) {
      const models: ServeModel[] = [];
      for (const [i, member] of (population.get(level.key) ?? []).entries()) {
        const predictor = await createPredictor(memberPath(member.model, member.id)!, {
          runtime: options.runtime ?? 'auto',
          inputShape,
          name: member.id,
        });
        const model = { id: level.models[i].id, predictor };
        loaded.push(model);
        models.push(model);
      }
      levels.push({ key: level.key, models });
    }
    return { levels, preprocess, examples, backend: backend.name, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}
