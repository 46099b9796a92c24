// associative_scan: prefix combinations of an associative binary function in O(log n) depth, by
// JAX's recursive odd/even algorithm (Blelloch 1990) over strided slices, so it vectorises and
// differentiates like any lax program (no loop primitive).
import type { Array } from '../../core/array.js';
import { ShapedArray } from '../../core/aval.js';
import { unflatten, type TreeDef } from '../../core/pytree.js';
import { fullOf } from '../../interpreters/ad.js';
import { add, or } from '../elementwise.js';
import { rev } from '../shape.js';
import { concatenate, pad, sliceInDim, type PaddingConfig } from '../slicing.js';
import { type AsArrays, flattenArrays } from './common.js';

export interface AssociativeScanOptions {
  /** Combine from the end of `axis` towards its start. */
  reverse?: boolean;
  /** The axis scanned along (negative counts from the end). Default 0. */
  axis?: number;
}

/** `a` and `b` interleaved along `axis` (a first), as JAX's _interleave: two pads and an add (or). */
function interleave(a: Array, b: Array, axis: number): Array {
  const same = a.shape[axis] === b.shape[axis];
  const config = (lo: number, hi: number): PaddingConfig => a.shape.map((_, i) => (i === axis ? [lo, hi, 1] : [0, 0, 0]));
  const padded = (x: Array, c: PaddingConfig) => pad.bind1([x, fullOf(new ShapedArray([], x.dtype), 0)], { padding_config: c });
  const combine = a.dtype === 'bool' ? or : add;
  return combine.bind1([padded(a, config(0, same ? 1 : 0)), padded(b, config(1, same ? 0 : 1))]);
}

/**
 * `lax.associativeScan(fn, elems, { reverse, axis })`: `[a, fn(a, b), fn(fn(a, b), c), ...]` along
 * `axis` of `elems` (a pytree of arrays of equal length there). `fn` must be associative and act
 * elementwise along the other positions of `axis` (it is applied to slices of every length); its
 * result has the structure and types of its arguments. With `reverse` the combination runs from
 * the end: `[..., fn(fn(z, y), x), fn(z, y), z]`.
 */
export function associativeScan<T>(fn: (a: AsArrays<T>, b: AsArrays<T>) => unknown, elems: T, options: AssociativeScanOptions = {}): AsArrays<T> {
  if (typeof fn !== 'function') throw new TypeError('lax.associative_scan: fn argument should be callable.');
  const { reverse = false, axis: axisArg = 0 } = options;
  let [flat, tree] = flattenArrays(elems, 'lax.associative_scan');
  if (!flat.length) return unflatten(tree, []);
  // As JAX, the reversal takes the axis as given: a negative axis with `reverse` is rev's error.
  if (reverse) flat = flat.map((x) => rev.bind1([x], { dimensions: [axisArg] }));
  const ndim = flat[0]!.ndim;
  if (!Number.isInteger(axisArg) || axisArg < -ndim || axisArg >= ndim) throw new RangeError(`axis ${axisArg} is out of bounds for array of dimension ${ndim}`);
  const axis = axisArg < 0 ? axisArg + ndim : axisArg;
  const n = flat[0]!.shape[axis]!;
  if (!flat.every((x) => x.shape[axis] === n)) {
    throw new RangeError(`Array inputs to associative_scan must have the same first dimension. (saw: [${flat.map((x) => `(${x.shape.join(', ')}${x.ndim === 1 ? ',' : ''})`).join(', ')}])`);
  }
  const combine = (a: Array[], b: Array[]): Array[] => combineFlat(fn, tree, a, b);
  const slices = (xs: Array[], start: number, limit: number | null, stride = 1) => xs.map((x) => sliceInDim(x, start, limit, stride, axis));

  // The odd positions of the result are the scan of adjacent pairs combined (recursively); each
  // even position combines the odd result before it with the element there.
  const scanRec = (xs: Array[]): Array[] => {
    const len = xs[0]!.shape[axis]!;
    if (len < 2) return xs;
    const odd = scanRec(combine(slices(xs, 0, -1, 2), slices(xs, 1, null, 2)));
    const evenRest = combine(len % 2 === 0 ? slices(odd, 0, -1) : odd, slices(xs, 2, null, 2));
    return xs.map((x, i) => {
      const even = concatenate.bind1([sliceInDim(x, 0, 1, 1, axis), evenRest[i]!], { dimension: axis });
      return interleave(even, odd[i]!, axis);
    });
  };
  let out = scanRec(flat);
  if (reverse) out = out.map((x) => rev.bind1([x], { dimensions: [axis] }));
  return unflatten(tree, out);
}

/** `fn` on flat leaves: both arguments rebuilt with `tree`, its result flattened and checked. */
function combineFlat<T>(fn: (a: AsArrays<T>, b: AsArrays<T>) => unknown, tree: TreeDef, a: Array[], b: Array[]): Array[] {
  const [out, outTree] = flattenArrays(fn(unflatten(tree, a), unflatten(tree, b)), 'lax.associative_scan fn output');
  if (!outTree.equals(tree)) throw new TypeError(`lax.associative_scan: fn must return a pytree of the structure of its inputs, ${tree}, got ${outTree}`);
  out.forEach((o, i) => {
    const want = a[i]!;
    if (o.dtype !== want.dtype || o.ndim !== want.ndim || o.shape.some((d, k) => d !== want.shape[k])) {
      throw new TypeError(`lax.associative_scan: fn must return arrays of the types of its inputs, got ${o.dtype}[${o.shape.join(',')}] for ${want.dtype}[${want.shape.join(',')}]`);
    }
  });
  return out;
}
