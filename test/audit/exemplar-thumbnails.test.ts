import { describe, expect, it } from 'vitest';
import { imageLayout, pickExemplars } from '../../src/audit/exemplars.js';
import { decodeImage } from '../../src/data/decode-image.js';

/** Two 6x5 images whose channels differ, stored HWC and CHW. */
function images(): { hwc: Float32Array; chw: Float32Array } {
  const [h, w, c] = [5, 6, 3];
  const hwc = new Float32Array(2 * h * w * c);
  const chw = new Float32Array(hwc.length);
  for (let n = 0; n < 2; n++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < c; k++) {
          const v = k === 0 ? x / (w - 1) : k === 1 ? y / (h - 1) : n;
          hwc[n * h * w * c + (y * w + x) * c + k] = v;
          chw[n * h * w * c + k * h * w + y * w + x] = v;
        }
  return { hwc, chw };
}

const base = {
  isPIE: Uint8Array.of(1, 1),
  baselineModal: [0, 0],
  compressedModal: [1, 1],
  baseline: [[0, 0]],
  compressed: [[1, 1]],
  labels: null,
  max: 2,
  seed: 0,
  thumbnails: true,
};

describe('exemplar thumbnails of tensor inputs', () => {
  it('reads NCHW (PyTorch) inputs as images and draws the same picture as NHWC', async () => {
    expect(imageLayout([3, 5, 6])).toEqual({ width: 6, height: 5, channels: 3, channelsFirst: true });
    expect(imageLayout([5, 6, 3])).toEqual({ width: 6, height: 5, channels: 3, channelsFirst: false });
    const { hwc, chw } = images();
    const fromHwc = pickExemplars({ ...base, inputs: hwc, inputShape: [5, 6, 3] });
    const fromChw = pickExemplars({ ...base, inputs: chw, inputShape: [3, 5, 6] });
    expect(fromChw.map((e) => e.thumbnail)).toEqual(fromHwc.map((e) => e.thumbnail));
    const png = Buffer.from(fromChw[1].thumbnail!.split(',')[1], 'base64');
    const decoded = await decodeImage(png, 3);
    // Scaled 2x for small images; the top-right pixel is red (x = 1) and fully blue (second image).
    expect(decoded.width).toBe(12);
    const at = (x: number, y: number) => Array.from(decoded.data.subarray((y * 12 + x) * 3, (y * 12 + x) * 3 + 3));
    expect(at(11, 0)).toEqual([255, 0, 255]);
    expect(at(0, 9)).toEqual([0, 255, 255]);
  });
});
