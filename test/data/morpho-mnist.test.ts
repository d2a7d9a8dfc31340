import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { loadMnist, mnistDataDir } from '../../src/data/mnist.js';
import { measureDigits, type DigitMorphometrics } from '../../src/data/morpho-mnist.js';
import { morphoGroups } from '../../src/data/morpho-groups.js';
import { isPieAuditError } from '../../src/errors.js';

const test = loadMnist('test');
const N = 400;
const images = test.images.subarray(0, N * 784);
const labels = test.labels.subarray(0, N);
const measured = measureDigits(images);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A 3x3 grey-level dilation (max filter): strokes get about two pixels thicker. */
function dilate(image: Float32Array): Float32Array {
  const out = new Float32Array(784);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      let m = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy >= 0 && xx >= 0 && yy < 28 && xx < 28) m = Math.max(m, image[yy * 28 + xx]);
        }
      out[y * 28 + x] = m;
    }
  }
  return out;
}

/** Shears an image horizontally: row y moves by shear * (14 - y) pixels (top to the right for shear > 0). */
function shear(image: Float32Array, amount: number): Float32Array {
  const out = new Float32Array(784);
  for (let y = 0; y < 28; y++) {
    const shift = Math.round(amount * (14 - y));
    for (let x = 0; x < 28; x++) {
      const from = x - shift;
      if (from >= 0 && from < 28) out[y * 28 + x] = image[y * 28 + from];
    }
  }
  return out;
}

describe('measureDigits (Morpho-MNIST-style measurements)', () => {
  it('matches a NumPy/SciPy computation of the same definitions on real MNIST test digits', () => {
    const script = fileURLToPath(new URL('./morpho_reference.py', import.meta.url));
    const reference = JSON.parse(
      execFileSync('/usr/bin/python3', [script, join(mnistDataDir(), 't10k-images-idx3-ubyte'), String(N)], { encoding: 'utf8' }),
    ) as number[][];
    const keys: Array<keyof DigitMorphometrics> = ['area', 'thickness', 'slant', 'width', 'height'];
    for (let i = 0; i < N; i++) {
      keys.forEach((key, k) => expect(measured[key][i], `${key} of test image ${i}`).toBeCloseTo(reference[i][k], 9));
    }
  });

  it('measures what the names say: 1s narrower than 0s, dilated digits thicker, sheared digits slanted', () => {
    const widths = (digit: number) =>
      Array.from(labels.keys())
        .filter((i) => labels[i] === digit)
        .map((i) => measured.width[i]);
    expect(median(widths(1))).toBeLessThan(median(widths(0)) / 2);
    for (let i = 0; i < 50; i++) {
      const image = images.slice(i * 784, (i + 1) * 784);
      expect(measureDigits(dilate(image)).thickness[0]).toBeGreaterThan(measured.thickness[i] + 0.5);
      const leaning = measureDigits(shear(image, 0.4)).slant[0];
      expect(leaning).toBeGreaterThan(measured.slant[i] + 0.2);
    }
  });

  it('gives images without ink zeros and rejects a pixel count that is no whole number of images', () => {
    const m = measureDigits(new Float32Array(2 * 784));
    expect(Array.from(m.thickness)).toEqual([0, 0]);
    expect(() => measureDigits(new Float32Array(785))).toThrow(/side/);
    try {
      measureDigits(new Float32Array(785));
    } catch (e) {
      expect(isPieAuditError(e, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('morphoGroups', () => {
  it('puts the lowest and highest decile of each digit into the named tails', () => {
    const groups = morphoGroups(measured, { labels });
    for (let digit = 0; digit < 10; digit++) {
      const members = Array.from(labels.keys()).filter((i) => labels[i] === digit);
      const thin = members.filter((i) => groups.stroke[i] === 'thin');
      const thick = members.filter((i) => groups.stroke[i] === 'thick');
      // Type-7 cut points with ties joining the tail: at least 10 %, a tie or two more at most.
      expect(thin.length).toBeGreaterThanOrEqual(Math.floor(members.length * 0.1));
      expect(thin.length).toBeLessThanOrEqual(Math.ceil(members.length * 0.1) + 2);
      expect(thick.length).toBeGreaterThanOrEqual(Math.floor(members.length * 0.1));
      const maxThin = Math.max(...thin.map((i) => measured.thickness[i]));
      const typical = members.filter((i) => groups.stroke[i] === 'typical').map((i) => measured.thickness[i]);
      expect(Math.min(...typical)).toBeGreaterThan(maxThin);
    }
    expect(new Set(groups.slant)).toEqual(new Set(['left-leaning', 'upright', 'right-leaning']));
    expect(new Set(groups.height)).toEqual(new Set(['short', 'typical', 'tall']));
  });

  it('keeps tail groups ordered for any measurements (seeded property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 3, maxLength: 60 }), (values) => {
        const column = Float64Array.from(values);
        const m: DigitMorphometrics = { area: column, thickness: column, slant: column, width: column, height: column };
        const g = morphoGroups(m).width;
        for (let i = 0; i < values.length; i++) {
          for (let j = 0; j < values.length; j++) {
            if (g[i] === 'narrow' && g[j] !== 'narrow') expect(values[i]).toBeLessThan(values[j]);
            if (g[i] === 'wide' && g[j] !== 'wide') expect(values[i]).toBeGreaterThan(values[j]);
          }
        }
      }),
      { seed: 10, numRuns: 100 },
    );
  });

  it('rejects labels of another length and a tail outside (0, 0.5), naming the option', () => {
    expect(() => morphoGroups(measured, { labels: labels.subarray(0, 10) })).toThrow(/options\.labels/);
    expect(() => morphoGroups(measured, { tail: 0.5 })).toThrow(/options\.tail/);
  });
});

describe('measureDigits on inputs outside [0, 1]', () => {
  it('measures standardised (PyTorch) and 0-255 MNIST images as the [0, 1] images: the same groups for every digit', () => {
    const standardised = Float32Array.from(images, (x) => (x - 0.1307) / 0.3081);
    const bytes = Float32Array.from(images, (x) => x * 255);
    const reference = morphoGroups(measured, { labels });
    for (const variant of [standardised, bytes]) {
      const m = measureDigits(variant);
      for (const key of ['area', 'thickness', 'slant', 'width', 'height'] as const) {
        for (let i = 0; i < N; i++) expect(Math.abs(m[key][i] - measured[key][i])).toBeLessThan(1e-4 * (1 + Math.abs(measured[key][i])));
      }
      const groups = morphoGroups(m, { labels });
      let changed = 0;
      for (const attribute of Object.keys(reference) as Array<keyof typeof reference>)
        for (let i = 0; i < N; i++) if (groups[attribute][i] !== reference[attribute][i]) changed++;
      // Before rescaling, 56 % of the (image, attribute) groups changed on standardised inputs.
      expect(changed / (4 * N)).toBeLessThan(0.01);
      // Slant is not 'left-leaning' for nearly every digit.
      expect(groups.slant.filter((s) => s === 'left-leaning').length).toBeLessThan(0.2 * N);
    }
  });
});
