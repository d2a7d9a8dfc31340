/** Deepest nesting a pie-audit JSON file needs is a handful of levels; 64 leaves room and stays far from stack limits. */
export const MAX_JSON_DEPTH = 64;

/**
 * The deepest array/object nesting in JSON text, measured in one pass without recursion (strings and
 * escapes skipped). `JSON.parse` accepts 200,000 levels, but any recursive walk of the result (a
 * validator, `JSON.stringify` in an error message) then overflows the stack, so readers check this first.
 *
 * @example
 * jsonDepth('{"a": [1, [2]]}'); // 3
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}
