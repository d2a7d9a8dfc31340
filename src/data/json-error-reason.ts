/**
 * The reason of a `JSON.parse` error without the text excerpt V8 quotes (`Unexpected token 'r',
 * "root:x:0:0..." is not valid JSON`): a mistyped path may point at any file, and its content should
 * not end up in logs or CI output. Positions are kept.
 *
 * @example
 * jsonErrorReason(new SyntaxError('Unexpected token \'r\', "root:x" is not valid JSON')); // "Unexpected token 'r'"
 */
export function jsonErrorReason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const quoted = message.indexOf(', "');
  return (quoted >= 0 && message.endsWith('is not valid JSON') ? message.slice(0, quoted) : message).slice(0, 120);
}
