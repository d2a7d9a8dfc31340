/**
 * Outcome of trying to load an optional peer package: the module, or why it could not be used.
 */
import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

/** True when Node cannot resolve `specifier` from this package at all (not installed). */
function isUnresolvable(specifier: string): boolean {
  try {
    requireFromHere.resolve(specifier);
    return false;
  } catch (e) {
    return (e as { code?: string }).code === 'MODULE_NOT_FOUND';
  }
}

export type OptionalModuleResult =
  | { readonly ok: true; readonly module: unknown; readonly version?: string }
  | { readonly ok: false; readonly missing: boolean; readonly reason: string };

/**
 * Loads an optional peer dependency by a specifier computed at run time, so bundlers never try to
 * resolve it and a missing package is reported instead of thrown.
 *
 * `missing` is true when the package is not installed at all; false when it is installed but failed
 * to load (for instance `@tensorflow/tfjs-node` installed with `--ignore-scripts`, whose native addon
 * is absent).
 *
 * @example
 * const r = await importOptionalModule(['@tensorflow', 'tfjs-node']);
 * if (!r.ok) console.warn(r.reason);
 */
export async function importOptionalModule(specifierParts: readonly string[]): Promise<OptionalModuleResult> {
  // Joined at run time on purpose: a literal specifier would be resolved (and fail) at bundle time.
  const specifier = specifierParts.join('/');
  if (isUnresolvable(specifier)) return { ok: false, missing: true, reason: `${specifier} is not installed` };
  try {
    const module: unknown = await import(/* @vite-ignore */ specifier);
    let version: string | undefined;
    const candidate =
      (module as { version?: unknown; default?: { version?: unknown } }).version ??
      (module as { default?: { version?: unknown } }).default?.version;
    if (candidate && typeof candidate === 'object') {
      const v =
        (candidate as Record<string, unknown>)[specifierParts[specifierParts.length - 1]] ??
        (candidate as Record<string, unknown>)['tfjs-node'];
      if (typeof v === 'string') version = v;
    } else if (typeof candidate === 'string') {
      version = candidate;
    }
    return version === undefined ? { ok: true, module } : { ok: true, module, version };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const message = err?.message ?? String(e);
    return { ok: false, missing: false, reason: `${specifier} is installed but failed to load: ${message.split('\n')[0]}` };
  }
}
