// Joining, splitting, tiling, padding and rearranging arrays (jnp.concatenate, stack, split,
// tile, repeat, flip, roll, pad, tril/triu, diagonal, trace, moveaxis, broadcastArrays,
// nonzero), written over the lax slicing primitives.
import { Array, type ArrayLike } from '../core/array.js';
import { ArrayImpl } from '../core/array_impl.js';
import { shapeStr } from '../core/aval.js';
import { canonicalizeDType, checkDType, defaultIntDType, resultType, type DType } from '../core/dtypes.js';
import * as lax from '../lax/index.js';
import { asarray, broadcastShapes, broadcastTo, convertTo } from './convert.js';
import { eye } from './creation.js';
import { getItem } from './indexing.js';
import { asOneProgram } from './one_program.js';
import { checkPadMode, padMode, type PadModeOptions } from './pad_modes.js';
import { normalizeAxes, sum } from './reductions.js';
import { notEqual, remainder, where } from './ufuncs.js';

const range = (a: number, b: number): number[] => globalThis.Array.from({ length: Math.max(0, b - a) }, (_, k) => a + k);

function canonicalAxis(op: string, axis: number, ndim: number): number {
  return normalizeAxes(op, axis, ndim)[0]!;
}

/** Promotes dtypes (with weak types) without broadcasting, as JAX's promote_dtypes; or converts to `dtype`. */
function promoteDTypes(arrays: Array[], dtype?: DType): Array[] {
  if (dtype) {
    const d = canonicalizeDType(checkDType(dtype, 'concatenate'));
    return arrays.map((a) => convertTo(a, d, false));
  }
  const { dtype: d, weak } = resultType(...arrays.map((a) => ({ dtype: a.dtype, weakType: a.weakType })));
  return arrays.map((a) => convertTo(a, d, weak));
}

export interface JoinOptions {
  axis?: number | null;
  dtype?: DType;
}

function joinArgs(axis: number | null | JoinOptions | undefined, options: JoinOptions): [number | null, JoinOptions] {
  if (axis !== null && typeof axis === 'object') return [axis.axis === undefined ? 0 : axis.axis, axis];
  return [axis === undefined ? 0 : axis, options];
}

/** jnp.concatenate(arrays, axis = 0, { dtype }): joins along an existing axis (null: flattens first). */
export function concatenate(arrays: readonly ArrayLike[], axis?: number | null | JoinOptions, options: JoinOptions = {}): Array {
  const [ax, opts] = joinArgs(axis, options);
  if (arrays.length === 0) throw new TypeError('Need at least one array to concatenate.');
  let xs = arrays.map((a) => asarray(a));
  if (ax === null) xs = xs.map((a) => lax.reshape.bind1([a], { new_sizes: [a.size] }));
  if (xs[0]!.ndim === 0) throw new TypeError('Zero-dimensional arrays cannot be concatenated.');
  const dim = canonicalAxis('concatenate', ax ?? 0, xs[0]!.ndim);
  xs = promoteDTypes(xs, opts.dtype);
  return xs.length === 1 ? xs[0]! : lax.concatenate.bind1(xs, { dimension: dim });
}

/** jnp.stack(arrays, axis = 0, { dtype }): joins along a new axis. */
export function stack(arrays: readonly ArrayLike[], axis?: number | JoinOptions, options: JoinOptions = {}): Array {
  const [ax, opts] = joinArgs(axis, options);
  if (arrays.length === 0) throw new TypeError('Need at least one array to stack.');
  const xs = arrays.map((a) => asarray(a));
  if (xs.some((a) => a.shape.length !== xs[0]!.ndim || a.shape.some((d, i) => d !== xs[0]!.shape[i]))) {
    throw new TypeError(`All input arrays must have the same shape. Got ${xs.map((a) => shapeStr(a.shape)).join(', ')}.`);
  }
  const dim = canonicalAxis('stack', ax ?? 0, xs[0]!.ndim + 1);
  return concatenate(xs.map((a) => lax.expandDims(a, [dim])), dim, opts);
}

const atLeast1d = (a: Array): Array => (a.ndim === 0 ? lax.reshape.bind1([a], { new_sizes: [1] }) : a);
const atLeast2d = (a: Array): Array => (a.ndim >= 2 ? a : lax.reshape.bind1([a], { new_sizes: [1, a.size] }));

/** jnp.hstack: concatenates along axis 1 (axis 0 for 1-D inputs). */
export function hstack(arrays: readonly ArrayLike[], options: Omit<JoinOptions, 'axis'> = {}): Array {
  const xs = arrays.map((a) => atLeast1d(asarray(a)));
  if (xs.length === 0) throw new TypeError('Need at least one array to concatenate.');
  return concatenate(xs, xs[0]!.ndim === 1 ? 0 : 1, options);
}

/** jnp.vstack: concatenates along axis 0, with 1-D inputs as rows. */
export function vstack(arrays: readonly ArrayLike[], options: Omit<JoinOptions, 'axis'> = {}): Array {
  return concatenate(arrays.map((a) => atLeast2d(asarray(a))), 0, options);
}

/** jnp.split(x, sections or indices, axis = 0): equal sections, or pieces between sorted split points. */
export function split(x: ArrayLike, indicesOrSections: number | readonly number[], axisOrOptions: number | { axis?: number } = 0): Array[] {
  const axis = typeof axisOrOptions === 'object' ? axisOrOptions.axis ?? 0 : axisOrOptions;
  const a = asarray(x);
  const ax = canonicalAxis('split', axis, a.ndim);
  const size = a.shape[ax]!;
  let bounds: number[];
  if (typeof indicesOrSections === 'number') {
    const n = indicesOrSections;
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`split: number of sections must be a positive integer, got ${n}`);
    if (size % n !== 0) throw new RangeError(`array split does not result in an equal division: rest is ${size % n}`);
    bounds = range(0, n + 1).map((k) => (k * size) / n);
  } else {
    // Python slicing of each piece: negative points count from the end, out-of-range ones clip
    const clip = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
    bounds = [0, ...indicesOrSections.map(clip), size];
  }
  return range(0, bounds.length - 1).map((k) => lax.sliceInDim(a, bounds[k]!, Math.max(bounds[k]!, bounds[k + 1]!), 1, ax));
}

/** jnp.tile(x, reps): repeats the whole array `reps` times along each axis. */
export function tile(x: ArrayLike, reps: number | readonly number[]): Array {
  const a = asarray(x);
  let r = typeof reps === 'number' ? [reps] : [...reps];
  if (r.some((n) => !Number.isInteger(n) || n < 0)) throw new RangeError(`tile: reps must be non-negative integers, got ${JSON.stringify(reps)}`);
  const shape = [...globalThis.Array(Math.max(0, r.length - a.ndim)).fill(1), ...a.shape];
  r = [...globalThis.Array(shape.length - r.length).fill(1), ...r];
  // [1, d0, 1, d1, ...] broadcast to [r0, d0, r1, d1, ...], then merged
  const interleaved = lax.reshape.bind1([a], { new_sizes: shape.flatMap((d) => [1, d]) });
  const target = shape.flatMap((d, i) => [r[i]!, d]);
  const tiled = lax.broadcastInDim.bind1([interleaved], { shape: target, broadcast_dimensions: target.map((_, i) => i) });
  return lax.reshape.bind1([tiled], { new_sizes: shape.map((d, i) => d * r[i]!) });
}

/** jnp.repeat(x, repeats, axis = null): each element repeated `repeats` times (flattened when axis is null). */
export function repeat(x: ArrayLike, repeats: number, axis: number | null = null): Array {
  if (typeof repeats !== 'number') throw new TypeError('repeat: only a static integer number of repeats is supported');
  if (!Number.isInteger(repeats) || repeats < 0) throw new RangeError(`repeat: repeats must be a non-negative integer, got ${repeats}`);
  let a = asarray(x);
  if (axis === null) a = lax.reshape.bind1([a], { new_sizes: [a.size] });
  const ax = canonicalAxis('repeat', axis ?? 0, a.ndim);
  const expanded = a.shape.flatMap((d, i) => (i === ax ? [d, repeats] : [d]));
  const b = lax.broadcastInDim.bind1([a], { shape: expanded, broadcast_dimensions: a.shape.map((_, i) => (i <= ax ? i : i + 1)) });
  return lax.reshape.bind1([b], { new_sizes: a.shape.map((d, i) => (i === ax ? d * repeats : d)) });
}

/** jnp.flip(x, axis = null): reverses the order of elements along the axes (all of them when null). */
export function flip(x: ArrayLike, axisOrOptions: number | readonly number[] | null | { axis?: number | readonly number[] | null } = null): Array {
  const axis = axisOrOptions !== null && typeof axisOrOptions === 'object' && !globalThis.Array.isArray(axisOrOptions) ? ((axisOrOptions as { axis?: number | null }).axis ?? null) : (axisOrOptions as number | readonly number[] | null);
  const a = asarray(x);
  const axes = normalizeAxes('flip', axis, a.ndim);
  return axes.length ? lax.rev.bind1([a], { dimensions: axes }) : a;
}

/** jnp.roll(x, shift, axis = null): rotates elements along axes; a flattened roll when axis is null. */
export function roll(x: ArrayLike, shift: number | readonly number[] | Array, axisOrOptions: number | readonly number[] | null | { axis?: number | readonly number[] | null } = null): Array {
  type RollAxis = number | readonly number[] | null;
  const axis: RollAxis = isOptions(axisOrOptions) ? ((axisOrOptions as { axis?: RollAxis }).axis ?? null) : (axisOrOptions as RollAxis);
  let a = asarray(x);
  if (axis === null) {
    const flat = roll(lax.reshape.bind1([a], { new_sizes: [a.size] }), shift, 0);
    return lax.reshape.bind1([flat], { new_sizes: a.shape });
  }
  const axes = typeof axis === 'number' ? [axis] : [...axis];
  if (shift instanceof Array) {
    if (shift.ndim > 1) throw new TypeError(`roll: shift must be a scalar or 1-D, got shape ${shapeStr(shift.shape)}`);
    const shifts = shift.ndim === 0 ? axes.map(() => shift) : range(0, shift.shape[0]!).map((k) => getItem(shift, [k]));
    broadcastShapes('roll', [shifts.length], [axes.length]);
    const n = Math.max(shifts.length, axes.length);
    for (let k = 0; k < n; k++) {
      // roll by a traced amount: a dynamic slice of [a, a]
      const ax = canonicalAxis('roll', axes[axes.length === 1 ? 0 : k]!, a.ndim);
      const size = a.shape[ax]!;
      if (size === 0) continue;
      const offset = remainder(shifts[shifts.length === 1 ? 0 : k]!, size);
      const doubled = lax.concatenate.bind1([a, a], { dimension: ax });
      a = lax.dynamicSliceInDim(doubled, asarray(size).sub(offset), size, ax);
    }
    return a;
  }
  const shifts = typeof shift === 'number' ? [shift] : [...shift];
  broadcastShapes('roll', [shifts.length], [axes.length]);
  const n = Math.max(shifts.length, axes.length);
  for (let k = 0; k < n; k++) {
    const ax = canonicalAxis('roll', axes[axes.length === 1 ? 0 : k]!, a.ndim);
    const size = a.shape[ax]!;
    if (size === 0) continue;
    const s = shifts[shifts.length === 1 ? 0 : k]!;
    const i = (((-s) % size) + size) % size;
    if (i === 0) continue;
    a = lax.concatenate.bind1([lax.sliceInDim(a, i, size, 1, ax), lax.sliceInDim(a, 0, i, 1, ax)], { dimension: ax });
  }
  return a;
}

export interface PadOptions extends Omit<PadModeOptions, 'constantValues'> {
  /** 'constant' (default), 'edge', 'wrap', 'reflect', 'symmetric', 'linear_ramp', 'maximum', 'minimum', 'mean', 'median' or 'empty'. */
  mode?: string;
  /** A scalar, [before, after], or one [before, after] per axis (default 0). */
  constantValues?: number | boolean | readonly number[] | readonly (readonly number[])[];
}

/** NumPy's broadcast of a pad spec to one [before, after] pair per axis. */
function pairs(op: string, spec: number | boolean | readonly unknown[], ndim: number): [number, number][] {
  const bad = () => new TypeError(`${op}: cannot broadcast ${JSON.stringify(spec)} to shape (${ndim}, 2)`);
  const num = (v: unknown): number => {
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return Number(v);
    throw bad();
  };
  if (!globalThis.Array.isArray(spec)) return range(0, ndim).map(() => [num(spec), num(spec)]);
  if (spec.every((v) => !globalThis.Array.isArray(v))) {
    if (spec.length === 1) return range(0, ndim).map(() => [num(spec[0]), num(spec[0])]);
    if (spec.length === 2) return range(0, ndim).map(() => [num(spec[0]), num(spec[1])]);
    throw bad();
  }
  const rows = spec.map((row) => {
    if (!globalThis.Array.isArray(row) || row.length < 1 || row.length > 2) throw bad();
    return [num(row[0]), num(row[row.length - 1])] as [number, number];
  });
  if (rows.length === 1) return range(0, ndim).map(() => rows[0]!);
  if (rows.length !== ndim) throw bad();
  return rows;
}

/** jnp.pad(x, padWidth, { mode: 'constant', constantValues, reflectType, statLength }); one program eagerly, as JAX's jitted _pad. */
export const pad = asOneProgram('pad', padOps, [1, 2]);
function padOps(x: ArrayLike, padWidth: number | readonly number[] | readonly (readonly number[])[], options: PadOptions = {}): Array {
  const a = asarray(x);
  const mode = options.mode ?? 'constant';
  const widths = pairs('pad', padWidth, a.ndim);
  if (widths.some((w) => w.some((v) => !Number.isInteger(v)))) throw new TypeError('`pad_width` must be of integral type.');
  checkPadMode(mode, options as Record<string, unknown>);
  if (widths.some((w) => w.some((v) => v < 0))) throw new RangeError("index can't contain negative values");
  if (mode !== 'constant') return a.ndim === 0 ? a : padMode(a, widths, mode, options, pairs('pad', options.endValues ?? 0, a.ndim));
  const values = pairs('pad', options.constantValues ?? 0, a.ndim);
  const valueOf = (v: number) => convertTo(asarray(v), a.dtype, a.weakType);
  const uniform = values.every(([b, e]) => b === values[0]![0] && e === values[0]![0]);
  if (uniform) {
    if (a.ndim === 0) return a;
    return lax.pad.bind1([a, valueOf(values[0]?.[0] ?? 0)], { padding_config: widths.map(([lo, hi]) => [lo, hi, 0]) });
  }
  // different values per side: one pad per side, as JAX does
  let out = a;
  widths.forEach(([lo, hi], i) => {
    for (const [amount, value, low] of [[lo, values[i]![0], true], [hi, values[i]![1], false]] as const) {
      if (amount === 0) continue;
      const config = out.shape.map((): [number, number, number] => [0, 0, 0]);
      config[i] = low ? [amount, 0, 0] : [0, amount, 0];
      out = lax.pad.bind1([out, valueOf(value)], { padding_config: config });
    }
  });
  return out;
}

/** A bool mask over the last two axes: true where column - row <= k (NumPy's tri). */
function triMask(shape: readonly number[], k: number): Array {
  const [n, m] = shape.slice(-2) as [number, number];
  const rows = lax.iota.bind1([], { dtype: 'int32', shape: [n, m], dimension: 0 });
  const cols = lax.iota.bind1([], { dtype: 'int32', shape: [n, m], dimension: 1 });
  const kk = lax.broadcastInDim.bind1([asarray(k, 'int32')], { shape: [n, m], broadcast_dimensions: [] });
  const mask = lax.ge.bind1([lax.add.bind1([rows, kk]), cols]);
  return lax.broadcastInDim.bind1([mask], { shape: [...shape], broadcast_dimensions: [shape.length - 2, shape.length - 1] });
}

function triangle(op: string, x: ArrayLike, k: number, lower: boolean): Array {
  const a = asarray(x);
  if (a.ndim < 2) throw new TypeError(`Argument to jax.numpy.${op} must be at least 2D`);
  const zeros = lax.broadcastInDim.bind1([convertTo(asarray(0), a.dtype, a.weakType)], { shape: a.shape, broadcast_dimensions: [] });
  // tril keeps where the mask holds; triu zeroes the strictly lower part (the mask of k - 1)
  return lower ? lax.selectN.bind1([triMask(a.shape, k), zeros, a]) : lax.selectN.bind1([triMask(a.shape, k - 1), a, zeros]);
}

/** jnp.tril(x, k = 0): zeroes the elements above the k-th diagonal of the last two axes. */
export const tril = (x: ArrayLike, k: number | { k?: number } = 0): Array => triangle('tril', x, typeof k === 'object' ? k.k ?? 0 : k, true);
/** jnp.triu(x, k = 0): zeroes the elements below the k-th diagonal of the last two axes. */
export const triu = (x: ArrayLike, k: number | { k?: number } = 0): Array => triangle('triu', x, typeof k === 'object' ? k.k ?? 0 : k, false);

/** jnp.moveaxis(x, source, destination): moves axes to new positions, the others keeping their order. */
export function moveaxis(x: ArrayLike, source: number | readonly number[], destination: number | readonly number[]): Array {
  const a = asarray(x);
  const src = typeof source === 'number' ? [source] : [...source];
  const dst = typeof destination === 'number' ? [destination] : [...destination];
  if (src.length !== dst.length) throw new TypeError(`Inconsistent number of elements: ${src.length} vs ${dst.length}`);
  const s = src.map((ax) => canonicalAxis('moveaxis', ax, a.ndim));
  const d = dst.map((ax) => canonicalAxis('moveaxis', ax, a.ndim));
  if (new Set(s).size !== s.length || new Set(d).size !== d.length) throw new RangeError('moveaxis: repeated axis');
  const perm = range(0, a.ndim).filter((i) => !s.includes(i));
  d.map((dest, k) => [dest, s[k]!] as const)
    .sort((p, q) => p[0] - q[0])
    .forEach(([dest, from]) => perm.splice(dest, 0, from));
  return perm.every((p, i) => p === i) ? a : lax.transpose.bind1([a], { permutation: perm });
}

/** jnp.diagonal(x, offset = 0, axis1 = 0, axis2 = 1): the diagonal of two axes, as the last axis. */
export function diagonal(x: ArrayLike, offsetOrOptions: number | DiagonalOptions = 0, axis1 = 0, axis2 = 1): Array {
  let offset: number;
  if (typeof offsetOrOptions === 'object') ({ offset = 0, axis1 = 0, axis2 = 1 } = offsetOrOptions);
  else offset = offsetOrOptions;
  const a = asarray(x);
  if (a.ndim < 2) throw new TypeError('diagonal requires an array of at least two dimensions.');
  const [n1, n2] = [a.shape[canonicalAxis('diagonal', axis1, a.ndim)]!, a.shape[canonicalAxis('diagonal', axis2, a.ndim)]!];
  const moved = moveaxis(a, [axis1, axis2], [-2, -1]);
  const size = Math.max(0, Math.min(n1 + Math.min(offset, 0), n2 - Math.max(offset, 0)));
  const i = asarray(range(0, size), 'int32');
  const j = asarray(range(Math.abs(offset), Math.abs(offset) + size), 'int32');
  return offset >= 0 ? getItem(moved, ['...', i, j]) : getItem(moved, ['...', j, i]);
}

/** Options naming diagonal's and trace's positional parameters. */
export interface DiagonalOptions {
  offset?: number;
  axis1?: number;
  axis2?: number;
}

/** jnp.trace(x, offset = 0, axis1 = 0, axis2 = 1, { dtype }): the sum of a diagonal (sum's dtype rules). */
export function trace(x: ArrayLike, offsetOrOptions: number | (DiagonalOptions & { dtype?: DType }) = 0, axis1 = 0, axis2 = 1, options: { dtype?: DType } = {}): Array {
  let offset: number;
  if (typeof offsetOrOptions === 'object') ({ offset = 0, axis1 = 0, axis2 = 1 } = options = offsetOrOptions);
  else offset = offsetOrOptions;
  const a = asarray(x);
  if (a.ndim < 2) throw new TypeError('trace requires an array of at least two dimensions.');
  const [ax1, ax2] = [canonicalAxis('trace', axis1, a.ndim), canonicalAxis('trace', axis2, a.ndim)];
  if (ax1 === ax2) throw new TypeError(`axis1 and axis2 can not be same. axis1=${axis1} and axis2=${axis2}`);
  const moved = moveaxis(a, [ax1, ax2], [-2, -1]);
  const masked = where(eye(a.shape[ax1]!, a.shape[ax2]!, offset, { dtype: 'bool' }), moved, convertTo(asarray(0), a.dtype, a.weakType));
  return sum(masked, [-2, -1], options.dtype ? { dtype: options.dtype } : {});
}

/** jnp.broadcast_arrays(...arrays): every array broadcast to their common shape. */
export function broadcastArrays(...arrays: ArrayLike[]): Array[] {
  const xs = arrays.map((a) => asarray(a));
  const shape = broadcastShapes('broadcast_arrays', ...xs.map((a) => a.shape));
  return xs.map((a) => broadcastTo(a, shape, 'broadcast_arrays'));
}

export interface NonzeroOptions {
  /** The static number of results (needed under jit): later ones are dropped, missing ones filled. */
  size?: number;
  /** The index that fills missing results (default 0), one scalar or one per dimension. */
  fillValue?: number | readonly number[];
}

/** Inclusive prefix sums along a 1-D array by doubling shifts (Hillis-Steele), with pad and add. */
function prefixSum(x: Array): Array {
  const n = x.shape[0]!;
  let acc = x;
  const zero = convertTo(asarray(0), x.dtype, false);
  for (let k = 1; k < n; k *= 2) acc = lax.add.bind1([acc, lax.pad.bind1([acc, zero], { padding_config: [[k, -k, 0]] })]);
  return acc;
}

/**
 * jnp.nonzero(x, { size, fillValue }): the indices of the non-zero elements, one array per
 * dimension. Without `size` the count must be concrete (not under jit), as in JAX.
 */
export function nonzero(x: ArrayLike, options: NonzeroOptions = {}): Array[] {
  const a = asarray(x);
  if (a.ndim === 0) throw new TypeError('Calling nonzero on 0d arrays is not allowed. Use jnp.atleast_1d(scalar).nonzero() instead.');
  const mask = a.dtype === 'bool' ? a : notEqual(a, 0);
  const dt = defaultIntDType();
  let size = options.size;
  if (size === undefined) {
    if (!(mask instanceof ArrayImpl)) {
      throw new TypeError(
        `Abstract tracer value encountered where concrete value is expected: ${String(mask)}\n` +
          'The size argument of jnp.nonzero must be statically specified to use jnp.nonzero within JAX transformations.',
      );
    }
    size = (mask.dataSync() as Uint8Array).reduce((n, v) => n + (v ? 1 : 0), 0);
  }
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`nonzero: size must be a non-negative integer, got ${size}`);
  const zerosOf = (n: number) => lax.broadcastInDim.bind1([asarray(0, dt)], { shape: [n], broadcast_dimensions: [] });
  if (a.size === 0 || size === 0) return a.shape.map(() => zerosOf(size));
  // the k-th true element goes to slot k (its running count - 1); false ones go out of range and are dropped
  const flatMask = lax.reshape.bind1([mask], { new_sizes: [a.size] });
  const counts = prefixSum(convertTo(flatMask, dt, false));
  const slots = lax.selectN.bind1([flatMask, lax.broadcastInDim.bind1([asarray(size, dt)], { shape: [a.size], broadcast_dimensions: [] }), lax.sub.bind1([counts, lax.broadcastInDim.bind1([asarray(1, dt)], { shape: [a.size], broadcast_dimensions: [] })])]);
  const flat = lax.scatter.bind1([zerosOf(size), lax.expandDims(slots, [1]), lax.iota.bind1([], { dtype: dt, shape: [a.size], dimension: 0 })], {
    dimension_numbers: new lax.ScatterDimensionNumbers({ update_window_dims: [], inserted_window_dims: [0], scatter_dims_to_operand_dims: [0] }),
    indices_are_sorted: true,
    unique_indices: false,
    mode: 'fill',
  });
  const strides = a.shape.map((_, i) => a.shape.slice(i + 1).reduce((p, d) => p * d, 1));
  const constant = (v: number) => lax.broadcastInDim.bind1([asarray(v, dt)], { shape: [size], broadcast_dimensions: [] });
  let coords = a.shape.map((d, i) => lax.rem.bind1([lax.div.bind1([flat, constant(strides[i]!)]), constant(d)]));
  if (options.fillValue !== undefined) {
    const fills = typeof options.fillValue === 'number' ? a.shape.map(() => options.fillValue as number) : [...options.fillValue];
    if (fills.length !== a.ndim) throw new TypeError(`fill_value must be a scalar or a tuple of length ${a.ndim}; got ${JSON.stringify(options.fillValue)}`);
    const total = lax.reduceSum.bind1([convertTo(flatMask, dt, false)], { axes: [0] });
    const missing = lax.ge.bind1([lax.iota.bind1([], { dtype: dt, shape: [size], dimension: 0 }), lax.broadcastInDim.bind1([total], { shape: [size], broadcast_dimensions: [] })]);
    coords = coords.map((c, i) => lax.selectN.bind1([missing, c, constant(fills[i]!)]));
  }
  return coords;
}

const isOptions = (v: unknown): boolean => typeof v === 'object' && v !== null && !globalThis.Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
