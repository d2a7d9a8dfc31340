/**
 * Prints the largest relative errors of the statistics core against every reference value
 * (R 4.2 oracle, R reference, 40-digit mpmath, exact arithmetic), the numbers quoted in
 * docs/statistics.md. Run: npx tsx test/analysis/stats/accuracy-report.ts
 */
import * as S from '../../../src/analysis/stats/index.js';
import { loadFixture, relativeError } from './fixtures.js';

const oracle = loadFixture('stats-oracle.json');
const special = loadFixture('stats-extra/special-reference.json');
const rReference = loadFixture('stats-extra/r-reference.json');

const worst = new Map<string, { ours: number; scipy: number; at: string }>();
function note(key: string, ours: number, at: string, scipy = Number.NaN): void {
  const current = worst.get(key);
  if (!current) worst.set(key, { ours, scipy, at });
  else {
    if (ours > current.ours) Object.assign(current, { ours, at });
    if (!Number.isNaN(scipy) && !(scipy <= current.scipy))
      current.scipy = Number.isNaN(current.scipy) ? scipy : Math.max(current.scipy, scipy);
  }
}
const maxRel = (a: readonly number[], b: readonly number[]) => Math.max(...a.map((v, i) => relativeError(v, b[i])));

// Welch, oracle
for (const w of oracle.welch.filter((c: any) => c.exact)) {
  const rOk = relativeError(w.two_sided.r.t, w.exact.t) <= 1e-12;
  const exact = special.welch_exact.find((e: any) => e.id === w.id);
  for (const alternative of ['two-sided', 'less', 'greater'] as const) {
    const key = alternative === 'two-sided' ? 'two_sided' : alternative;
    const r = S.welchTTest(w.a, w.b, { alternative });
    note('welch t vs exact', relativeError(r.t, w.exact.t), w.id);
    note('welch df vs exact', relativeError(r.df, w.exact.df), w.id);
    const exactP = alternative === 'two-sided' ? exact.p_two_sided : alternative === 'less' ? exact.p_less : exact.p_greater;
    note(`welch p (${alternative}) vs exact`, relativeError(r.p, exactP), w.id);
    const exactCi =
      alternative === 'two-sided'
        ? exact.ci_two_sided
        : alternative === 'less'
          ? [-Infinity, exact.ci_less_upper]
          : [exact.ci_greater_lower, Infinity];
    note(`welch ci (${alternative}) vs exact`, maxRel(r.ci, exactCi), w.id);
    if (alternative === 'two-sided') note('welch p (two-sided) vs exact t + stdtr', relativeError(r.p, w.exact.p_two_sided_stdtr), w.id);
    const tag = rOk ? '' : ' [R inexact]';
    note(`welch p (${alternative}) vs R${rOk ? '' : ', w16 only'}`, relativeError(r.p, w[key].r.p), w.id + tag);
    note(`welch ci (${alternative}) vs R${rOk ? '' : ', w16 only'}`, maxRel(r.ci, w[key].r.conf_int_95), w.id + tag);
  }
}
for (const c of rReference.welch) {
  for (const R of c.results) {
    const alternative = R.alternative === 'two.sided' ? 'two-sided' : R.alternative;
    const r = S.welchTTest(c.a, c.b, { alternative, confLevel: c.conf_level });
    note('welch p vs R (conf 0.90/0.99 set)', relativeError(r.p, R.p), c.id);
    note('welch ci vs R (conf 0.90/0.99 set)', maxRel(r.ci, R.conf_int), c.id);
  }
}
// p.adjust
const adjustErr = (actual: (number | null)[], expected: (number | null)[]) =>
  Math.max(
    0,
    ...actual.map((v, i) =>
      v === null || expected[i] === null ? (v === expected[i] ? 0 : Infinity) : relativeError(v, expected[i] as number),
    ),
  );
for (const c of oracle.bh) note('p.adjust BH vs R (oracle)', adjustErr(S.adjustPValues(c.p, 'bh'), c.r_p_adjust_BH), c.id);
for (const c of rReference.p_adjust)
  for (const m of ['bh', 'by', 'holm', 'bonferroni', 'hochberg', 'none'] as const)
    note(`p.adjust ${m} vs R`, adjustErr(S.adjustPValues(c.p, m), c[m]), c.id);
// Fisher
for (const t of oracle.tables) {
  for (const [alternative, key] of [
    ['two-sided', 'fisher_two_sided'],
    ['less', 'fisher_less'],
    ['greater', 'fisher_greater'],
  ] as const) {
    const r = S.fisherExactTest(t.table, { alternative });
    const R = t[key].r;
    note(`fisher p (${alternative}) vs R`, relativeError(r.p, R.p), t.id);
    note('fisher conditional MLE vs R', relativeError(r.conditionalMleOddsRatio, R.conditional_mle_odds_ratio), t.id);
    note('fisher ci vs R', maxRel(r.ci, R.conf_int_95), t.id);
  }
}
for (const c of rReference.fisher) {
  for (const R of c.results) {
    const alternative = R.alternative === 'two.sided' ? 'two-sided' : R.alternative;
    const r = S.fisherExactTest(c.table, { alternative, confLevel: R.conf_level });
    note('fisher p vs R (extra tables)', relativeError(r.p, R.p), c.id);
    note('fisher conditional MLE vs R (extra tables)', relativeError(r.conditionalMleOddsRatio, R.conditional_mle_odds_ratio), c.id);
    note('fisher ci vs R (extra tables)', maxRel(r.ci, R.conf_int), c.id);
  }
}
// chi-square
for (const t of oracle.tables) {
  for (const [correction, key] of [
    [true, 'chisq_yates'],
    [false, 'chisq_plain'],
  ] as const) {
    const r = S.chiSquareTest(t.table, { correction });
    if (r.inconclusive) continue;
    note(`chisq statistic vs R (${key})`, relativeError(r.statistic as number, t[key].r.statistic), t.id);
    note(`chisq p vs R (${key})`, relativeError(r.p as number, t[key].r.p), t.id);
  }
}
for (const c of rReference.chisq) {
  for (const R of c.results) {
    const r = S.chiSquareTest(c.table, { correction: R.correct });
    note('chisq statistic vs R (r x c set)', relativeError(r.statistic as number, R.statistic), c.id);
    note('chisq p vs R (r x c set)', relativeError(r.p as number, R.p), c.id);
  }
}
// special functions vs mpmath (and SciPy's own error)
for (const c of special.log_gamma)
  note('logGamma vs mpmath', relativeError(S.logGamma(c.x), c.ref), `x=${c.x}`, relativeError(c.scipy, c.ref));
for (const c of special.incomplete_beta)
  note(
    'regularizedIncompleteBeta vs mpmath',
    relativeError(S.regularizedIncompleteBeta(c.x, c.a, c.b), c.ref),
    `${c.x},${c.a},${c.b}`,
    relativeError(c.scipy, c.ref),
  );
for (const c of special.upper_gamma)
  note(
    'regularizedUpperGamma vs mpmath',
    relativeError(S.regularizedUpperGamma(c.a, c.x), c.ref),
    `${c.a},${c.x}`,
    relativeError(c.scipy, c.ref),
  );
for (const c of special.chi_square_sf)
  note('chiSquareSf vs mpmath', relativeError(S.chiSquareSf(c.x, c.k), c.ref), `${c.x},${c.k}`, relativeError(c.scipy, c.ref));
for (const c of special.student_t) {
  const band = c.df <= 1000 ? 'df <= 1000' : 'df 1e4..1e6';
  note(
    `studentTCdf/Sf vs mpmath (${band})`,
    Math.max(relativeError(S.studentTCdf(c.t, c.df), c.cdf), relativeError(S.studentTSf(c.t, c.df), c.sf)),
    `t=${c.t},df=${c.df}`,
    Math.max(relativeError(c.scipy_cdf, c.cdf), relativeError(c.scipy_sf, c.sf)),
  );
}
for (const c of special.student_t_quantile) {
  const band = c.df <= 1000 ? 'df <= 1000' : 'df 1e4..1e6';
  // SciPy clips quantiles beyond ±1e100 (or returns -inf); its column covers the other points
  const scipyError = Math.abs(c.scipy) < 1e100 && c.ref !== 0 ? relativeError(c.scipy, c.ref) : Number.NaN;
  note(`studentTQuantile vs mpmath (${band})`, relativeError(S.studentTQuantile(c.p, c.df), c.ref), `p=${c.p},df=${c.df}`, scipyError);
}
for (const c of rReference.qt.filter((q: any) => q.p >= 1e-20 && q.p <= 1 - 1e-20))
  note('studentTQuantile vs R qt (p >= 1e-20)', relativeError(S.studentTQuantile(c.p, c.df), c.q), `p=${c.p},df=${c.df}`);
for (const c of special.hypergeometric) {
  note(
    'hypergeometricCdf (both tails) vs exact',
    Math.max(
      relativeError(S.hypergeometricCdf(c.x, c.r, c.b, c.n), c.cdf),
      relativeError(S.hypergeometricCdf(c.x, c.r, c.b, c.n, false), c.sf),
    ),
    `${c.x},${c.r},${c.b},${c.n}`,
    Math.max(relativeError(c.scipy_cdf, c.cdf), relativeError(c.scipy_sf, c.sf)),
  );
  note(
    'logHypergeometricPmf vs exact (absolute)',
    Math.abs(S.logHypergeometricPmf(c.x, c.r, c.b, c.n) - c.log_pmf),
    `${c.x},${c.r},${c.b},${c.n}`,
    Math.abs(c.scipy_log_pmf - c.log_pmf),
  );
}

console.log('| quantity | max relative error | worst case | SciPy 1.10 on the same points |');
console.log('| --- | --- | --- | --- |');
for (const [key, { ours, scipy, at }] of worst) {
  const fmt = (v: number) => (Number.isNaN(v) ? '' : v === 0 ? '0' : v.toExponential(1));
  console.log(`| ${key} | ${fmt(ours)} | ${at} | ${fmt(scipy)} |`);
}
