import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** JSON reviver for the fixtures: "NaN", "Infinity", "-Infinity" strings become numbers. */
function revive(_key: string, value: unknown): unknown {
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return value;
}

/** Reads a JSON fixture relative to test/fixtures/. */
export function loadFixture<T = any>(relativePath: string): T {
  const url = new URL(`../../fixtures/${relativePath}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8'), revive) as T;
}

/** |actual - expected| / |expected|; 0 when equal (including matching infinities and 0 = 0). */
export function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  if (Number.isNaN(actual) && Number.isNaN(expected)) return 0;
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** Asserts relative closeness with a readable message naming the case. */
export function expectClose(actual: number, expected: number, tolerance: number, label: string): void {
  const error = relativeError(actual, expected);
  if (!(error <= tolerance)) {
    throw new Error(`${label}: got ${actual}, expected ${expected} (relative error ${error.toExponential(2)} > ${tolerance})`);
  }
}
