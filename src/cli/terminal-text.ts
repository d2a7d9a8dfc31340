/**
 * Characters that must never reach a terminal or a CI log raw from data: C0 controls (newline, CR, ESC…),
 * DEL, C1 controls, the Unicode line and paragraph separators and the bidirectional overrides.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const hex = (c: string) => {
  const code = c.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/**
 * One line of text as it may be printed: every control character shown as an escape (`\x0a`, `\x1b`), so
 * a name can neither start a new line nor move the cursor; a line that would begin with `:` (so never with
 * `::`, a GitHub Actions workflow command) or holds `##[` (the older command form, read anywhere in a line)
 * has them escaped. Apply it to each line printed from data; tabs are kept.
 *
 * @example
 * terminalLine('::error::x\nok'); // '\\x3a:error::x\\x0aok'
 */
export function terminalLine(line: string): string {
  return line
    .replace(CONTROL, (c) => (c === '\t' ? c : hex(c)))
    .replace(/^(\s*):/, '$1\\x3a')
    .replace(/##\[/g, '#\\x23[');
}

/**
 * A name from data (a class, attribute, level or member name, an id) as it is printed inside a line:
 * {@link terminalLine}'s escapes, every `::` broken up, and `%` as `%25` so a name never carries workflow-command escapes such as
 * `%0A` into a line a CI runner decodes.
 *
 * @example
 * terminalName('50%\u001b[2J'); // '50%25\\x1b[2J'
 */
export function terminalName(name: string): string {
  return terminalLine(String(name).replace(/%/g, '%25').replace(/::/g, ':\\x3a'));
}
