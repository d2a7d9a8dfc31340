import { terminalLine } from './terminal-text.js';

/** A progress reporter (see {@link createProgress}). */
export interface Progress {
  /**
   * Reports `done` of `total` steps of a named phase (`done` may be fractional, e.g. 2.5 models).
   * `detail` says where in the phase the work is (`seed 2, level 0.9`); a change of detail alone
   * never starts a new bar or forces a line.
   */
  update(label: string, done: number, total: number, detail?: string): void;
  /** Prints one message line (e.g. a phase finished). */
  log(message: string): void;
  /** Ends the current bar line. */
  done(): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
  /** Clock in milliseconds (default `Date.now`); tests pass their own. */
  now?: () => number;
}

/** Plain (non-terminal) output prints at most one line per this many percentage points of a phase... */
const PLAIN_STEP_PERCENT = 10;
/** ...or per this many milliseconds, whichever comes first. */
const PLAIN_INTERVAL_MS = 5000;

/**
 * Progress on stderr. On a terminal: one bar per phase, redrawn in place, with the detail beside it.
 * Otherwise (pipes, CI logs): a line when a phase starts, then at most one line per 10 % of the phase
 * or per 5 s, and one when it ends. Nothing with `quiet`.
 *
 * @example
 * const progress = createProgress({ quiet: false });
 * progress.update('evaluating models', 3, 30, 'model 4/30');
 * progress.done();
 */
export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) return { update() {}, log() {}, done() {} };
  const now = options.now ?? Date.now;
  const tty = Boolean(stream.isTTY);
  let barLabel: string | null = null;
  let lastLabel: string | null = null;
  let lastPrint = 0;
  let lastPercent = 0;
  let finished = false;
  const endBar = () => {
    if (barLabel !== null) stream.write('\n');
    barLabel = null;
  };
  const counts = (done: number, total: number, detail?: string) => (detail ? detail : `${Math.floor(done)}/${total}`);
  return {
    update(rawLabel, done, total, rawDetail) {
      // Labels and details may quote names from data (job names, levels): escaped, one line each.
      const label = terminalLine(rawLabel);
      const detail = rawDetail === undefined ? undefined : terminalLine(rawDetail);
      const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
      const percent = Math.floor(fraction * 100);
      if (tty) {
        if (barLabel !== null && barLabel !== label) endBar();
        const width = 30;
        const filled = Math.round(fraction * width);
        stream.write(
          `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}% ` +
            `${counts(done, total, detail)}\x1b[K`,
        );
        barLabel = label;
        if (fraction >= 1) endBar();
        return;
      }
      const t = now();
      const start = label !== lastLabel;
      if (start) finished = false;
      const end = fraction >= 1 && !finished;
      if (start || end || percent >= lastPercent + PLAIN_STEP_PERCENT || t - lastPrint >= PLAIN_INTERVAL_MS) {
        if (!start && !end && percent === lastPercent) return;
        stream.write(`${label}: ${percent}% (${counts(done, total, detail)})\n`);
        lastPrint = t;
        lastPercent = percent;
        if (end) finished = true;
      }
      lastLabel = label;
    },
    log(message) {
      endBar();
      stream.write(`${terminalLine(message)}\n`);
    },
    done() {
      endBar();
    },
  };
}
