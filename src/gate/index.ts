export { verdictExitCode, evaluateGates } from './evaluate-gates.js';
export { validateGatesConfig, type GateContext } from './validate-gates.js';
