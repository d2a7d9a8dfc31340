/**
 * A CI release gate: check a saved audit report against thresholds and exit with the gate code
 * (0 pass, 1 fail, 3 inconclusive, 2 bad input), printing one line per threshold.
 *
 * Run: npx tsx examples/ci-gate.ts <report.json> [gates.json]
 *   e.g. npx tsx examples/precomputed-predictions.ts out && npx tsx examples/ci-gate.ts out/report.json
 *
 * The same check from a shell: `pie-audit gate out/report.json --gates gates.json`.
 * In GitHub Actions, a non-zero exit fails the job; treat 3 (inconclusive) as you see fit, e.g.
 * `npx tsx examples/ci-gate.ts report.json || [ $? -eq 3 ]` to let inconclusive pass with a warning.
 */
import { readFileSync } from 'node:fs';
import { evaluateGates, isPieAuditError, loadReport, type GatesConfig } from 'pie-audit';

const [reportPath, gatesPath] = process.argv.slice(2);
if (!reportPath) {
  console.error('usage: npx tsx examples/ci-gate.ts <report.json> [gates.json]');
  process.exit(2);
}

// Default thresholds for the bundled precomputed example; real projects keep them in gates.json.
const defaultGates: GatesConfig = {
  maxPieRate: { 0.8: 0.05 },
  minTop1: { 0.8: 0.85 },
  maxSignificantlyHurtClasses: { 0.8: 0 },
};

try {
  const report = await loadReport(reportPath);
  const gates = gatesPath ? (JSON.parse(readFileSync(gatesPath, 'utf8')) as GatesConfig) : defaultGates;
  const result = evaluateGates(report, gates);
  for (const r of result.results) console.log(`${r.status.toUpperCase().padEnd(12)} ${r.reason}`);
  console.log(`release gate: ${result.verdict} (exit ${result.exitCode})`);
  process.exitCode = result.exitCode;
} catch (e) {
  console.error(`ci-gate: ${isPieAuditError(e) ? e.message : String(e)}`);
  process.exitCode = 2;
}
