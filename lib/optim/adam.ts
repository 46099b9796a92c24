// Adam and AdamW: optax's scale_by_adam, adam and adamw (with Nesterov's variant, NAdam).
import type { Array } from '../core/array.js';
import type { DType } from '../core/dtypes.js';
import { add, divide, multiply, sqrt } from '../numpy/ufuncs.js';
import { biasCorrection, cast, castLike, fullLike, safeIncrement, updateMoment, zeroCount } from './moments.js';
import { addDecayedWeights, scaleByLearningRate, type Mask } from './scale.js';
import { chain, mapLeaves, type GradientTransformation, type PyTree, type ScalarOrSchedule } from './transform.js';

export interface ScaleByAdamState {
  count: Array;
  mu: PyTree;
  nu: PyTree;
}

export interface AdamOptions {
  b1?: number;
  b2?: number;
  /** Added to the square root of the second moment. */
  eps?: number;
  /** Added to the second moment inside the square root (for differentiating through the update). */
  epsRoot?: number;
  /** dtype of the first moment; by default each parameter's. */
  muDtype?: DType | null;
  nesterov?: boolean;
}

/**
 * Adam's rescaling: mu_hat / (sqrt(nu_hat + epsRoot) + eps), with moments bias-corrected by the
 * step count (counted from 1). With nesterov, mu_hat = b1 * mu/(1 - b1^(t+1)) + (1 - b1) g/(1 - b1^t).
 */
export function scaleByAdam({ b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, muDtype = null, nesterov = false }: AdamOptions = {}): GradientTransformation<ScaleByAdamState> {
  return {
    init: (params) => ({ count: zeroCount(), mu: fullLike(params, 0, muDtype), nu: fullLike(params, 0) }),
    update(updates, state) {
      const mu = updateMoment(updates, state.mu, b1, 1);
      const nu = updateMoment(updates, state.nu, b2, 2);
      const count = safeIncrement(state.count);
      const muHat = nesterov
        ? mapLeaves(
            (m, g) => add(multiply(b1, m), multiply(1 - b1, g)),
            biasCorrection(mu, b1, safeIncrement(count)),
            biasCorrection(updates, b1, count),
          )
        : biasCorrection(mu, b1, count);
      const nuHat = biasCorrection(nu, b2, count);
      const out = mapLeaves((m, v) => divide(m, add(sqrt(add(v, epsRoot)), eps)), muHat, nuHat) as typeof updates;
      return [out, { count, mu: cast(mu, muDtype), nu: castLike(nu, state.nu) }];
    },
  };
}

/** optax.adam: scaleByAdam, then scale by -learningRate. */
export function adam(learningRate: ScalarOrSchedule, options: AdamOptions = {}) {
  return chain(scaleByAdam(options), scaleByLearningRate(learningRate));
}

export interface AdamwOptions extends AdamOptions {
  /** Decoupled weight decay rate (default 1e-4), fixed or scheduled. */
  weightDecay?: ScalarOrSchedule;
  /** Where to apply weight decay: a boolean tree (prefix of the params) or a function of the params. */
  mask?: Mask | null;
}

/** optax.adamw: scaleByAdam, add weightDecay * params, then scale by -learningRate. */
export function adamw(learningRate: ScalarOrSchedule, { weightDecay = 1e-4, mask = null, ...options }: AdamwOptions = {}) {
  return chain(scaleByAdam(options), addDecayedWeights(weightDecay, { mask }), scaleByLearningRate(learningRate));
}
