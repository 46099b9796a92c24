// Adagrad: optax's scale_by_rss (root of the sum of squared gradients) and adagrad.
import * as lax from '../lax/index.js';
import { add, greater, multiply, square, where } from '../numpy/ufuncs.js';
import { fullLike } from './moments.js';
import { scaleByLearningRate } from './scale.js';
import { chain, mapLeaves, type GradientTransformation, type PyTree, type ScalarOrSchedule } from './transform.js';

export interface ScaleByRssState {
  sumOfSquares: PyTree;
}

export interface AdagradOptions {
  /** Starting value of the accumulators (must be >= 0). */
  initialAccumulatorValue?: number;
  eps?: number;
}

/** Divides updates by sqrt(sum of squares + eps), and zeroes them where the sum is still 0. */
export function scaleByRss({ initialAccumulatorValue = 0.1, eps = 1e-7 }: AdagradOptions = {}): GradientTransformation<ScaleByRssState> {
  return {
    init: (params) => ({ sumOfSquares: fullLike(params, initialAccumulatorValue) }),
    update(updates, state) {
      const sumOfSquares = mapLeaves((g, t) => add(square(g), t), updates, state.sumOfSquares);
      const inverse = mapLeaves((t) => where(greater(t, 0), lax.rsqrt.bind1([add(t, eps)]), 0), sumOfSquares);
      return [mapLeaves(multiply, inverse, updates) as typeof updates, { sumOfSquares }];
    },
  };
}

/** optax.adagrad: scaleByRss, then scale by -learningRate. */
export function adagrad(learningRate: ScalarOrSchedule, options: AdagradOptions = {}) {
  return chain(scaleByRss(options), scaleByLearningRate(learningRate));
}
