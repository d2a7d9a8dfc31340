import { availableParallelism } from 'node:os';
import { PieAuditError } from '../../errors.js';
import { isOneOf, RUNTIMES, type EvaluationRuntime } from '../../schema/vocabulary.js';
import type { EvaluatePopulationOptions, ModelSource } from '../types.js';

/** {@link EvaluatePopulationOptions} after validation and defaults. */
export interface ResolvedEvaluateOptions {
  batchSize: number;
  runtime: EvaluationRuntime;
  threads: number | undefined;
  /** Lanes evaluating tfjs LayersModels side by side (this thread plus workers). */
  workers: number;
  cacheDir: string | undefined;
  returnProbabilities: boolean;
  maxClasses: number | undefined;
}

/**
 * Validates `evaluatePopulation`'s models list and options, applying defaults.
 *
 * @throws PieAuditError `EMPTY_POPULATION` for no models, `INVALID_ARGUMENT` naming a bad option
 * @example
 * resolveEvaluateOptions([model], { concurrency: 'auto' }).workers; // os.availableParallelism()
 */
export function resolveEvaluateOptions(models: readonly ModelSource[], options: EvaluatePopulationOptions): ResolvedEvaluateOptions {
  const batchSize = options.batchSize ?? 1024;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.batchSize must be a positive integer, got ${String(batchSize)}.`, { batchSize });
  }
  if (!Array.isArray(models) || models.length === 0) {
    throw new PieAuditError('EMPTY_POPULATION', 'models is empty; pass at least one model source.', {});
  }
  const runtime = options.runtime ?? 'auto';
  if (!isOneOf(RUNTIMES, runtime)) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `options.runtime must be one of ${RUNTIMES.join(', ')}, got ${JSON.stringify(options.runtime)}.`,
      {
        runtime: options.runtime,
      },
    );
  }
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.threads must be a positive integer, got ${String(options.threads)}.`, {
      threads: options.threads,
    });
  }
  return {
    batchSize,
    runtime,
    threads: options.threads,
    workers: resolveConcurrency(options.concurrency),
    cacheDir: options.cache ? options.cache.dir : undefined,
    returnProbabilities: options.returnProbabilities ?? false,
    maxClasses: positiveIntegerOption(options.maxClasses, 'maxClasses'),
  };
}

function positiveIntegerOption(value: number | undefined, key: string): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < 1))
    throw new PieAuditError('INVALID_ARGUMENT', `options.${key} must be a positive integer, got ${String(value)}.`, { [key]: value });
  return value;
}

function resolveConcurrency(concurrency: EvaluatePopulationOptions['concurrency']): number {
  if (concurrency === undefined) return 1;
  if (concurrency === 'auto') return availableParallelism();
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new PieAuditError('INVALID_ARGUMENT', `options.concurrency must be 'auto' or a positive integer, got ${String(concurrency)}.`, {
      concurrency,
    });
  }
  return concurrency;
}
