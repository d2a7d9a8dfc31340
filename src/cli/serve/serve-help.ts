import { join } from 'node:path';
import { docsDir } from '../docs-dir.js';

/** `pie-audit serve --help`. */
export const SERVE_HELP = `Usage: pie-audit serve <report folder> [--config <audit.json>] [--port <n>] [--max-upload-mb <n>] [--quiet]

Serves a report folder on http://127.0.0.1 (this machine only) until Ctrl-C: the report, and a "try it" panel
where you drop or choose a JPEG or PNG image (or pick a test example) and see every level's models' top labels
and class probabilities, the modal label per level (the audit's tie rule) and the mean probabilities, with the
audit's own preprocessing and runtime.

  --config <file>    the audit's config: the report names its models but not where they are, so the panel runs
                     models only with it (each file is checked against the report's content hash). Without it
                     the page shows the report and the recorded predictions of its PIE exemplars.
  --port <n>         port on 127.0.0.1 (default 0: a free port; the URL is printed)
  --host <name>      127.0.0.1 or localhost only; the server never listens on other addresses
  --max-upload-mb <n>  largest upload (default 20); larger ones get a 413 and a message
Docs: ${join(docsDir(), 'cli.md')}
`;
