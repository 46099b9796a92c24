// Lion (evolved sign momentum): optax's scale_by_lion and lion.
import type { Array } from '../core/array.js';
import type { DType } from '../core/dtypes.js';
import { add, multiply, sign } from '../numpy/ufuncs.js';
import { cast, fullLike, safeIncrement, updateMoment, zeroCount } from './moments.js';
import { addDecayedWeights, scaleByLearningRate, type Mask } from './scale.js';
import { chain, mapLeaves, type GradientTransformation, type PyTree, type ScalarOrSchedule } from './transform.js';

export interface ScaleByLionState {
  count: Array;
  mu: PyTree;
}

export interface LionOptions {
  /** Interpolation between the momentum and the gradient for the update's sign. */
  b1?: number;
  /** Decay of the momentum. */
  b2?: number;
  muDtype?: DType | null;
}

/** The update is sign((1 - b1) g + b1 mu); the momentum then moves with rate b2. */
export function scaleByLion({ b1 = 0.9, b2 = 0.99, muDtype = null }: LionOptions = {}): GradientTransformation<ScaleByLionState> {
  return {
    init: (params) => ({ count: zeroCount(), mu: fullLike(params, 0, muDtype) }),
    update(updates, state) {
      const out = mapLeaves((g, m) => sign(add(multiply(1 - b1, g), multiply(b1, m))), updates, state.mu);
      const mu = cast(updateMoment(updates, state.mu, b2, 1), muDtype);
      return [out, { count: safeIncrement(state.count), mu }];
    },
  };
}

export interface LionAliasOptions extends LionOptions {
  /** Decoupled weight decay rate (default 1e-3), fixed or scheduled. */
  weightDecay?: ScalarOrSchedule;
  mask?: Mask | null;
}

/** optax.lion: scaleByLion, add weightDecay * params, then scale by -learningRate. */
export function lion(learningRate: ScalarOrSchedule, { weightDecay = 1e-3, mask = null, ...options }: LionAliasOptions = {}) {
  return chain(scaleByLion(options), addDecayedWeights(weightDecay, { mask }), scaleByLearningRate(learningRate));
}
