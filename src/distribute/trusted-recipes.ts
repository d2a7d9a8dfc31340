import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { regularFileSync } from '../data/regular-file.js';
import { PieAuditError } from '../errors.js';
import type { Job, PlanSource } from './jobs.js';
import { distributeModule } from './module-paths.js';

/** The recipe modules a runner may import, by the sha256 of their bytes (hex), each at the runner's own path. */
export type TrustedRecipes = ReadonlyMap<string, string>;

/**
 * The sha256 (hex) of a recipe module's bytes: what a plan records of the module, and what a runner
 * matches against the modules its operator named.
 *
 * @throws {PieAuditError} `MODULE_NOT_FOUND` when the module cannot be read.
 * @example
 * recipeModuleSha256('/abs/recipe.mjs'); // 64 hex characters
 */
export function recipeModuleSha256(module: string): string {
  const path = resolve(module);
  try {
    regularFileSync(path, 'recipe module');
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch (cause) {
    throw new PieAuditError(
      'MODULE_NOT_FOUND',
      `recipe module '${path}' cannot be read: ${(cause as Error).message}. Pass --recipe the path of a module exporting createRecipe(params).`,
      { module: path },
      { cause },
    );
  }
}

/**
 * The recipe modules a runner trusts: those its operator named (`--recipe`, repeatable) and the bundled
 * demo recipe, keyed by content hash. A job or plan is data; it may only pick among these.
 *
 * @throws {PieAuditError} `MODULE_NOT_FOUND` naming a module that cannot be read.
 * @example
 * const trusted = trustedRecipes(['./recipe.mjs']);
 */
export function trustedRecipes(modules: readonly string[] = []): TrustedRecipes {
  const trusted = new Map<string, string>();
  const demo = distributeModule('demo-recipe');
  for (const module of [demo, ...modules]) {
    if (module === demo) {
      try {
        trusted.set(recipeModuleSha256(demo), demo);
      } catch {
        // The bundled demo is absent from a stripped install: only the named modules are trusted.
      }
      continue;
    }
    trusted.set(recipeModuleSha256(module), resolve(module));
  }
  return trusted;
}

/**
 * A plan source with its recipe module swapped for the trusted module of the same content hash; config
 * sources unchanged. The path a job names is never imported, only the runner's own.
 *
 * @throws {PieAuditError} `CONFIG_ERROR` when the source names a module this runner was not given.
 * @example
 * const source = trustedSource(job.source, trustedRecipes(['./recipe.mjs']), 'train job');
 */
export function trustedSource<S extends PlanSource>(source: S, trusted: TrustedRecipes, where: string): S {
  if (typeof source !== 'object' || source === null) throw new PieAuditError('CONFIG_ERROR', `${where} has no source.`, {});
  if (source.kind === 'config') {
    if (typeof source.config !== 'string' || source.config === '')
      throw new PieAuditError('CONFIG_ERROR', `${where}: source.config is not a path.`, {});
    return source;
  }
  if (source.kind !== 'recipe')
    throw new PieAuditError(
      'CONFIG_ERROR',
      `${where}: source kind ${JSON.stringify((source as { kind: unknown }).kind)} is neither 'config' nor 'recipe'.`,
      {},
    );
  const ref = (source as Extract<PlanSource, { kind: 'recipe' }>).recipe as { module?: unknown; sha256?: unknown; params?: unknown } | null;
  const sha256 = ref?.sha256;
  const module = typeof ref?.module === 'string' ? ref.module.slice(0, 200) : '?';
  const path = typeof sha256 === 'string' ? trusted.get(sha256) : undefined;
  if (path === undefined)
    throw new PieAuditError(
      'CONFIG_ERROR',
      typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256)
        ? `${where} names recipe module '${module}' (sha256 ${sha256}), which this runner was not given; start it with --recipe <that module> (the same bytes), or refuse the job.`
        : `${where} names recipe module '${module}' without its content hash; write the plan again with this version's 'pie-audit plan'.`,
      { module, sha256: typeof sha256 === 'string' ? sha256.slice(0, 64) : null },
    );
  return { ...source, recipe: { ...ref, module: path } } as S;
}

/**
 * A job whose source (recipe module) is the trusted one; see {@link trustedSource}.
 *
 * @throws {PieAuditError} `CONFIG_ERROR` when the job names a module this runner was not given.
 * @example
 * const job = trustedJob(queued.data.job, trusted);
 */
export function trustedJob<J extends Job>(job: J, trusted: TrustedRecipes): J {
  return { ...job, source: trustedSource(job.source, trusted, `job ${job.id}`) };
}
