// PRNG keys and the three operations on them (split, fold_in, random bits), JAX's threefry2x32
// implementation in its default partitionable mode (jax._src.random.threefry2x32 and prng).
//
// A key is its raw data, a uint32 array whose last axis has length 2 (k0, k1): `PRNGKey` and
// `key` both return it (JAX's typed `key<fry>` scalars are represented by their key data, so
// `keyData(k)` is `k`). Internally every operation accepts leading key axes ("key batches"), as
// JAX's iterated vmap over keys does, and is written only with ops that vmap and grad support.
import { Array, type ArrayLike } from '../core/array.js';
import { shapeStr } from '../core/aval.js';
import { canonicalizeDType, checkDType, defaultUIntDType, isBool, isInteger, isUnsignedInteger, itemsize, type DType } from '../core/dtypes.js';
import { config } from '../core/config.js';
import { jit } from '../api/jit.js';
import * as lax from '../lax/index.js';
import { asarray } from '../numpy/convert.js';
import { full } from '../numpy/creation.js';
import { parseArgs } from './common.js';
import { counters, threefry2x32 } from './threefry.js';

const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);
const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

// ---- checks ----

/** Shapes are sequences of non-negative integers (also a single number, as JAX allows). */
export function checkShape(name: string, shape: number | readonly number[]): number[] {
  const s = typeof shape === 'number' ? [shape] : [...shape];
  if (s.some((d) => !Number.isInteger(d) || d < 0)) throw new TypeError(`${name}: shape must be a sequence of non-negative integers, got ${JSON.stringify(shape)}`);
  return s;
}

/** JAX's _check_prng_key: raw uint32 key data ending in 2; a single key unless `allowBatched`. */
export function checkKey(name: string, key: ArrayLike, allowBatched = false): Array {
  if (!(key instanceof Array)) {
    if (typeof key !== 'object' || key === null) throw new TypeError(`unexpected PRNG key type ${typeof key}`);
    key = asarray(key);
  }
  if (key.ndim < 1) throw new TypeError(`JAX encountered invalid PRNG key data: expected key_data.ndim >= 1; got ndim=${key.ndim}`);
  if (key.shape[key.ndim - 1] !== 2) {
    throw new TypeError(`JAX encountered invalid PRNG key data: expected key_data.shape to end with (2,); got shape=${shapeStr(key.shape)} for impl=threefry2x32`);
  }
  if (key.dtype !== 'uint32') throw new TypeError(`JAX encountered invalid PRNG key data: expected key_data.dtype = uint32; got dtype=${key.dtype}`);
  if (!allowBatched && key.ndim > 1) {
    throw new TypeError(`${name} accepts a single key, but was given a key array of shape ${shapeStr(key.shape)} != (). Use jax.vmap for batching.`);
  }
  return key;
}

// ---- key words ----

/** The two uint32 words (k0, k1) of keys `[...K, 2]`, each `[...K]` (a masked sum: vmap-safe, no slicing). */
export function keyWords(keys: Array): [Array, Array] {
  const last = keys.ndim - 1;
  const index = lax.iota.bind1([], { dtype: 'int32', shape: keys.shape, dimension: last });
  const zeros = full(keys.shape, 0, { dtype: 'uint32' });
  const word = (i: number): Array =>
    lax.reduceSum.bind1([lax.selectN.bind1([lax.eq.bind1([index, full(keys.shape, i, { dtype: 'int32' })]), zeros, keys])], { axes: [last] });
  return [word(0), word(1)];
}

/** Keys `[...K, 2]` from their words `[...K]`. */
export function makeKeys(k0: Array, k1: Array): Array {
  const shape = [...k0.shape, 2];
  const spread = (w: Array): Array => lax.broadcastInDim.bind1([w], { shape, broadcast_dimensions: range(k0.ndim) });
  const second = lax.eq.bind1([lax.iota.bind1([], { dtype: 'int32', shape, dimension: k0.ndim }), full(shape, 1, { dtype: 'int32' })]);
  return lax.selectN.bind1([second, spread(k0), spread(k1)]);
}

/** threefry(key; hi, lo) for keys `[...K, 2]` and counters of shape S: words `[...K, ...S]`. */
function hash(keys: Array, hi: Array, lo: Array): [Array, Array] {
  const [k0, k1] = keyWords(keys);
  const shape = [...k0.shape, ...hi.shape];
  const keyDims = range(k0.ndim);
  const countDims = range(hi.ndim).map((i) => i + k0.ndim);
  const b = (x: Array, dims: number[]): Array => (x.ndim === shape.length ? x : lax.broadcastInDim.bind1([x], { shape, broadcast_dimensions: dims }));
  return threefry2x32(b(k0, keyDims), b(k1, keyDims), b(hi, countDims), b(lo, countDims));
}

// ---- the operations, on key batches ----

/** split: keys `[...K, 2]` → `[...K, ...shape, 2]`; key j is the hash of counter j. */
export function splitKeys(keys: Array, shape: readonly number[]): Array {
  const [hi, lo] = counters(shape);
  const [y0, y1] = hash(keys, hi, lo);
  return makeKeys(y0, y1);
}

/** The `n` keys `split(key, n)` gives, as separate arrays (picked out by masked reductions: vmap-safe). */
export function subkeys(keys: Array, n: number): Array[] {
  const all = splitKeys(keys, [n]);
  const axis = keys.ndim - 1;
  const index = lax.iota.bind1([], { dtype: 'int32', shape: all.shape, dimension: axis });
  const zeros = full(all.shape, 0, { dtype: 'uint32' });
  return range(n).map((j) => lax.reduceMax.bind1([lax.selectN.bind1([lax.eq.bind1([index, full(all.shape, j, { dtype: 'int32' })]), zeros, all])], { axes: [axis] }));
}

/** fold_in: the hash of counter (0, data) for uint32 `data` of the keys' batch shape. */
export function foldInKeys(keys: Array, data: Array): Array {
  const [k0, k1] = keyWords(keys);
  const [y0, y1] = threefry2x32(k0, k1, full(data.shape, 0, { dtype: 'uint32' }), data);
  return makeKeys(y0, y1);
}

/** Random bits of `width` (8, 16, 32, 64) for keys `[...K, 2]`: `[...K, ...shape]` of uint{width}. */
export function randomBits(keys: Array, width: 8 | 16 | 32 | 64, shape: readonly number[]): Array {
  const [hi, lo] = counters(shape);
  const [y0, y1] = hash(keys, hi, lo);
  const dtype = `uint${width}` as DType;
  if (width === 64) {
    const wide = (x: Array): Array => lax.convertElementType.bind1([x], { new_dtype: dtype, weak_type: false });
    return lax.or.bind1([lax.shiftLeft.bind1([wide(y0), full(y0.shape, 32, { dtype })]), wide(y1)]);
  }
  const bits = lax.xor.bind1([y0, y1]);
  return width === 32 ? bits : lax.convertElementType.bind1([bits], { new_dtype: dtype, weak_type: false });
}

// ---- seeds ----

/** Key words of a JS integer seed: an int64 (x64) or int32 (wrapping, as JAX with x64 off) value. */
function seedWords(seed: number | bigint | boolean): [number, number] {
  if (typeof seed === 'boolean') seed = seed ? 1 : 0;
  if (typeof seed === 'number' && !Number.isInteger(seed)) throw new TypeError(`PRNG key seed must be an integer; got ${seed}`);
  const big = BigInt(seed);
  if (big < -(2n ** 63n) || big >= 2n ** 64n) throw new RangeError(`Python int ${big} too large to convert to int64`);
  const bits = BigInt.asUintN(64, big);
  const lo = Number(bits & 0xffffffffn);
  return config.enableX64 ? [Number(bits >> 32n), lo] : [0, lo];
}

// k0 is the high word of a 64-bit seed (0 for narrower ones), k1 its low word, as JAX's threefry_seed.
const seedJit = jit(function threefry_seed(seed: Array): Array {
  const u32 = (x: Array): Array => lax.convertElementType.bind1([x], { new_dtype: 'uint32', weak_type: false });
  if (itemsize(seed.dtype) === 8) {
    const shift = full([], 32, { dtype: seed.dtype });
    const mask = full([], 0xffffffff, { dtype: seed.dtype === 'int64' ? 'int64' : 'uint64' });
    return makeKeys(u32(lax.shiftRightLogical.bind1([seed, shift])), u32(lax.and.bind1([seed, mask])));
  }
  return makeKeys(full([], 0, { dtype: 'uint32' }), u32(seed));
});

function seedKey(ctor: string, seed: ArrayLike): Array {
  if (typeof seed === 'number' || typeof seed === 'bigint' || typeof seed === 'boolean') {
    return asarray(seedWords(seed), 'uint32');
  }
  const s = asarray(seed);
  if (s.ndim) throw new TypeError(`${ctor} accepts a scalar seed, but was given an array of shape ${shapeStr(s.shape)} != (). Use jax.vmap for batching`);
  if (!isInteger(s.dtype) && !isBool(s.dtype)) throw new TypeError(`PRNG key seed must be an integer; got ${s.dtype} seed`);
  return seedJit(s);
}

// ---- public key API ----

/** `random.PRNGKey(seed)`: a raw key, uint32[2], from an integer seed (JS number, bigint or integer Array). */
export function PRNGKey(seed: ArrayLike): Array {
  return seedKey('PRNGKey', seed);
}

/**
 * `random.key(seed)`: JAX's typed key; here represented by its raw key data (the same uint32[2]
 * as `PRNGKey`), which every random function accepts.
 */
export function key(seed: ArrayLike): Array {
  return seedKey('key', seed);
}

/** `random.keyData(keys)`: the uint32 key data (keys are represented by it, so this checks and returns them). */
export function keyData(keys: ArrayLike): Array {
  return checkKey('key_data', keys, true);
}

/** `random.wrapKeyData(data)`: keys from uint32 key data (checked; the representation is the data). */
export function wrapKeyData(data: ArrayLike): Array {
  return checkKey('wrap_key_data', data, true);
}

const splitJit = jit((k: Array, shape: number[]) => splitKeys(k, shape), { staticArgnums: [1], name: 'split' });

/** `random.split(key, num = 2)`: `num` new keys (or a shape of keys), `[...num, 2]`. */
export function split(key: ArrayLike, num: number | readonly number[] = 2): Array {
  const k = checkKey('split', key);
  return splitJit(k, checkShape('split', num));
}

const foldInJit = jit((k: Array, data: Array) => foldInKeys(k, data), { name: 'fold_in' });

/** `random.foldIn(key, data)`: a new key from a key and a 32-bit integer. */
export function foldIn(key: ArrayLike, data: ArrayLike): Array {
  const k = checkKey('fold_in', key);
  let d: Array;
  if (typeof data === 'number' || typeof data === 'bigint') {
    const v = typeof data === 'number' ? Math.trunc(data) : data;
    if (v < 0 || v > 0xffffffff) throw new RangeError(`Python integer ${v} out of bounds for uint32`);
    d = asarray(Number(v), 'uint32');
  } else {
    const a = asarray(data);
    if (a.ndim) throw new TypeError(`fold_in accepts a scalar, but was given an array ofshape ${shapeStr(a.shape)} != (). Use jax.vmap for batching.`);
    d = a.dtype === 'uint32' ? a : lax.convertElementType.bind1([a], { new_dtype: 'uint32', weak_type: false });
  }
  return foldInJit(k, d);
}

const bitsJit = jit((k: Array, width: 8 | 16 | 32 | 64, shape: number[]) => randomBits(k, width, shape), { staticArgnums: [1, 2], name: 'bits' });

/** `random.bits(key, shape = [], dtype)`: uniform random unsigned integers (default uint32, uint64 with x64). */
export function bits(key: ArrayLike, ...args: (number | readonly number[] | DType | { shape?: number | readonly number[]; dtype?: DType } | undefined)[]): Array {
  const o = parseArgs<{ shape?: number | readonly number[]; dtype?: DType }>(['shape', 'dtype'], args);
  const k = checkKey('bits', key);
  const d = o.dtype === undefined ? defaultUIntDType() : canonicalizeDType(checkDType(o.dtype, 'bits'));
  if (!isUnsignedInteger(d)) throw new TypeError(`dtype argument to \`bits\` must be an unsigned int dtype, got ${d}`);
  return bitsJit(k, (itemsize(d) * 8) as 8 | 16 | 32 | 64, checkShape('bits', o.shape ?? []));
}

export { prod, range };
