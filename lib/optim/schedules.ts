// Learning-rate schedules: functions of the step count (an int32 scalar, or a JS number), with
// optax's formulas: constant, polynomial/linear, piecewise constant, exponential decay, cosine
// decay, and warmups joined to a decay.
import type { Array } from '../core/array.js';
import { asarray, convertTo } from '../numpy/convert.js';
import { clip } from '../numpy/mathematical.js';
import { add, cos, divide, floor, lessEqual, less, maximum, minimum, multiply, power, sign, subtract, where } from '../numpy/ufuncs.js';
import type { Schedule } from './transform.js';

const constant = (value: number): Schedule => () => asarray(value);

/** Always `value`. */
export const constantSchedule = (value: number): Schedule => constant(value);

export interface TransitionOptions {
  /** Steps before the transition starts (negative values count as 0). */
  transitionBegin?: number;
}

/**
 * From initValue to endValue over transitionSteps steps (starting at transitionBegin) along
 * (initValue - endValue) * (1 - t / transitionSteps)^power + endValue.
 */
export function polynomialSchedule(initValue: number, endValue: number, powerValue: number, transitionSteps: number, { transitionBegin = 0 }: TransitionOptions = {}): Schedule {
  if (transitionSteps <= 0) return constant(initValue); // as optax: a constant schedule, not an error
  const begin = Math.max(transitionBegin, 0);
  return (count) => {
    const t = clip(subtract(count, begin), 0, transitionSteps);
    const frac = subtract(1, divide(t, transitionSteps));
    return add(multiply(initValue - endValue, power(frac, powerValue)), endValue);
  };
}

/** polynomialSchedule with power 1. */
export const linearSchedule = (initValue: number, endValue: number, transitionSteps: number, options: TransitionOptions = {}): Schedule =>
  polynomialSchedule(initValue, endValue, 1, transitionSteps, options);

/** initValue, multiplied by `scale` once count passes each boundary (keys are step counts). */
export function piecewiseConstantSchedule(initValue: number, boundariesAndScales: Record<number, number> = {}): Schedule {
  const entries = Object.entries(boundariesAndScales).map(([b, s]) => [Number(b), s] as const).sort((a, b) => a[0] - b[0]);
  if (entries.some(([, s]) => !(s >= 0))) throw new Error('`piecewise_constant_schedule` expects non-negative scale factors');
  return (count) => {
    let v: Array = asarray(initValue);
    for (const [threshold, scale] of entries) {
      const indicator = maximum(0, sign(subtract(threshold, count)));
      v = add(multiply(v, indicator), multiply(multiply(subtract(1, indicator), scale), v));
    }
    return v;
  };
}

export interface ExponentialDecayOptions extends TransitionOptions {
  /** Decay in discrete intervals (floor of the exponent). */
  staircase?: boolean;
  /** Bound the value: a floor if decayRate < 1, a ceiling otherwise. */
  endValue?: number | null;
}

/** initValue * decayRate^((count - transitionBegin) / transitionSteps), initValue before transitionBegin. */
export function exponentialDecay(initValue: number, transitionSteps: number, decayRate: number, options: ExponentialDecayOptions = {}): Schedule {
  const { staircase = false, endValue = null } = options;
  if (transitionSteps <= 0 || decayRate === 0) return constant(initValue); // as optax
  const begin = Math.max(options.transitionBegin ?? 0, 0);
  const bound = decayRate < 1 ? maximum : minimum;
  return (count) => {
    const decreased = subtract(count, begin);
    let p = divide(decreased, transitionSteps);
    if (staircase) p = floor(p);
    const decayed = where(lessEqual(decreased, 0), initValue, multiply(initValue, power(decayRate, p)));
    return endValue === null ? decayed : bound(decayed, endValue);
  };
}

export interface CosineDecayOptions {
  /** The final value as a fraction of initValue. */
  alpha?: number;
  /** Power of the cosine factor. */
  exponent?: number;
}

/** initValue * ((1 - alpha) * (0.5 (1 + cos(pi min(count, decaySteps) / decaySteps)))^exponent + alpha). */
export function cosineDecaySchedule(initValue: number, decaySteps: number, { alpha = 0, exponent = 1 }: CosineDecayOptions = {}): Schedule {
  if (!(decaySteps > 0)) throw new Error(`The cosine_decay_schedule requires positive decay_steps, got decay_steps=${decaySteps}.`);
  return (count) => {
    // decaySteps as a weak float, as optax's float(decay_steps): large counts then cannot overflow int32.
    const t = minimum(count, convertTo(asarray(decaySteps), 'float32', true));
    const cosine = multiply(0.5, add(1, cos(divide(multiply(Math.PI, t), decaySteps))));
    return multiply(initValue, add(multiply(1 - alpha, power(cosine, exponent)), alpha));
  };
}

/**
 * schedules[0] until boundaries[0], then schedules[1] counted from that boundary, and so on
 * (optax.join_schedules).
 */
export function joinSchedules(schedules: readonly Schedule[], boundaries: readonly number[]): Schedule {
  return (count) => {
    let out = schedules[0]!(count);
    boundaries.forEach((boundary, i) => {
      if (schedules[i + 1]) out = where(less(count, boundary), out, schedules[i + 1]!(subtract(count, boundary)));
    });
    return out;
  };
}

/** Linear warmup from initValue to peakValue over warmupSteps, then peakValue. */
export const warmupConstantSchedule = (initValue: number, peakValue: number, warmupSteps: number): Schedule =>
  linearSchedule(initValue, peakValue, warmupSteps);

export interface WarmupCosineDecayOptions {
  endValue?: number;
  exponent?: number;
}

/** Linear warmup to peakValue over warmupSteps, then cosine decay to endValue at decaySteps (counted from 0). */
export function warmupCosineDecaySchedule(initValue: number, peakValue: number, warmupSteps: number, decaySteps: number, { endValue = 0, exponent = 1 }: WarmupCosineDecayOptions = {}): Schedule {
  const alpha = peakValue === 0 ? 0 : endValue / peakValue;
  return joinSchedules(
    [linearSchedule(initValue, peakValue, warmupSteps), cosineDecaySchedule(peakValue, decaySteps - warmupSteps, { alpha, exponent })],
    [warmupSteps],
  );
}

/** Linear warmup to peakValue over warmupSteps, then exponentialDecay from peakValue. */
export function warmupExponentialDecaySchedule(
  initValue: number,
  peakValue: number,
  warmupSteps: number,
  transitionSteps: number,
  decayRate: number,
  options: ExponentialDecayOptions = {},
): Schedule {
  return joinSchedules([linearSchedule(initValue, peakValue, warmupSteps), exponentialDecay(peakValue, transitionSteps, decayRate, options)], [warmupSteps]);
}

