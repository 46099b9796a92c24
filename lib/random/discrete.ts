// Discrete samplers (jax._src.random.core): randint, bernoulli, categorical, permutation, choice.
import { Array, type ArrayLike } from '../core/array.js';
import { shapeStr } from '../core/aval.js';
import { canonicalizeDType, checkDType, defaultIntDType, finfo, iinfo, isFloating, isInteger, isInexact, toInexactDType, type DType } from '../core/dtypes.js';
import { jit } from '../api/jit.js';
import * as lax from '../lax/index.js';
import * as jnp from '../numpy/index.js';
import { asarray } from '../numpy/convert.js';
import { broadcastShapes, checkParamShapes, convert, parseArgs, pick, uintOf } from './common.js';
import { gumbelImpl, uniformImpl } from './continuous.js';
import { checkKey, checkShape, prod, randomBits, range, subkeys } from './keys.js';

const big = (v: number | bigint): bigint => BigInt(v);
const bmax = (a: number | bigint, b: number | bigint): bigint => (big(a) > big(b) ? big(a) : big(b));
const bmin = (a: number | bigint, b: number | bigint): bigint => (big(a) < big(b) ? big(a) : big(b));

/** JAX's _convert_and_clip_integer: `val` in `dtype`, clipped to the range both types share. */
function convertAndClip(val: Array, dtype: DType): Array {
  const [vi, di] = [iinfo(val.dtype), iinfo(dtype)];
  const c = (v: bigint): Array => jnp.full([], v, { dtype: val.dtype });
  return convert(jnp.clip(val, c(bmax(di.min, vi.min)), c(bmin(di.max, vi.max))), dtype);
}

/**
 * Integers in [minval, maxval): two words of random bits reduced modulo the span
 * ((hi mod span) * (2**nbits mod span) + lo mod span) mod span, as JAX's _randint.
 */
function randintImpl(k: Array, minval: Array, maxval: Array, shape: readonly number[], dtype: DType): Array {
  if (!isInteger(minval.dtype)) minval = convert(minval, defaultIntDType());
  if (!isInteger(maxval.dtype)) maxval = convert(maxval, defaultIntDType());
  const info = iinfo(dtype);
  const maxOutOfRange = jnp.greater(maxval, convertAndClip(jnp.full([], info.max, { dtype }), maxval.dtype));
  const lo = convertAndClip(minval, dtype);
  const hi = convertAndClip(maxval, dtype);
  const nbits = info.bits as 8 | 16 | 32 | 64;
  const [k1, k2] = subkeys(k, 2);
  const higher = randomBits(k1!, nbits, shape);
  const lower = randomBits(k2!, nbits, shape);
  const uint = uintOf(dtype);
  const one = jnp.full([], 1, { dtype: uint });
  let span = convert(jnp.subtract(hi, lo), uint);
  span = jnp.where(jnp.lessEqual(hi, lo), one, span); // maxval <= minval always gives minval
  span = jnp.where(jnp.logicalAnd(maxOutOfRange, jnp.greater(hi, lo)), jnp.add(span, one), span);
  const rem = (a: Array, b: Array): Array => jnp.remainder(a, b);
  let multiplier = rem(jnp.full(span.shape, 2n ** BigInt(nbits / 2), { dtype: uint }), span);
  multiplier = rem(jnp.multiply(multiplier, multiplier), span);
  const offset = rem(jnp.add(jnp.multiply(rem(higher, span), multiplier), rem(lower, span)), span);
  return jnp.add(lo, convert(offset, dtype));
}

const randintJit = jit(
  (k: Array, minval: Array, maxval: Array, shape: number[], dtype: DType, sampleDType: DType) => {
    checkParamShapes('randint', shape, minval.shape, maxval.shape);
    return convert(randintImpl(k, minval, maxval, shape, sampleDType), dtype);
  },
  { staticArgnums: [3, 4, 5], name: 'randint' },
);

export interface RandintOptions {
  shape?: number | readonly number[];
  minval?: ArrayLike;
  maxval?: ArrayLike;
  dtype?: DType;
}

/** `random.randint(key, shape, minval, maxval, dtype)`: uniform integers in [minval, maxval). */
export function randint(key: ArrayLike, ...args: (number | readonly number[] | ArrayLike | DType | RandintOptions | undefined)[]): Array {
  const o = parseArgs<RandintOptions>(['shape', 'minval', 'maxval', 'dtype'], args);
  const k = checkKey('randint', key);
  const dtype = o.dtype === undefined ? defaultIntDType() : canonicalizeDType(checkDType(o.dtype, 'randint'));
  if (!isInteger(dtype)) throw new TypeError(`randint only accepts integer dtypes, got ${dtype}`);
  if (o.shape === undefined || o.minval === undefined || o.maxval === undefined) throw new TypeError("randint() missing required arguments 'shape', 'minval' and 'maxval'");
  let minval = asarray(o.minval);
  let maxval = asarray(o.maxval);
  const info = iinfo(dtype);
  let sampleDType = dtype;
  if (info.bits < 32) {
    // sampled in 32 bits, as JAX does, so that narrow ranges are not biased
    sampleDType = 'int32';
    minval = jnp.clip(convert(minval, 'int32'), info.min, info.max);
    maxval = jnp.clip(convert(maxval, 'int32'), info.min, Number(info.max) + 1);
  }
  return randintJit(k, minval, maxval, checkShape('randint', o.shape), dtype, sampleDType);
}

// ---- bernoulli ----

export interface BernoulliOptions {
  p?: ArrayLike;
  shape?: number | readonly number[] | null;
  /** 'low' (default) or 'high': two uniforms per value, exact for p below about 1e-7. */
  mode?: 'low' | 'high';
}

const bernoulliJit = jit(
  (k: Array, p: Array, shape: number[], mode: string) => {
    if (mode === 'high') {
      const u = uniformImpl(k, 0, 1, [2, ...shape], p.dtype);
      // the second uniform fills in below the first's resolution
      const u2 = jnp.multiply(pick(u, 0, 1), 2 ** -finfo(p.dtype).nmant);
      return jnp.less(u2, jnp.subtract(p, pick(u, 0, 0)));
    }
    return jnp.less(uniformImpl(k, 0, 1, shape, p.dtype), p);
  },
  { staticArgnums: [2, 3], name: 'bernoulli' },
);

/** `random.bernoulli(key, p = 0.5, shape?, mode = 'low')`: booleans that are true with probability p. */
export function bernoulli(key: ArrayLike, ...args: (ArrayLike | readonly number[] | null | string | BernoulliOptions | undefined)[]): Array {
  const o = parseArgs<BernoulliOptions>(['p', 'shape', 'mode'], args);
  const mode = o.mode ?? 'low';
  if (mode !== 'low' && mode !== 'high') throw new TypeError(`got mode='${String(mode)}', expected 'high' or 'low'`);
  const k = checkKey('bernoulli', key);
  let p = asarray(o.p ?? 0.5);
  if (!isFloating(p.dtype)) throw new TypeError(`bernoulli probability \`p\` must have a floating dtype, got ${p.dtype}.`);
  p = convert(p, p.dtype);
  let shape: number[];
  if (o.shape === undefined || o.shape === null) shape = p.shape;
  else {
    shape = checkShape('bernoulli', o.shape);
    broadcastShapes(shape, p.shape);
    checkParamShapes('bernoulli', shape, p.shape);
  }
  return bernoulliJit(k, p, shape, mode);
}

// ---- categorical ----

export interface CategoricalOptions {
  axis?: number;
  shape?: readonly number[] | null;
  replace?: boolean;
  mode?: 'low' | 'high';
}

const categoricalJit = jit(
  (k: Array, logits: Array, axis: number, shape: number[], batchShape: number[], replace: boolean, mode: 'low' | 'high') => {
    const prefix = shape.slice(0, shape.length - batchShape.length);
    const ndim = logits.ndim;
    if (replace) {
      const ax = axis >= 0 ? axis - ndim : axis;
      const logitsShape = shape.slice(shape.length - batchShape.length);
      logitsShape.splice(((ax % ndim) + ndim) % ndim, 0, logits.shape[ndim + ax]!);
      const expanded = lax.broadcastInDim.bind1([logits], { shape: [...prefix.map(() => 1), ...logits.shape], broadcast_dimensions: range(ndim).map((i) => i + prefix.length) });
      return jnp.argmax(jnp.add(gumbelImpl(k, [...prefix, ...logitsShape], logits.dtype, mode), expanded), ax + prefix.length + ndim);
    }
    const perturbed = jnp.add(logits, gumbelImpl(k, logits.shape, logits.dtype, mode));
    const count = prod(prefix);
    const ax = ((axis % ndim) + ndim) % ndim;
    if (count > logits.shape[ax]!) throw new RangeError(`Number of samples without replacement (${count}) cannot exceed number of categories (${logits.shape[ax]}).`);
    const [, indices] = lax.topK(jnp.moveaxis(perturbed, ax, -1), count);
    // top-k indices [...batch, k] → [...prefix, ...batch]
    return jnp.reshape(jnp.moveaxis(indices, -1, 0), shape);
  },
  { staticArgnums: [2, 3, 4, 5, 6], name: 'categorical' },
);

/** `random.categorical(key, logits, axis = -1, shape?, replace = true)`: indices drawn by the Gumbel-max trick. */
export function categorical(key: ArrayLike, logits: ArrayLike, ...args: (number | readonly number[] | null | boolean | CategoricalOptions | undefined)[]): Array {
  const o = parseArgs<CategoricalOptions>(['axis', 'shape', 'replace', 'mode'], args);
  const k = checkKey('categorical', key);
  const l = asarray(logits);
  const axis = o.axis ?? -1;
  if (!Number.isInteger(axis) || axis < -l.ndim || axis >= l.ndim) throw new RangeError(`categorical: axis ${axis} is out of bounds for logits of rank ${l.ndim}`);
  const batchShape = l.shape.filter((_, i) => i !== (axis + l.ndim) % l.ndim);
  let shape: number[];
  if (o.shape === undefined || o.shape === null) shape = batchShape;
  else {
    shape = checkShape('categorical', o.shape);
    checkParamShapes('categorical', shape, batchShape);
  }
  if (!isFloating(l.dtype)) throw new TypeError(`dtype argument to \`gumbel\` must be a float dtype, got ${l.dtype}`);
  return categoricalJit(k, l, axis, shape, batchShape, o.replace ?? true, o.mode ?? 'low');
}

// ---- permutation and choice ----

/** JAX's _shuffle: rounds of sorting by fresh 32-bit keys, enough that ties are unlikely to repeat. */
function shuffle(k: Array, x: Array, axis: number): Array {
  const rounds = Math.ceil((3 * Math.log(Math.max(1, x.size))) / Math.log(2 ** 32 - 1));
  for (let r = 0; r < rounds; r++) {
    const [next, sub] = subkeys(k, 2);
    k = next!;
    [, x] = lax.sortKeyVal(randomBits(sub!, 32, x.shape), x, { dimension: axis });
  }
  return x;
}

const shuffleJit = jit(shuffle, { staticArgnums: [2], name: 'shuffle' });

function concreteInt(name: string, x: ArrayLike): number {
  const v = x instanceof Array ? Number(x.item()) : Number(x);
  if (!Number.isInteger(v)) throw new TypeError(`${name}: expected an integer, got ${String(x)}`);
  return v;
}

export interface PermutationOptions {
  axis?: number;
  independent?: boolean;
}

/** `random.permutation(key, x, axis = 0, independent = false)`: a shuffled range(x), or x shuffled along an axis. */
export function permutation(key: ArrayLike, x: ArrayLike, ...args: (number | boolean | PermutationOptions | undefined)[]): Array {
  const o = parseArgs<PermutationOptions>(['axis', 'independent'], args);
  const k = checkKey('permutation', key);
  const a = asarray(x);
  const ndim = a.ndim || 1;
  let axis = o.axis ?? 0;
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) throw new RangeError(`permutation: axis ${axis} is out of bounds for array of dimension ${ndim}`);
  if (axis < 0) axis += ndim;
  if (a.ndim === 0) {
    if (!isInteger(a.dtype)) throw new TypeError('x must be an integer or at least 1-dimensional');
    return shuffleJit(k, jnp.arange(concreteInt('permutation', a)), axis);
  }
  if (o.independent || a.ndim === 1) return shuffleJit(k, a, axis);
  const ind = shuffleJit(k, jnp.arange(a.shape[axis]!), 0);
  return jnp.take(a, ind, axis);
}

export interface ChoiceOptions {
  shape?: readonly number[];
  replace?: boolean;
  p?: ArrayLike | null;
  axis?: number;
  mode?: 'low' | 'high';
}

/** `random.choice(key, a, shape = [], replace = true, p?, axis = 0)`: samples of range(a) or of a's entries along `axis`. */
export function choice(key: ArrayLike, a: ArrayLike, ...args: (readonly number[] | boolean | ArrayLike | null | number | ChoiceOptions | undefined)[]): Array {
  const o = parseArgs<ChoiceOptions>(['shape', 'replace', 'p', 'axis', 'mode'], args);
  const k = checkKey('choice', key);
  const shape = o.shape ?? [];
  if (!globalThis.Array.isArray(shape)) throw new TypeError(`shape argument of jax.random.choice must be a sequence, got ${String(shape)}`);
  checkShape('choice', shape);
  const arr = asarray(a);
  let axis = o.axis ?? 0;
  let nInputs: number;
  if (arr.ndim === 0) nInputs = concreteInt('choice', arr);
  else {
    if (!Number.isInteger(axis) || axis < -arr.ndim || axis >= arr.ndim) throw new RangeError(`choice: axis ${axis} is out of bounds for array of dimension ${arr.ndim}`);
    if (axis < 0) axis += arr.ndim;
    nInputs = arr.shape[axis]!;
  }
  const nDraws = prod(shape);
  if (nDraws === 0) return jnp.zeros(shape, { dtype: arr.dtype });
  if (nInputs <= 0) throw new RangeError('a must be greater than 0 unless no samples are taken');
  const replace = o.replace ?? true;
  if (!replace && nDraws > nInputs) throw new RangeError(`Cannot take a larger sample (size ${nDraws}) than population (size ${nInputs}) when 'replace=False'`);
  const outShape = arr.ndim === 0 ? [...shape] : [...arr.shape.slice(0, axis), ...shape, ...arr.shape.slice(axis + 1)];
  let result: Array;
  if (o.p === undefined || o.p === null) {
    if (replace) {
      const ind = randint(k, shape, 0, nInputs);
      result = arr.ndim === 0 ? ind : jnp.take(arr, ind, axis);
    } else {
      const perm = permutation(k, arr.ndim === 0 ? nInputs : arr, axis);
      const index = arr.ndim === 0 ? [[0, nDraws]] : [...range(axis).map(() => []), [0, nDraws]];
      result = perm.slice(...(index as [number, number][]));
    }
  } else {
    let p = asarray(o.p);
    if (!isInexact(p.dtype)) p = convert(p, toInexactDType(p.dtype));
    if (p.ndim !== 1 || p.shape[0] !== nInputs) {
      throw new TypeError(`p must be None or a 1D vector with the same size as a.shape[axis]. p has shape ${shapeStr(p.shape)} and a.shape[axis] is ${nInputs}.`);
    }
    const ind = choiceWeightedJit(k, p, [...shape], replace, nDraws, o.mode ?? 'low');
    result = arr.ndim === 0 ? ind : jnp.take(arr, ind, axis);
  }
  return jnp.reshape(result, outShape);
}

const choiceWeightedJit = jit(
  (k: Array, p: Array, shape: number[], replace: boolean, nDraws: number, mode: 'low' | 'high') => {
    if (replace) {
      const cuml = jnp.cumsum(p);
      const total = pick(cuml, 0, cuml.shape[0]! - 1);
      const r = jnp.multiply(total, jnp.subtract(1, uniformImpl(k, 0, 1, shape, cuml.dtype)));
      return convert(jnp.searchsorted(cuml, r), defaultIntDType());
    }
    // Gumbel top-k: sampling without replacement
    const g = jnp.add(gumbelImpl(k, p.shape, p.dtype, mode), jnp.log(p));
    return convert(lax.topK(g, nDraws)[1], defaultIntDType());
  },
  { staticArgnums: [2, 3, 4, 5], name: 'choice' },
);

