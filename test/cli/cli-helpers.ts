import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the real CLI entry (src/cli/main.ts through tsx) as a child process. */
export function runCliProcess(
  args: string[],
  options: { cwd?: string; timeout?: number } = {},
): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', `${repoRoot}src/cli/main.ts`, ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    timeout: options.timeout ?? 120_000,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the CLI in this process (same code path as the bin, without the start-up cost of a child). */
export async function runCliInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { runCli } = await import('../../src/cli/run-cli.js');
  let stdout = '';
  let stderr = '';
  const stderrStream = { write: (t: string) => ((stderr += t), true), isTTY: false } as unknown as NodeJS.WriteStream;
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: stderrStream });
  return { code, stdout, stderr };
}
