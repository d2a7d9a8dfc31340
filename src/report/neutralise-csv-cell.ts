/** First characters a spreadsheet reads as the start of a formula (OWASP "CSV Injection"). */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * Neutralises a text cell for spreadsheets, as OWASP recommends against CSV (formula) injection: a
 * string starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so Excel,
 * LibreOffice and Google Sheets show it as text instead of evaluating `=HYPERLINK(...)` or
 * `+cmd|...`. Numbers are never strings here, so negative values are untouched; a class literally
 * named `-1` reads `'-1` in the CSV.
 *
 * @example
 * neutraliseCsvCell('=HYPERLINK("http://x")'); // "'=HYPERLINK(\"http://x\")"
 * neutraliseCsvCell('cat'); // 'cat'
 */
export function neutraliseCsvCell(text: string): string {
  return text.length > 0 && FORMULA_START.has(text[0]) ? `'${text}` : text;
}
