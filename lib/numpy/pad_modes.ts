// jnp.pad's modes other than 'constant', built as jax/_src/numpy/lax_numpy.py builds them: axis by
// axis, slices of the array (flipped, repeated or reduced) concatenated before and after it.
import type { Array } from '../core/array.js';
import { isInteger, toInexactDType, type DType } from '../core/dtypes.js';
import * as lax from '../lax/index.js';
import { asarray, convertTo } from './convert.js';
import { max, mean, min } from './reductions.js';
import { median } from './sorting.js';
import { add, divide, floor, multiply, round, subtract } from './ufuncs.js';

export type Pairs = [number, number][];

/** The keyword options of jnp.pad besides `mode`, camelCased. */
export interface PadModeOptions {
  constantValues?: unknown;
  /** 'reflect' and 'symmetric': 'even' (default) or 'odd' (extend by 2 * edge - reflection). */
  reflectType?: 'even' | 'odd';
  /** 'maximum', 'minimum', 'mean', 'median': how many values at each end the statistic uses. */
  statLength?: number | readonly number[] | readonly (readonly number[])[] | null;
  /** 'linear_ramp': the values the ramps start from, as pad widths are given (default 0). */
  endValues?: number | readonly number[] | readonly (readonly number[])[];
}

/** The options each mode accepts (JAX's allowed_kwargs). */
const ALLOWED: Record<string, (keyof PadModeOptions)[]> = {
  empty: [], edge: [], wrap: [],
  constant: ['constantValues'],
  linear_ramp: ['endValues'],
  maximum: ['statLength'], mean: ['statLength'], median: ['statLength'], minimum: ['statLength'],
  reflect: ['reflectType'], symmetric: ['reflectType'],
};

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** JAX's checks of `mode` and of the options given for it. */
export function checkPadMode(mode: string, options: Record<string, unknown>): void {
  const allowed = ALLOWED[mode];
  if (!allowed) throw new TypeError(`Unimplemented padding mode '${mode}' for np.pad.`);
  const extra = Object.keys(options).filter((k) => k !== 'mode' && options[k] !== undefined && !allowed.includes(k as keyof PadModeOptions));
  if (extra.length) throw new TypeError(`unsupported keyword arguments for mode '${mode}': {${extra.map((k) => `'${snake(k)}'`).join(', ')}}`);
}

const slice = (x: Array, start: number | null, stop: number | null, axis: number): Array => lax.sliceInDim(x, start, stop, 1, axis);
const concat = (parts: Array[], axis: number): Array => lax.concatenate.bind1(parts, { dimension: axis });
const flip = (x: Array, axis: number): Array => lax.rev.bind1([x], { dimensions: [axis] });

/** A size-1 slice repeated `n` times along `axis` (jnp.repeat of it). */
function repeatEdge(edge: Array, n: number, axis: number): Array {
  const shape = [...edge.shape];
  shape[axis] = n;
  return lax.broadcastInDim.bind1([edge], { shape, broadcast_dimensions: edge.shape.map((_, i) => i) });
}

function checkNoPadding([lo, hi]: [number, number], mode: string): void {
  if (lo > 0 || hi > 0) throw new RangeError(`Cannot apply '${mode}' padding to empty axis`);
}

/** Pads `a` (of rank > 0) by `widths` in `mode` (not 'constant'); `endValues` are linear_ramp's. */
export function padMode(a: Array, widths: Pairs, mode: string, options: PadModeOptions, endValues: Pairs): Array {
  switch (mode) {
    case 'linear_ramp':
      return padLinearRamp(a, widths, endValues);
    case 'wrap':
      return padWrap(a, widths);
    case 'reflect':
    case 'symmetric': {
      const reflectType = options.reflectType ?? 'even';
      if (reflectType !== 'even' && reflectType !== 'odd') throw new TypeError(`pad: reflect_type must be 'even' or 'odd', got '${String(reflectType)}'`);
      return padReflect(a, widths, mode, reflectType);
    }
    case 'edge':
      return padEdge(a, widths);
    case 'empty':
      return padEmpty(a, widths);
    default:
      return padStats(a, widths, options.statLength ?? null, mode);
  }
}

function padWrap(array: Array, widths: Pairs): Array {
  widths.forEach(([lo, hi], i) => {
    const size = array.shape[i]!;
    if (size === 0) return checkNoPadding([lo, hi], 'wrap');
    const [loRem, hiRem] = [lo % size, hi % size];
    const copies = Math.floor(lo / size) + Math.floor(hi / size) + 1;
    const parts: Array[] = [];
    if (loRem > 0) parts.push(slice(array, size - loRem, size, i));
    for (let k = 0; k < copies; k++) parts.push(array);
    if (hiRem > 0) parts.push(slice(array, 0, hiRem, i));
    array = concat(parts, i);
  });
  return array;
}

/** Mirror images of the array at each end, as many times as the padding needs ('reflect' skips the edge). */
function padReflect(array: Array, widths: Pairs, mode: 'reflect' | 'symmetric', reflectType: 'even' | 'odd'): Array {
  widths.forEach(([lo, hi], i) => {
    const size = array.shape[i]!;
    if (size === 0) return checkNoPadding([lo, hi], mode);
    const offset = mode === 'reflect' && size > 1 ? 1 : 0;
    for (const [width, before] of [[lo, true], [hi, false]] as const) {
      let edge = before ? slice(array, 0, 1, i) : slice(array, -1, null, i);
      for (let left = width; left > 0;) {
        const n = Math.min(left, size - offset);
        left -= n;
        const start = before ? offset : -(n + offset);
        const stop = before ? offset + n : mode === 'symmetric' || size === 1 ? null : -1;
        let x = flip(slice(array, start, stop, i), i);
        if (reflectType === 'odd') {
          x = subtract(multiply(2, edge), x);
          if (size > 1) edge = before ? slice(x, 0, 1, i) : slice(x, -1, null, i);
        }
        array = concat(before ? [x, array] : [array, x], i);
      }
    }
  });
  return array;
}

function padEdge(array: Array, widths: Pairs): Array {
  widths.forEach(([lo, hi], i) => {
    const size = array.shape[i]!;
    if (size === 0) return checkNoPadding([lo, hi], 'edge');
    const before = repeatEdge(slice(array, 0, 1, i), lo, i);
    const after = repeatEdge(slice(array, size - 1, size, i), hi, i);
    array = concat([before, array, after], i);
  });
  return array;
}

/** jnp.empty is jnp.zeros in JAX, so 'empty' pads with zeros. */
function padEmpty(array: Array, widths: Pairs): Array {
  widths.forEach(([lo, hi], i) => {
    const zeros = (n: number) => {
      const shape = [...array.shape];
      shape[i] = n;
      return lax.broadcastInDim.bind1([convertTo(asarray(0), array.dtype, array.weakType)], { shape, broadcast_dimensions: [] });
    };
    array = concat([zeros(lo), array, zeros(hi)], i);
  });
  return array;
}

type Stat = (x: Array, axis: number) => Array;
const STATS: Record<string, Stat> = {
  maximum: (x, axis) => max(x, axis, { keepdims: true }),
  minimum: (x, axis) => min(x, axis, { keepdims: true }),
  mean: (x, axis) => mean(x, axis, { keepdims: true }),
  median: (x, axis) => median(x, axis, { keepdims: true }),
};

/** A statistic of the first / last `statLength` values (all by default) repeated at each end. */
function padStats(array: Array, widths: Pairs, statLength: PadModeOptions['statLength'], mode: string): Array {
  const stat = STATS[mode]!;
  const lengths = statLength === null || statLength === undefined ? null : statPairs(statLength, array.ndim);
  widths.forEach(([lo, hi], i) => {
    let before: Array;
    let after: Array;
    if (!lengths) {
      before = after = stat(array, i);
    } else {
      let [nBefore, nAfter] = lengths[i]!;
      if (nBefore === 0 || nAfter === 0) throw new RangeError('stat_length of 0 yields no value for padding');
      const size = array.shape[i]!;
      [nBefore, nAfter] = [Math.min(nBefore, size), Math.min(nAfter, size)];
      before = stat(slice(array, 0, nBefore, i), i);
      after = stat(slice(array, -nAfter, null, i), i);
    }
    // integer arrays take the rounded statistic (half to even), as JAX
    if (isInteger(array.dtype)) [before, after] = [round(before), round(after)];
    before = convertTo(before, array.dtype, array.weakType);
    after = convertTo(after, array.dtype, array.weakType);
    array = concat([repeatEdge(before, lo, i), array, repeatEdge(after, hi, i)], i);
  });
  return array;
}

/** stat_length broadcast to one [before, after] pair per axis. */
function statPairs(spec: number | readonly number[] | readonly (readonly number[])[], ndim: number): Pairs {
  const bad = () => new TypeError(`pad: cannot broadcast stat_length ${JSON.stringify(spec)} to shape (${ndim}, 2)`);
  const pair = (row: readonly number[]): [number, number] => {
    if (row.length < 1 || row.length > 2 || row.some((v) => !Number.isInteger(v))) throw bad();
    return [row[0]!, row[row.length - 1]!];
  };
  if (typeof spec === 'number') return globalThis.Array.from({ length: ndim }, () => pair([spec]));
  if (spec.every((v) => typeof v === 'number')) return globalThis.Array.from({ length: ndim }, () => pair(spec as readonly number[]));
  const rows = spec.map((r) => {
    if (!globalThis.Array.isArray(r)) throw bad();
    return pair(r as readonly number[]);
  });
  if (rows.length === 1) return globalThis.Array.from({ length: ndim }, () => rows[0]!);
  if (rows.length !== ndim) throw bad();
  return rows;
}

/** Ramps from the end values to the edges (jnp.linspace without the endpoint), per axis in turn. */
export function padLinearRamp(array: Array, widths: Pairs, endValues: Pairs): Array {
  widths.forEach(([lo, hi], i) => {
    const size = array.shape[i]!;
    const before = ramp(endValues[i]![0], slice(array, 0, 1, i), lo, i, array.dtype, array.weakType);
    const after = ramp(endValues[i]![1], slice(array, size - 1, size, i), hi, i, array.dtype, array.weakType);
    array = concat([before, array, flip(after, i)], i);
  });
  return array;
}

/** JAX's _linspace(end, edge, n, endpoint=False, dtype, axis) for a size-1 `edge` along `axis`. */
function ramp(end: number, edge: Array, n: number, axis: number, dtype: DType, weak: boolean): Array {
  const computation = toInexactDType(dtype);
  const stop = convertTo(edge, computation, false);
  const start = lax.broadcastInDim.bind1([convertTo(asarray(end), computation, false)], { shape: [...edge.shape], broadcast_dimensions: [] });
  let out: Array;
  if (n > 1) {
    const stepShape = edge.shape.map(() => 1);
    stepShape[axis] = n;
    const iota = lax.iota.bind1([], { dtype: computation, shape: stepShape, dimension: axis });
    const step = divide(iota, convertTo(asarray(n), computation, false));
    out = add(multiply(start, subtract(1, step)), multiply(stop, step));
  } else if (n === 1) {
    out = start;
  } else {
    const shape = [...edge.shape];
    shape[axis] = 0;
    out = lax.broadcastInDim.bind1([convertTo(asarray(0), computation, false)], { shape, broadcast_dimensions: [] });
  }
  if (isInteger(dtype)) out = floor(out);
  return convertTo(out, dtype, weak);
}
