// Array creation.
import type { Array, ArrayLike } from '../core/array.js';
import { canonicalizeDType, checkDType, defaultFloatDType, defaultIntDType, isInteger, resultType, scalarDType, type DType } from '../core/dtypes.js';
import * as lax from '../lax/index.js';
import { asarray, convertTo } from './convert.js';

export interface DTypeOption {
  dtype?: DType;
}

function shapeOf(op: string, shape: number | readonly number[]): number[] {
  const s = typeof shape === 'number' ? [shape] : [...shape];
  if (s.some((d) => !Number.isInteger(d) || d < 0)) throw new TypeError(`${op}: shape must be non-negative integers, got ${JSON.stringify(shape)}`);
  return s;
}

/** full(shape, fillValue, { dtype }) */
export function full(shape: number | readonly number[], fillValue: ArrayLike, options: DTypeOption = {}): Array {
  const s = shapeOf('full', shape);
  // A JS scalar with a dtype converts exactly (jnp.full([], 2**32 - 1, { dtype: 'uint32' })), not through float32.
  const scalar = typeof fillValue === 'number' || typeof fillValue === 'bigint' || typeof fillValue === 'boolean';
  const requested = options.dtype ? canonicalizeDType(checkDType(options.dtype, 'full')) : undefined;
  let value = scalar && requested ? asarray(fillValue, requested) : asarray(fillValue);
  const dtype = requested ? requested : value.weakType ? resultType({ dtype: value.dtype, weakType: true }).dtype : value.dtype;
  value = convertTo(value, dtype, !options.dtype && value.weakType); // jnp.full(s, 0.5) is weakly typed, as in JAX
  return lax.broadcastInDim.bind1([value], { shape: s, broadcast_dimensions: value.shape.map((_, i) => i + s.length - value.ndim) });
}

export const zeros = (shape: number | readonly number[], options: DTypeOption = {}): Array =>
  full(shape, 0, { dtype: options.dtype ?? defaultFloatDType() });
export const ones = (shape: number | readonly number[], options: DTypeOption = {}): Array =>
  full(shape, 1, { dtype: options.dtype ?? defaultFloatDType() });
export const empty = zeros;
export const zerosLike = (x: Array, options: DTypeOption = {}): Array => full(x.shape, 0, { dtype: options.dtype ?? x.dtype });
export const onesLike = (x: Array, options: DTypeOption = {}): Array => full(x.shape, 1, { dtype: options.dtype ?? x.dtype });
export const fullLike = (x: Array, fillValue: ArrayLike, options: DTypeOption = {}): Array => full(x.shape, fillValue, { dtype: options.dtype ?? x.dtype });

/** array(object, { dtype }): a copy of the data as a new array. */
export function array(object: ArrayLike, options: DTypeOption = {}): Array {
  return asarray(object, options.dtype);
}

/** arange(stop) / arange(start, stop, step?, { dtype }): integer inputs give the default int dtype. */
export function arange(start: number, stop?: number | DTypeOption, step?: number | DTypeOption, options: DTypeOption = {}): Array {
  if (typeof stop === 'object') [options, stop] = [stop, undefined];
  if (typeof step === 'object') [options, step] = [step, undefined];
  if (stop === undefined) [start, stop] = [0, start];
  const by = step ?? 1;
  if (by === 0) throw new RangeError('arange: step must not be zero');
  const length = Math.max(0, Math.ceil((stop - start) / by));
  const inferred = [start, stop, by].every(Number.isInteger) ? defaultIntDType() : defaultFloatDType();
  const dtype = options.dtype ? canonicalizeDType(checkDType(options.dtype, 'arange')) : inferred;
  let out = lax.iota.bind1([], { dtype, shape: [length], dimension: 0 });
  if (by !== 1) out = lax.mul.bind1([out, lax.broadcastInDim.bind1([convertTo(asarray(by), dtype, false)], { shape: [length], broadcast_dimensions: [] })]);
  if (start !== 0) out = lax.add.bind1([out, lax.broadcastInDim.bind1([convertTo(asarray(start), dtype, false)], { shape: [length], broadcast_dimensions: [] })]);
  return out;
}

/** linspace(start, stop, num = 50, { endpoint, dtype }) */
export function linspace(start: number, stop: number, num: number | (DTypeOption & { num?: number; endpoint?: boolean }) = 50, options: DTypeOption & { endpoint?: boolean } = {}): Array {
  if (typeof num === 'object') [options, num] = [num, num.num ?? 50];
  const dtype = options.dtype ? canonicalizeDType(checkDType(options.dtype, 'linspace')) : defaultFloatDType();
  const endpoint = options.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const compute = dtype.startsWith('float') || dtype === 'bfloat16' ? dtype : defaultFloatDType();
  let out = lax.iota.bind1([], { dtype: compute, shape: [num], dimension: 0 });
  const bcast = (v: number) => lax.broadcastInDim.bind1([convertTo(asarray(v), compute, false)], { shape: [num], broadcast_dimensions: [] });
  out = lax.add.bind1([lax.mul.bind1([out, bcast(step)]), bcast(start)]);
  if (endpoint && num > 1) {
    // the last element is exactly `stop`, as NumPy's
    const isLast = lax.eq.bind1([lax.iota.bind1([], { dtype: 'int32', shape: [num], dimension: 0 }), lax.broadcastInDim.bind1([convertTo(asarray(num - 1), 'int32', false)], { shape: [num], broadcast_dimensions: [] })]);
    out = lax.selectN.bind1([isLast, out, bcast(stop)]);
  }
  if (isInteger(dtype)) out = lax.floor.bind1([out]); // as JAX: integer outputs round toward -inf
  return convertTo(out, dtype, false);
}

/** eye(N, M = N, k = 0, { dtype }) */
export function eye(n: number, m?: number | null | (DTypeOption & { M?: number; k?: number }), k: number | (DTypeOption & { k?: number }) = 0, options: DTypeOption = {}): Array {
  if (m !== null && typeof m === 'object') [options, k, m] = [m, m.k ?? 0, m.M];
  if (typeof k === 'object') [options, k] = [k, k.k ?? 0];
  const cols = m ?? n;
  const dtype = options.dtype ? canonicalizeDType(checkDType(options.dtype, 'eye')) : defaultFloatDType();
  const rows = lax.iota.bind1([], { dtype: 'int32', shape: [n, cols], dimension: 0 });
  const colsIota = lax.iota.bind1([], { dtype: 'int32', shape: [n, cols], dimension: 1 });
  const shifted = k === 0 ? rows : lax.add.bind1([rows, lax.broadcastInDim.bind1([convertTo(asarray(k), 'int32', false)], { shape: [n, cols], broadcast_dimensions: [] })]);
  return convertTo(lax.eq.bind1([shifted, colsIota]), dtype, false);
}

export const identity = (n: number, options: DTypeOption = {}): Array => eye(n, n, 0, options);

export { scalarDType };
