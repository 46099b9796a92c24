// RMSProp, plain and centered: optax's scale_by_rms, scale_by_stddev and rmsprop.
import type { Array } from '../core/array.js';
import * as lax from '../lax/index.js';
import { add, divide, multiply, sqrt, square, subtract } from '../numpy/ufuncs.js';
import { biasCorrection, fullLike, safeIncrement, updateMoment, zeroCount } from './moments.js';
import { scaleByLearningRate } from './scale.js';
import { trace } from './sgd.js';
import { chain, identity, mapLeaves, type GradientTransformation, type PyTree, type ScalarOrSchedule } from './transform.js';

export interface RmsOptions {
  decay?: number;
  eps?: number;
  /** Starting value of the second moment. */
  initialScale?: number;
  /** Add eps inside the square root (rsqrt(nu + eps), the default) or outside (1 / (sqrt(nu) + eps)). */
  epsInSqrt?: boolean;
  /** Divide the moments by 1 - decay^t; the state then carries a step count. */
  biasCorrection?: boolean;
}

export interface ScaleByRmsState {
  count?: Array;
  nu: PyTree;
}

export interface ScaleByStddevState {
  count?: Array;
  mu: PyTree;
  nu: PyTree;
}

// 1/sqrt(x + eps) or 1/(sqrt(x) + eps), as optax chooses with eps_in_sqrt.
const inverseRoot = (x: Array, eps: number, epsInSqrt: boolean): Array =>
  epsInSqrt ? lax.rsqrt.bind1([add(x, eps)]) : divide(1, add(sqrt(x), eps));

/** Divides updates by the root of the moving average of their squares. */
export function scaleByRms({ decay = 0.9, eps = 1e-8, initialScale = 0, epsInSqrt = true, biasCorrection: correct = false }: RmsOptions = {}): GradientTransformation<ScaleByRmsState> {
  return {
    init: (params) => ({ ...(correct && { count: zeroCount() }), nu: fullLike(params, initialScale) }),
    update(updates, state) {
      const nu = updateMoment(updates, state.nu, decay, 2);
      const count = correct ? safeIncrement(state.count!) : undefined;
      const nuHat = count ? biasCorrection(nu, decay, count) : nu;
      const out = mapLeaves((n, g) => multiply(inverseRoot(n, eps, epsInSqrt), g), nuHat, updates) as typeof updates;
      return [out, { ...(count && { count }), nu }];
    },
  };
}

/** Divides updates by the root of the moving variance (second moment less the squared mean). */
export function scaleByStddev({ decay = 0.9, eps = 1e-8, initialScale = 0, epsInSqrt = true, biasCorrection: correct = false }: RmsOptions = {}): GradientTransformation<ScaleByStddevState> {
  return {
    init: (params) => ({ ...(correct && { count: zeroCount() }), mu: fullLike(params, 0), nu: fullLike(params, initialScale) }),
    update(updates, state) {
      const mu = updateMoment(updates, state.mu, decay, 1);
      const nu = updateMoment(updates, state.nu, decay, 2);
      const count = correct ? safeIncrement(state.count!) : undefined;
      const muHat = count ? biasCorrection(mu, decay, count) : mu;
      const nuHat = count ? biasCorrection(nu, decay, count) : nu;
      const out = mapLeaves((m, n, g) => multiply(inverseRoot(subtract(n, square(m)), eps, epsInSqrt), g), muHat, nuHat, updates) as typeof updates;
      return [out, { ...(count && { count }), mu, nu }];
    },
  };
}

export interface RmspropOptions extends RmsOptions {
  /** Normalise by the variance rather than the raw second moment. */
  centered?: boolean;
  /** Momentum (optax.trace) applied after the learning rate; none by default. */
  momentum?: number | null;
  nesterov?: boolean;
}

/** optax.rmsprop: scaleByRms (or scaleByStddev if centered), scale by -learningRate, then optional momentum. */
export function rmsprop(learningRate: ScalarOrSchedule, { centered = false, momentum = null, nesterov = false, ...options }: RmspropOptions = {}) {
  return chain(
    centered ? scaleByStddev(options) : scaleByRms(options),
    scaleByLearningRate(learningRate),
    momentum === null ? identity() : trace(momentum, { nesterov }),
  );
}
