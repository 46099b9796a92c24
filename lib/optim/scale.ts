// Scaling by a fixed step or a schedule, decoupled weight decay, and masking a transformation
// to part of the parameters: optax's scale, scale_by_learning_rate, scale_by_schedule,
// add_decayed_weights and masked.
import type { Array, ArrayLike } from '../core/array.js';
import * as tree from '../core/pytree.js';
import { asarray } from '../numpy/convert.js';
import { add, multiply, negative } from '../numpy/ufuncs.js';
import { safeIncrement, zeroCount } from './moments.js';
import { mapLeaves, type EmptyState, type GradientTransformation, type PyTree, type ScalarOrSchedule } from './transform.js';

export interface CountState {
  count: Array;
}

/** Multiplies updates by a fixed `stepSize` (promoting as jnp does: a JS number keeps the dtype). */
export function scale(stepSize: number | Array): GradientTransformation<EmptyState> {
  return { init: () => ({}), update: (updates, state) => [mapLeaves((g) => multiply(stepSize, g), updates), state] };
}

/** Multiplies updates by `stepSizeFn(count)`, cast to each update's dtype; counts steps. */
export function scaleBySchedule(stepSizeFn: (count: Array) => ArrayLike): GradientTransformation<CountState> {
  return {
    init: () => ({ count: zeroCount() }),
    update(updates, state) {
      const step = stepSizeFn(state.count);
      const out = mapLeaves((g) => multiply(asarray(step, g.dtype), g), updates);
      return [out, { count: safeIncrement(state.count) }];
    },
  };
}

/** Scales by -learningRate (by +learningRate with flipSign false), fixed or scheduled. */
export function scaleByLearningRate(learningRate: ScalarOrSchedule, { flipSign = true } = {}): GradientTransformation<EmptyState | CountState> {
  const signed = (v: ArrayLike): ArrayLike => (!flipSign ? v : typeof v === 'number' ? -v : negative(v));
  if (typeof learningRate === 'function') {
    return scaleBySchedule((count) => signed(learningRate(count))) as GradientTransformation<EmptyState | CountState>;
  }
  return scale(signed(learningRate) as number | Array) as GradientTransformation<EmptyState | CountState>;
}

/** A boolean tree, a prefix of the params' structure, or a function of the params that returns one. */
export type Mask = PyTree | ((params: PyTree) => PyTree);

export interface MaskedState<S> {
  innerState: S;
}

/**
 * Applies `inner` only where `mask` is true; elsewhere updates pass through. Masked-out subtrees
 * become null (a pytree with no leaves) for `inner`, so its state holds nothing for them.
 */
export function masked<S>(inner: GradientTransformation<S>, mask: Mask): GradientTransformation<MaskedState<S>> {
  const maskFor = (t: PyTree): PyTree => (typeof mask === 'function' ? (mask as (p: PyTree) => PyTree)(t) : mask);
  const hide = (t: PyTree, m: PyTree): PyTree => tree.map((keep: unknown, sub: unknown) => (keep ? sub : null), m, t);
  return {
    init: (params) => ({ innerState: inner.init(hide(params, maskFor(params))) }),
    update<U>(updates: U, state: MaskedState<S>, params?: PyTree): [U, MaskedState<S>] {
      const m = maskFor(updates);
      const [innerUpdates, innerState] = inner.update(hide(updates, m), state.innerState, params === undefined ? undefined : hide(params, m));
      const merged = tree.map((keep: unknown, fresh: unknown, old: unknown) => (keep ? fresh : old), m, innerUpdates, updates);
      return [merged as unknown as U, { innerState }];
    },
  };
}

/** addDecayedWeights' state: a step count when the rate is scheduled. */
export type DecayState = EmptyState | CountState;

/**
 * Adds weightDecay * params to the updates (decoupled weight decay, as AdamW's); a scheduled
 * rate is read at the step count. Needs `params` in update.
 */
export function addDecayedWeights(
  weightDecay: ScalarOrSchedule = 0,
  { mask = null }: { mask?: Mask | null } = {},
): GradientTransformation<DecayState | MaskedState<DecayState>> {
  const scheduled = typeof weightDecay === 'function';
  const t: GradientTransformation<DecayState> = {
    init: (): DecayState => (scheduled ? { count: zeroCount() } : {}),
    update(updates, state, params) {
      if (params === undefined || params === null) {
        throw new Error('add_decayed_weights: you are using a transformation that requires the current value of parameters, but you are not passing `params` when calling `update`.');
      }
      const count = (state as CountState).count;
      const next = scheduled ? { count: safeIncrement(count) } : state;
      if (typeof weightDecay === 'number' && weightDecay === 0) return [updates, next];
      const s = scheduled ? weightDecay(count) : weightDecay;
      return [mapLeaves((g, p) => add(g, multiply(s, p)), updates, params), next];
    },
  };
  return mask === null ? t : (masked(t, mask) as GradientTransformation<DecayState | MaskedState<DecayState>>);
}

