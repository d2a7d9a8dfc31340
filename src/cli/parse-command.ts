import { type ParseArgsConfig, parseArgs } from 'node:util';
import { PieAuditError } from '../errors.js';

/** A command-line mistake: exit code 2, the message names the flag and the help to read. */
export class UsageError extends PieAuditError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/**
 * Parses one subcommand's arguments (every command also takes `--help` and `--quiet`), strictly.
 *
 * @throws PieAuditError `INVALID_ARGUMENT` (a {@link UsageError}) naming the unknown or malformed flag
 * @example
 * const { values, positionals } = parseCommand('gate', ['r.json', '--gates', 'g.json'], { gates: { type: 'string' } });
 */
export function parseCommand(
  command: string,
  args: string[],
  options: ParseArgsConfig['options'],
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' }, quiet: { type: 'boolean', short: 'q' } },
      allowPositionals: true,
      strict: true,
    }) as { values: Record<string, string | boolean | undefined>; positionals: string[] };
  } catch (e) {
    throw new UsageError(
      `${(e as Error).message.replace(/\. To specify a positional argument.*$/, '')}. See 'pie-audit ${command} --help'.`,
    );
  }
}
