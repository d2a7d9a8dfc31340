/**
 * The first key that appears twice in one object of valid JSON text, with the path of that object, or
 * `undefined` when every object's keys are distinct. One pass, no recursion. `JSON.parse` keeps the last
 * of two equal keys silently, so a config edited by hand could say one thing and mean another.
 *
 * @example
 * duplicateJsonKey('{"a": 1, "b": {"c": 1, "c": 2}}'); // { key: 'c', path: 'b' }
 */
export function duplicateJsonKey(text: string): { key: string; path: string } | undefined {
  interface Frame {
    readonly keys: Set<string> | null;
    expectKey: boolean;
    readonly name: string;
  }
  const stack: Frame[] = [];
  let lastKey = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      const top = stack.at(-1);
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (top.keys.has(key))
          return {
            key,
            path: stack
              .map((f) => f.name)
              .filter((n) => n !== '')
              .join('.'),
          };
        top.keys.add(key);
        top.expectKey = false;
        lastKey = key;
      }
    } else if (c === 0x7b || c === 0x5b) {
      const top = stack.at(-1);
      const name = top?.keys ? lastKey : top ? '[]' : '';
      stack.push({ keys: c === 0x7b ? new Set() : null, expectKey: c === 0x7b, name });
    } else if (c === 0x7d || c === 0x5d) stack.pop();
    else if (c === 0x2c) {
      const top = stack.at(-1);
      if (top?.keys) top.expectKey = true;
    }
  }
  return undefined;
}
