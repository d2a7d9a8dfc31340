/**
 * Loader's deviance term `bd0(x, np) = x log(x / np) + np - x`, computed without cancellation
 * when x is close to np (a series in v = (x - np)/(x + np)), as in R's nmath.
 *
 * @example
 * binomialDeviance(10, 10); // 0
 */
export function binomialDeviance(x: number, np: number): number {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    let v = (x - np) / (x + np);
    let s = (x - np) * v;
    if (Math.abs(s) < 2.2250738585072014e-308) return s; // below DBL_MIN: the series adds nothing
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
  }
  return x * Math.log(x / np) + np - x;
}
