import { loadAuditConfig } from '../audit/audit-config.js';
import type { AuditOptions } from '../audit/audit-options.js';

/**
 * The reader of a config plan's audit config: the one given, else `loadAuditConfig` (what `pie-audit audit`
 * reads), so runners need no callback to audit a config plan as the CLI does.
 *
 * @example
 * const options = configReader()('/abs/audit.json');
 */
export function configReader(loadConfig?: (path: string) => AuditOptions): (path: string) => AuditOptions {
  return loadConfig ?? ((path) => loadAuditConfig(path).options);
}
