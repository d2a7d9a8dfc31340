/** A progress reporter (see {@link createProgress}). */
export interface Progress {
  /** Reports `done` of `total` steps of a named phase. */
  update(label: string, done: number, total: number): void;
  /** Prints one message line (e.g. a phase finished). */
  log(message: string): void;
  /** Ends the current bar line. */
  done(): void;
}

/**
 * Progress on stderr: a redrawn bar when stderr is a terminal, plain throttled lines otherwise
 * (logs and CI), nothing with `quiet`.
 *
 * @example
 * const progress = createProgress({ quiet: false });
 * progress.update('evaluating', 3, 30);
 * progress.done();
 */
export function createProgress(options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) return { update() {}, log() {}, done() {} };
  const tty = Boolean(stream.isTTY);
  let barOpen = false;
  let lastLabel = '';
  let lastPrint = 0;
  let lastPercent = -1;
  const endBar = () => {
    if (barOpen) stream.write('\n');
    barOpen = false;
  };
  return {
    update(label, done, total) {
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const percent = Math.floor(fraction * 100);
      if (tty) {
        const width = 30;
        const filled = Math.round(fraction * width);
        stream.write(`\r${label.padEnd(24).slice(0, 24)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}% (${done}/${total})`);
        barOpen = true;
        if (done >= total) endBar();
        return;
      }
      // Plain mode: a line when the phase changes, every 10 %, or every 5 s, and at the end.
      const now = Date.now();
      const step = Math.floor(percent / 10) !== Math.floor(lastPercent / 10);
      if (label !== lastLabel || step || now - lastPrint > 5000 || done >= total) {
        if (label === lastLabel && percent === lastPercent) return;
        stream.write(`${label}: ${done}/${total} (${percent}%)\n`);
        lastPrint = now;
      }
      lastLabel = label;
      lastPercent = percent;
    },
    log(message) {
      endBar();
      stream.write(`${message}\n`);
    },
    done() {
      endBar();
    },
  };
}
