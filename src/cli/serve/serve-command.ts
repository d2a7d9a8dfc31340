import { realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadReport } from '../../report/load-report.js';
import type { CliIO } from '../cli-io.js';
import { decimalInteger } from '../decimal-integer.js';
import { parseCommand, UsageError } from '../parse-command.js';
import { terminalLine } from '../terminal-text.js';
import { SERVE_HELP } from './serve-help.js';
import { loadServeModels } from './serve-models.js';
import { startReportServer } from './start-report-server.js';

/** Resolves once SIGINT or SIGTERM arrives (or `stop` is aborted, for tests). */
function untilStopped(signal?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const done = (name: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(name);
    };
    const onInt = () => done('SIGINT');
    const onTerm = () => done('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    signal?.addEventListener('abort', () => done('abort'), { once: true });
  });
}

/**
 * `pie-audit serve`: loads the report folder (and the models from `--config`), serves it on 127.0.0.1, prints the
 * URL, and on SIGINT/SIGTERM closes the server, disposes the models and returns 0.
 *
 * @throws PieAuditError for bad flags (`--host` other than 127.0.0.1/localhost), an unreadable report or a config
 *   that does not describe the report's models (exit code 2 in the CLI)
 * @example
 * const code = await serveCommand(['audit-out', '--config', 'audit.json'], io);
 */
export async function serveCommand(args: string[], io: CliIO, stop?: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommand('serve', args, {
    config: { type: 'string', short: 'c' },
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    'max-upload-mb': { type: 'string' },
  });
  if (values.help) {
    io.stdout(SERVE_HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      `serve needs one report folder (the --out of 'pie-audit audit'); got ${positionals.length}. See 'pie-audit serve --help'.`,
    );
  const host = (values.host as string | undefined) ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== 'localhost')
    throw new UsageError(
      `--host: serve listens on 127.0.0.1 only (this machine); got '${host.slice(0, 60)}'. Use an SSH tunnel to reach it from elsewhere.`,
    );
  const port = values.port === undefined ? 0 : decimalInteger(values.port, '--port', 0, 65535);
  const maxUploadMb = values['max-upload-mb'] === undefined ? 20 : decimalInteger(values['max-upload-mb'], '--max-upload-mb', 1, 1024);
  if (values.config === '') throw new UsageError('--config needs the audit config file the report was made with.');
  const folderArg = positionals[0];
  if (!statSync(folderArg, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`serve: '${folderArg}' is not a folder; give the report folder (the --out of 'pie-audit audit').`);
  const folder = realpathSync(folderArg);
  const report = await loadReport(join(folder, 'report.json'));
  const loaded = values.config ? await loadServeModels(values.config as string, report) : null;
  const models = loaded && !('cannotRun' in loaded) ? loaded : null;
  const server = await startReportServer({
    folder,
    report,
    models,
    cannotRun:
      loaded && 'cannotRun' in loaded
        ? loaded.cannotRun
        : 'Served without --config, so the models cannot run here: the report names its models but not their files. Restart with --config <the audit config> to try images; below are the predictions the report recorded for its PIE exemplars.',
    port,
    maxUploadBytes: maxUploadMb * 1024 * 1024,
  }).catch(async (e: unknown) => {
    await models?.dispose();
    throw e;
  });
  const quiet = Boolean(values.quiet);
  io.stdout(`serving ${terminalLine(folder)} at ${server.url} (Ctrl-C stops)\n`);
  if (!quiet && !models)
    io.stdout(
      `${loaded ? 'precomputed predictions' : 'no --config'}: the page shows the report and its recorded predictions; models do not run\n`,
    );
  const why = await untilStopped(stop);
  await server.close();
  if (!quiet) io.stdout(`stopped (${why})\n`);
  return 0;
}
