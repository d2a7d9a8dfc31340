import { PieAuditError } from '../../errors.js';

/**
 * Throws INVALID_ARGUMENT unless `dilations` is 1 (or [1, 1]): the composed depthwise gradients, like
 * tfjs's own gradient functions (which assert it), only cover undilated convolutions.
 *
 * @throws PieAuditError `INVALID_ARGUMENT`
 * @example
 * assertUndilated([1, 1], 'DepthwiseConv2dNativeBackpropFilter'); // ok
 */
export function assertUndilated(dilations: number | [number, number] | undefined, kernelName: string): void {
  const [dh, dw] = typeof dilations === 'number' ? [dilations, dilations] : (dilations ?? [1, 1]);
  if (dh !== 1 || dw !== 1) {
    throw new PieAuditError(
      'INVALID_ARGUMENT',
      `${kernelName} on wasm supports only dilations 1 (got [${dh}, ${dw}]); train dilated depthwise convolutions with dilations set to 1 or on another backend.`,
      { kernelName, dilations },
    );
  }
}
