// Stochastic gradient descent with optional (Nesterov) momentum: optax's trace and sgd.
import type { Array } from '../core/array.js';
import type { DType } from '../core/dtypes.js';
import { add, multiply } from '../numpy/ufuncs.js';
import { cast, fullLike } from './moments.js';
import { scaleByLearningRate } from './scale.js';
import { chain, identity, mapLeaves, type GradientTransformation, type PyTree, type ScalarOrSchedule } from './transform.js';

export interface TraceState {
  trace: PyTree;
}

export interface TraceOptions {
  nesterov?: boolean;
  /** dtype of the accumulator; by default each parameter's. */
  accumulatorDtype?: DType | null;
}

/**
 * Momentum: trace = g + decay * trace; the update is the new trace, or with Nesterov
 * g + decay * trace (optax.trace, which does not damp g by 1 - decay).
 */
export function trace(decay: number, { nesterov = false, accumulatorDtype = null }: TraceOptions = {}): GradientTransformation<TraceState> {
  const step = (g: Array, t: Array): Array => add(g, multiply(decay, t));
  return {
    init: (params) => ({ trace: fullLike(params, 0, accumulatorDtype) }),
    update(updates, state) {
      const next = mapLeaves(step, updates, state.trace);
      const out = nesterov ? mapLeaves(step, updates, next) : next;
      return [out, { trace: cast(next, accumulatorDtype) }];
    },
  };
}

export interface SgdOptions extends TraceOptions {
  /** Momentum decay; none by default (plain gradient descent). */
  momentum?: number | null;
}

/** optax.sgd: chain(trace(momentum) if momentum is given, scale by -learningRate). */
export function sgd(learningRate: ScalarOrSchedule, { momentum = null, ...traceOptions }: SgdOptions = {}) {
  return chain(momentum === null ? identity() : trace(momentum, traceOptions), scaleByLearningRate(learningRate));
}
