// Shape manipulation.
import type { Array, ArrayLike } from '../core/array.js';
import { shapeStr } from '../core/aval.js';
import * as lax from '../lax/index.js';
import { asarray, broadcastTo as broadcastToImpl } from './convert.js';
import { normalizeAxes } from './reductions.js';

/** reshape with one optional -1 entry. */
export function reshape(x: ArrayLike, shape: readonly number[] | number): Array {
  const a = asarray(x);
  const dims = typeof shape === 'number' ? [shape] : [...shape];
  const unknown = dims.filter((d) => d === -1).length;
  if (unknown > 1 || dims.some((d) => !Number.isInteger(d) || d < -1)) throw new TypeError(`reshape: invalid new shape ${shapeStr(dims)}`);
  if (unknown === 1) {
    const known = dims.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
    if (known === 0 || a.size % known !== 0) throw new TypeError(`cannot reshape array of shape ${shapeStr(a.shape)} (size ${a.size}) into shape ${shapeStr(dims)}`);
    dims[dims.indexOf(-1)] = a.size / known;
  }
  if (dims.reduce((p, d) => p * d, 1) !== a.size) throw new TypeError(`cannot reshape array of shape ${shapeStr(a.shape)} (size ${a.size}) into shape ${shapeStr(dims)}`);
  if (dims.length === a.ndim && dims.every((d, i) => d === a.shape[i])) return a;
  return lax.reshape.bind1([a], { new_sizes: dims });
}

export function ravel(x: ArrayLike): Array {
  return reshape(x, [-1]);
}

export function transpose(x: ArrayLike, axes?: readonly number[]): Array {
  const a = asarray(x);
  const perm = axes ? axes.map((ax) => (ax < 0 ? ax + a.ndim : ax)) : [...globalThis.Array(a.ndim).keys()].reverse();
  if (perm.length !== a.ndim) throw new TypeError(`transpose: axes ${shapeStr(axes ?? [])} don't match array of rank ${a.ndim}`);
  if (perm.every((p, i) => p === i)) return a;
  return lax.transpose.bind1([a], { permutation: perm });
}

export function expandDims(x: ArrayLike, axis: number | readonly number[]): Array {
  const a = asarray(x);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const ndim = a.ndim + list.length;
  const axes = normalizeAxes('expand_dims', list, ndim);
  const shape: number[] = [];
  let k = 0;
  for (let i = 0; i < ndim; i++) shape.push(axes.includes(i) ? 1 : a.shape[k++]!);
  return lax.reshape.bind1([a], { new_sizes: shape });
}

export function squeeze(x: ArrayLike, axis?: number | readonly number[] | null): Array {
  const a = asarray(x);
  const axes = axis === null || axis === undefined ? a.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes('squeeze', axis, a.ndim);
  if (axes.length === 0) return a;
  return lax.squeeze.bind1([a], { dimensions: axes });
}

export function broadcastTo(x: ArrayLike, shape: readonly number[]): Array {
  return broadcastToImpl(asarray(x), shape);
}

export function swapaxes(x: ArrayLike, axis1: number, axis2: number): Array {
  const a = asarray(x);
  const [i, j] = [axis1, axis2].map((ax) => normalizeAxes('swapaxes', ax, a.ndim)[0]!);
  const perm = [...globalThis.Array(a.ndim).keys()];
  [perm[i!], perm[j!]] = [perm[j!]!, perm[i!]!];
  return transpose(a, perm);
}
