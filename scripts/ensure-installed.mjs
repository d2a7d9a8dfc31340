/**
 * Runs before `npm run demo` and `npm test` (npm's pre-scripts): in a fresh clone, where nothing is
 * installed yet, installs the locked dependencies with `npm ci` first, so the README's commands work
 * as the first commands on a machine with only Node and npm. Plain JavaScript with no imports beyond
 * Node's own: it runs before any dependency exists.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
// What the two commands start first: tsx (the demo) and vitest (the tests); npm ci writes the lock copy last.
const needed = ['node_modules/.package-lock.json', 'node_modules/tsx/package.json', 'node_modules/vitest/package.json'];
const missing = needed.filter((file) => !existsSync(join(root, file)));
if (missing.length > 0) {
  console.error(`pie-audit: dependencies not installed (${missing[0]} missing); running npm ci first (once)`);
  const npm = process.env.npm_execpath
    ? spawnSync(process.execPath, [process.env.npm_execpath, 'ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (npm.status !== 0) {
    console.error('pie-audit: npm ci failed (see above); fix the install and run the command again');
    process.exit(npm.status ?? 1);
  }
}
