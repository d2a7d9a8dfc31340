import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The installed pie-audit version, read from package.json so reports always name the code that made them. */
export const PIE_AUDIT_VERSION: string = (() => {
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === 'pie-audit' && pkg.version) return pkg.version;
    } catch {
      // try the next layout (src/ under tsx, dist/ or dist/cli/ when built)
    }
  }
  return '0.0.0-unknown';
})();
