// Elementwise activation functions, as jax.nn defines them (jax/_src/nn/functions.py).
import type { Array, ArrayLike } from '../core/array.js';
import { defaultFloatDType, toInexactDType } from '../core/dtypes.js';
import { customJvp } from '../api/custom_derivatives.js';
import * as lax from '../lax/index.js';
import * as jnp from '../numpy/index.js';
import { convertTo, promoteArgs } from '../numpy/convert.js';

const asInexact = (op: string, x: ArrayLike): Array => promoteArgs(op, [x], toInexactDType)[0]!;

/**
 * A weakly typed float scalar: JAX's Python float literals (`6.`, `0.`, `alpha=1.0`), which make
 * integer inputs float. A JS number cannot say 6.0 rather than 6, so the literal is built here.
 */
const weakFloat = (v: ArrayLike): ArrayLike => (typeof v === 'number' ? convertTo(jnp.asarray(v), defaultFloatDType(), true) : v);

/**
 * `where(keep, x, stopGradient(value))`: `value` everywhere, with derivative 1 where `keep` and 0
 * elsewhere: the derivatives JAX's custom_jvp rules give relu and relu6, without a custom rule.
 */
function passGradientWhere(keep: Array, x: Array, value: Array): Array {
  return jnp.where(keep, x, lax.stopGradient(value));
}

/** identity(x): x unchanged. */
export const identity = (x: ArrayLike): Array => jnp.asarray(x);

/** relu(x) = max(x, 0), with derivative 0 at x = 0 (as JAX's custom_jvp). */
export function relu(x: ArrayLike): Array {
  const a = jnp.asarray(x);
  return passGradientWhere(jnp.greater(a, 0), a, jnp.maximum(a, 0));
}

/** relu6(x) = min(max(x, 0), 6), with derivative 0 at 0 and at 6 (as JAX's custom_jvp). */
export function relu6(x: ArrayLike): Array {
  const a = jnp.asarray(x);
  const value = jnp.minimum(jnp.maximum(a, 0), weakFloat(6));
  const inside = jnp.logicalAnd(jnp.greater(a, 0), jnp.less(a, 6));
  return passGradientWhere(inside, a, value);
}

/** sigmoid(x) = 1 / (1 + exp(-x)), lax.logistic (floating inputs only, as in JAX). */
export const sigmoid = (x: ArrayLike): Array => lax.logistic.bind1([jnp.asarray(x)]);

/**
 * softplus(x) = log(1 + exp(x)), computed as JAX's logaddexp(x, 0) does (bit for bit), split at 0
 * so that its derivative is sigmoid(x) everywhere, as JAX's logaddexp custom_jvp gives (0.5 at 0).
 * Each branch sees only its own inputs (the other is 0), so neither makes NaN gradients.
 */
export function softplus(x: ArrayLike): Array {
  const a = asInexact('softplus', x);
  const nonneg = jnp.greaterEqual(a, 0);
  const pos = jnp.where(nonneg, a, 0);
  const neg = jnp.where(nonneg, 0, a);
  // x >= 0: max(x, 0) + log1p(exp(-|x|)) = x + log1p(exp(-x)); x < 0 (or NaN): 0 + log1p(exp(x)).
  const upper = jnp.add(pos, jnp.log1p(jnp.exp(jnp.negative(pos))));
  const lower = jnp.log1p(jnp.exp(neg));
  return jnp.where(nonneg, upper, lower);
}

/** sparse_plus(x): 0 for x <= -1, x for x >= 1, (x + 1)² / 4 between. */
export function sparsePlus(x: ArrayLike): Array {
  const a = jnp.asarray(x);
  const middle = jnp.divide(lax.integerPow.bind1([jnp.add(a, weakFloat(1))], { y: 2 }), 4);
  return jnp.where(jnp.lessEqual(a, -1.0), weakFloat(0), jnp.where(jnp.greaterEqual(a, 1.0), a, middle));
}

/** sparse_sigmoid(x) = 0.5 * clip(x + 1, 0, 2): the derivative of sparse_plus. */
export const sparseSigmoid = (x: ArrayLike): Array => jnp.multiply(0.5, jnp.clip(jnp.add(x, weakFloat(1)), weakFloat(0), weakFloat(2)));

/** squareplus(x, b = 4) = (x + sqrt(x² + b)) / 2. */
export function squareplus(x: ArrayLike, b: ArrayLike = 4): Array {
  const a = jnp.asarray(x);
  return jnp.divide(jnp.add(a, jnp.sqrt(jnp.add(jnp.square(a), b))), 2);
}

/** soft_sign(x) = x / (|x| + 1). */
export function softSign(x: ArrayLike): Array {
  const a = jnp.asarray(x);
  return jnp.divide(a, jnp.add(jnp.abs(a), 1));
}

/** silu(x) = swish(x) = x * sigmoid(x). */
export function silu(x: ArrayLike): Array {
  const a = jnp.asarray(x);
  return jnp.multiply(a, sigmoid(a));
}
export const swish = silu;

/** mish(x) = x * tanh(softplus(x)). */
export function mish(x: ArrayLike): Array {
  const a = jnp.asarray(x);
  return jnp.multiply(a, jnp.tanh(softplus(a)));
}

/** log_sigmoid(x) = -softplus(-x). */
export const logSigmoid = (x: ArrayLike): Array => jnp.negative(softplus(jnp.negative(x)));

/** elu(x, alpha = 1) = x for x > 0, alpha * (exp(x) - 1) otherwise (expm1 of a safe input). */
export function elu(x: ArrayLike, alpha: ArrayLike = 1.0): Array {
  const a = jnp.asarray(x);
  const positive = jnp.greater(a, 0);
  return jnp.where(positive, a, jnp.multiply(weakFloat(alpha), jnp.expm1(jnp.where(positive, weakFloat(0), a))));
}

/** leaky_relu(x, negativeSlope = 0.01) = x for x >= 0, negativeSlope * x otherwise. */
export function leakyRelu(x: ArrayLike, negativeSlope: ArrayLike = 1e-2): Array {
  const a = jnp.asarray(x);
  return jnp.where(jnp.greaterEqual(a, 0), a, jnp.multiply(weakFloat(negativeSlope), a));
}

/** hard_tanh(x): x clipped to [-1, 1]. */
export function hardTanh(x: ArrayLike): Array {
  const a = jnp.asarray(x);
  return jnp.where(jnp.greater(a, 1), 1, jnp.where(jnp.less(a, -1), -1, a));
}

/** celu(x, alpha = 1) = max(x, 0) + alpha * expm1(min(x, 0) / alpha). */
export function celu(x: ArrayLike, alpha: ArrayLike = 1.0): Array {
  const [zero, al] = [weakFloat(0), weakFloat(alpha)];
  return jnp.add(jnp.maximum(x, zero), jnp.multiply(al, jnp.expm1(jnp.divide(jnp.minimum(x, zero), al))));
}

// SELU's fixed point constants (Klambauer et al. 2017), as JAX writes them.
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** selu(x) = scale * elu(x, alpha). */
export const selu = (x: ArrayLike): Array => jnp.multiply(SELU_SCALE, elu(x, SELU_ALPHA));

/**
 * gelu(x, approximate = true). Approximate: x/2 (1 + tanh(sqrt(2/π) (x + 0.044715 x³))); exact:
 * x/2 erfc(-x / sqrt(2)). The constants are strong arrays of x's dtype, as JAX's NumPy scalars are.
 */
export function gelu(x: ArrayLike, approximate: boolean | { approximate?: boolean } = true): Array {
  const approx = typeof approximate === 'boolean' ? approximate : (approximate.approximate ?? true);
  const a = asInexact('gelu', x);
  if (approx) {
    const sqrt2OverPi = jnp.asarray(Math.sqrt(2 / Math.PI), a.dtype);
    const cubic = jnp.add(a, jnp.multiply(0.044715, lax.integerPow.bind1([a], { y: 3 })));
    const cdf = jnp.multiply(0.5, jnp.add(1.0, jnp.tanh(jnp.multiply(sqrt2OverPi, cubic))));
    return jnp.multiply(a, cdf);
  }
  const sqrtHalf = jnp.asarray(Math.sqrt(0.5), a.dtype);
  const erfc = lax.erfc.bind1([jnp.multiply(jnp.negative(a), sqrtHalf)]);
  return jnp.astype(jnp.multiply(jnp.multiply(0.5, a), erfc), a.dtype);
}

/** glu(x, axis = -1): the first half of x along `axis` times sigmoid of the second half. */
export function glu(x: ArrayLike, axis: number | { axis?: number } = -1): Array {
  const ax = typeof axis === 'number' ? axis : (axis.axis ?? -1);
  const a = jnp.asarray(x);
  const size = a.shape[ax < 0 ? ax + a.ndim : ax];
  if (size === undefined) throw new RangeError(`glu: axis ${ax} is out of bounds for array of dimension ${a.ndim}`);
  if (size % 2 !== 0) throw new RangeError(`glu: axis size must be divisible by 2, got ${size} (shape ${JSON.stringify(a.shape)}, axis ${ax})`);
  const [x1, x2] = jnp.split(a, 2, ax);
  return jnp.multiply(x1!, sigmoid(x2!));
}

/** hard_sigmoid(x) = relu6(x + 3) / 6. */
export const hardSigmoid = (x: ArrayLike): Array => jnp.divide(relu6(jnp.add(x, weakFloat(3))), weakFloat(6));

/** hard_silu(x) = hard_swish(x) = x * hard_sigmoid(x). */
export function hardSilu(x: ArrayLike): Array {
  const a = jnp.asarray(x);
  return jnp.multiply(a, hardSigmoid(a));
}
export const hardSwish = hardSilu;

/**
 * log1mexp(x) = log(1 - exp(-x)), by log(-expm1(-x)) below log 2 and log1p(-exp(-x)) above
 * (Mächler 2012), with JAX's custom derivative 1/expm1(x).
 */
const log1mexpP = customJvp(function log1mexp(a: Array): Array {
  const small = jnp.less(a, Math.log(2.0));
  return jnp.where(small, jnp.log(jnp.negative(jnp.expm1(jnp.negative(a)))), jnp.log1p(jnp.negative(jnp.exp(jnp.negative(a)))));
});
log1mexpP.defjvps((g: Array, _ans: Array, x: Array) => jnp.divide(g, jnp.expm1(x)));
export const log1mexp = (x: ArrayLike): Array => log1mexpP(asInexact('log1mexp', x));
