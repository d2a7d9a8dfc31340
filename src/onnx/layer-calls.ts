import type { LayersModel, SymbolicTensor, layers } from '@tensorflow/tfjs';
import type { LogicalShape } from './export-context.js';

/** One application of a layer inside a model's graph, in an order where inputs come before their users. */
export interface LayerCall {
  readonly layer: layers.Layer;
  readonly inputs: SymbolicTensor[];
  readonly output: SymbolicTensor;
}

/** The logical shape of a symbolic tensor (batch and unknown dimensions are null). */
export function shapeOf(t: SymbolicTensor): LogicalShape {
  return t.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : null));
}

/**
 * The layer applications that compute `model.outputs`, topologically sorted, found by walking the
 * symbolic tensors back to the inputs. Works for Sequential and functional models alike and ignores
 * layers that do not feed an output. InputLayer calls are left out (they are the graph inputs).
 *
 * @example
 * for (const call of layerCalls(model)) console.log(call.layer.getClassName(), call.layer.name);
 */
export function layerCalls(model: LayersModel): LayerCall[] {
  const order: LayerCall[] = [];
  const done = new Set<number>();
  const visit = (root: SymbolicTensor): void => {
    // Iterative post-order: deep Sequential stacks must not exhaust the call stack.
    const stack: Array<{ t: SymbolicTensor; expanded: boolean }> = [{ t: root, expanded: false }];
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (done.has(top.t.id)) {
        stack.pop();
        continue;
      }
      const inputs = top.t.inputs ?? [];
      if (!top.expanded) {
        top.expanded = true;
        for (const i of inputs) if (!done.has(i.id)) stack.push({ t: i, expanded: false });
        continue;
      }
      stack.pop();
      done.add(top.t.id);
      if (top.t.sourceLayer.getClassName() !== 'InputLayer') order.push({ layer: top.t.sourceLayer, inputs, output: top.t });
    }
  };
  for (const out of model.outputs) visit(out);
  return order;
}
