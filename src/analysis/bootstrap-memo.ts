/** Most values one {@link BootstrapMemo} keeps (2^25 doubles, 256 MiB); beyond it sums are recomputed. */
const MAX_VALUES = 2 ** 25;

interface Entry {
  values: Float64Array;
  done: Uint8Array;
}

/**
 * Per-resample sums that do not change between the levels of one audit (group sizes, the baseline's expected
 * errors per group), kept after the first level computes them so the next levels only add what is their own.
 * One memo serves one set of inputs and bootstrap settings: the caller names each sum with a key that fixes what
 * it is computed from. Resample -1 (the point estimate) is kept too.
 *
 * @example
 * const memo = new BootstrapMemo(1000);
 * const sums = memo.sums('sizes:sex', r, 3, (target) => fillGroupSizes(w, target));
 */
export class BootstrapMemo {
  private readonly entries = new Map<string, Entry | null>();
  private scratch = new Float64Array(0);
  private held = 0;

  constructor(private readonly resamples: number) {}

  /**
   * The `size` sums named `key` for resample `resample` (-1..resamples-1), computed by `fill` (into a zeroed
   * array) on first use. The result is read-only and valid until the next call.
   */
  sums(key: string, resample: number, size: number, fill: (target: Float64Array) => void): Float64Array {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      const values = (this.resamples + 1) * size;
      entry = this.held + values <= MAX_VALUES ? { values: new Float64Array(values), done: new Uint8Array(this.resamples + 1) } : null;
      if (entry) this.held += values;
      this.entries.set(key, entry);
    }
    if (entry === null || resample + 1 >= entry.done.length) {
      if (this.scratch.length < size) this.scratch = new Float64Array(size);
      const target = this.scratch.subarray(0, size);
      target.fill(0);
      fill(target);
      return target;
    }
    const target = entry.values.subarray((resample + 1) * size, (resample + 2) * size);
    if (!entry.done[resample + 1]) {
      fill(target);
      entry.done[resample + 1] = 1;
    }
    return target;
  }
}
