/**
 * The format-neutral report view: what each section of the report says (headings, sentences, table
 * columns, cells with a kind, notes), built once from an AuditReport and only escaped and wrapped by
 * the HTML and Markdown renderers, so both print the same sections in the same order with the same notes.
 * @packageDocumentation
 */

/** How a cell reads: `hurt`/`spared` colour a direction, `skip` marks a section or value that was not computed,
 * gate statuses colour a result, `muted` is secondary text, `code` a literal (gate names). */
export type CellKind = 'plain' | 'hurt' | 'spared' | 'skip' | 'pass' | 'fail' | 'inconclusive' | 'muted' | 'code';

/** One table cell: its text (never escaped here), how it reads, and an optional longer explanation (tooltip). */
export interface ViewCell {
  text: string;
  kind: CellKind;
  title?: string;
}

/** A column: its header and whether its cells are text (left) or numbers (right). */
export interface ViewColumn {
  label: string;
  align: 'left' | 'right';
}

/** A table of a section. */
export interface ViewTable {
  columns: ViewColumn[];
  rows: ViewCell[][];
  /** When set, the table folds away under this summary (HTML `<details>`), open when `open`. */
  fold?: { summary: string; open: boolean };
  /** Most rows a short format (Markdown) prints; the rest are pointed to `moreIn`. */
  shortLimit?: number;
  /** Where the rows a short format leaves out are, e.g. 'report.html and classes.csv'. */
  moreIn?: string;
}

/** A sentence of a finding, with how it reads. */
export interface ViewSentence {
  text: string;
  kind: CellKind;
}

/** One section of the report: a heading, plain-text paragraphs, tables, then bullet notes. */
export interface ViewSection {
  /** Anchor id (HTML) and stable name. */
  id: string;
  title: string;
  paragraphs: string[];
  tables: ViewTable[];
  notes: string[];
}

/**
 * A cell helper: plain text unless a kind is given.
 *
 * @example
 * cell('hurt', 'hurt'); // { text: 'hurt', kind: 'hurt' }
 */
export function cell(text: string, kind: CellKind = 'plain', title?: string): ViewCell {
  return title === undefined ? { text, kind } : { text, kind, title };
}

/**
 * Columns from a compact spec: a leading `<` marks a text (left-aligned) column.
 *
 * @example
 * columns('<Level', 'Models'); // [{ label: 'Level', align: 'left' }, { label: 'Models', align: 'right' }]
 */
export function columns(...labels: string[]): ViewColumn[] {
  return labels.map((l) => (l.startsWith('<') ? { label: l.slice(1), align: 'left' } : { label: l, align: 'right' }));
}
