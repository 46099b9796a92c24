// Clipping updates elementwise or by their global norm: optax's clip and clip_by_global_norm.
import type { Array } from '../core/array.js';
import * as tree from '../core/pytree.js';
import { astype } from '../numpy/convert.js';
import { clip as clipValues } from '../numpy/mathematical.js';
import { sum } from '../numpy/reductions.js';
import { add, divide, less, multiply, sqrt, square, where } from '../numpy/ufuncs.js';
import { leaf, mapLeaves, type EmptyState, type GradientTransformation, type PyTree } from './transform.js';

/** Clips every update element to [-maxDelta, maxDelta]. */
export function clip(maxDelta: number): GradientTransformation<EmptyState> {
  return { init: () => ({}), update: (updates, state) => [mapLeaves((g) => clipValues(g, -maxDelta, maxDelta), updates), state] };
}

/** The L2 norm of all leaves together: sqrt of the sum of every leaf's sum of squares. */
export function globalNorm(updates: PyTree): Array {
  const sums = tree.leaves(updates).map((g) => sum(square(leaf(g))));
  return sqrt(sums.reduce<Array | number>((acc, s) => add(acc, s), 0));
}

/** Rescales updates by maxNorm / norm when their global norm is maxNorm or more (optax.clip_by_global_norm). */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation<EmptyState> {
  return {
    init: () => ({}),
    update(updates, state) {
      const norm = globalNorm(updates);
      const keep = less(norm, maxNorm);
      return [mapLeaves((t) => where(keep, t, multiply(divide(t, astype(norm, t.dtype)), maxNorm)), updates), state];
    },
  };
}
