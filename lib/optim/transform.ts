// The optax core: a gradient transformation is a pair of pure functions over pytrees, `init`
// and `update`, whose state is itself a pytree of Arrays, so a whole training step can be jitted.
import type { Array, ArrayLike } from '../core/array.js';
import * as tree from '../core/pytree.js';
import { asarray, astype } from '../numpy/convert.js';
import { add } from '../numpy/ufuncs.js';

/** A pytree whose leaves are Arrays (or JS numbers): parameters, gradients, updates. */
export type PyTree = unknown;

/** Maps the step count (an int32 scalar) to a value, as optax's Schedule. */
export type Schedule = (count: ArrayLike) => Array;

/** A fixed value, or a schedule called with the step count. */
export type ScalarOrSchedule = number | Array | ((count: Array) => ArrayLike);

/**
 * As optax's GradientTransformation: `init(params)` builds the state; `update(updates, state,
 * params)` returns the transformed updates (same structure as `updates`) and the next state.
 */
export interface GradientTransformation<S = unknown> {
  init(params: PyTree): S;
  update<U>(updates: U, state: S, params?: PyTree): [U, S];
}

/** The state type of a transformation. */
export type StateOf<T> = T extends GradientTransformation<infer S> ? S : never;

/** The state of stateless transformations, as optax's EmptyState: a pytree with no leaves. */
export type EmptyState = Record<string, never>;

/** Leaves as Arrays: optimiser arithmetic takes JS-number parameters too. */
export const leaf = (x: unknown): Array => asarray(x as ArrayLike);

/** Applies `f` leafwise over `updates` and the matching leaves of `rest`. */
export function mapLeaves<U>(f: (...leaves: Array[]) => Array, updates: U, ...rest: unknown[]): U {
  return tree.map((...xs: unknown[]) => f(...xs.map(leaf)), updates, ...rest);
}

/** Leaves the updates unchanged (optax.identity). */
export function identity(): GradientTransformation<EmptyState> {
  return { init: () => ({}), update: (updates, state) => [updates, state] };
}

/**
 * Applies transformations in order (optax.chain); the state is the array of their states.
 */
export function chain<const T extends readonly GradientTransformation[]>(...transforms: T): GradientTransformation<{ -readonly [K in keyof T]: StateOf<T[K]> }> {
  type S = { -readonly [K in keyof T]: StateOf<T[K]> };
  return {
    init: (params) => transforms.map((t) => t.init(params)) as S,
    update<U>(updates: U, state: S, params?: PyTree): [U, S] {
      const states = state as unknown[];
      if (!globalThis.Array.isArray(state) || states.length !== transforms.length) {
        throw new Error('The number of updates and states has to be the same in chain! Make sure you have called init first!');
      }
      const next = transforms.map((t, i) => {
        const [u, s] = t.update(updates, states[i], params);
        updates = u;
        return s;
      });
      return [updates, next as S];
    },
  };
}

/** params + updates leafwise, keeping each parameter's dtype (optax.apply_updates). */
export function applyUpdates<P>(params: P, updates: PyTree): P {
  return tree.map((p: unknown, u: unknown) => astype(add(leaf(p), leaf(u)), leaf(p).dtype), params, updates);
}
