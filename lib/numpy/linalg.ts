// dot and matmul over lax.dot_general.
import type { Array, ArrayLike } from '../core/array.js';
import { shapeStr } from '../core/aval.js';
import * as lax from '../lax/index.js';
import { asarray, broadcastShapes, broadcastTo, convertTo } from './convert.js';
import { resultType } from '../core/dtypes.js';
import { multiply } from './ufuncs.js';

const range = (a: number, b: number) => [...globalThis.Array(Math.max(0, b - a)).keys()].map((i) => i + a);

/** NumPy's dot: products for scalars, inner product for vectors, matmul-like contraction otherwise. */
export function dot(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteDTypesOnly(x, y);
  if (a.ndim === 0 || b.ndim === 0) return multiply(a, b);
  const rc = b.ndim === 1 ? 0 : b.ndim - 2;
  if (a.shape[a.ndim - 1] !== b.shape[rc]) {
    throw new TypeError(`dot: shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)} not aligned: ${a.shape[a.ndim - 1]} (dim ${a.ndim - 1}) != ${b.shape[rc]} (dim ${rc})`);
  }
  return lax.dotGeneral.bind1([a, b], { dimension_numbers: [[[a.ndim - 1], [rc]], [[], []]], preferred_element_type: null });
}

/** Promotes dtypes (with weak types) without broadcasting shapes. */
function promoteDTypesOnly(x: ArrayLike, y: ArrayLike): [Array, Array] {
  const a = asarray(x);
  const b = asarray(y);
  const { dtype, weak } = resultType({ dtype: a.dtype, weakType: a.weakType }, { dtype: b.dtype, weakType: b.weakType });
  return [convertTo(a, dtype, weak), convertTo(b, dtype, weak)];
}

/** matmul with NumPy's batching: leading dimensions broadcast, vectors promoted and squeezed. */
export function matmul(x: ArrayLike, y: ArrayLike): Array {
  let [a, b] = promoteDTypesOnly(x, y);
  if (a.ndim === 0 || b.ndim === 0) throw new TypeError(`matmul: operands must be at least 1-dimensional, got shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
  const aVec = a.ndim === 1;
  const bVec = b.ndim === 1;
  if (aVec) a = lax.reshape.bind1([a], { new_sizes: [1, a.shape[0]!] });
  if (bVec) b = lax.reshape.bind1([b], { new_sizes: [b.shape[0]!, 1] });
  if (a.shape[a.ndim - 1] !== b.shape[b.ndim - 2]) {
    throw new TypeError(`matmul: contracting dimensions differ: ${shapeStr(aVec ? [a.shape[1]!] : a.shape)} @ ${shapeStr(bVec ? [b.shape[0]!] : b.shape)}`);
  }
  const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  a = broadcastTo(a, [...batch, ...a.shape.slice(-2)], 'matmul');
  b = broadcastTo(b, [...batch, ...b.shape.slice(-2)], 'matmul');
  const nb = batch.length;
  let out = lax.dotGeneral.bind1([a, b], { dimension_numbers: [[[nb + 1], [nb]], [range(0, nb), range(0, nb)]], preferred_element_type: null });
  if (aVec || bVec) {
    const shape = out.shape.filter((_, i) => !((aVec && i === nb) || (bVec && i === out.ndim - 1)));
    out = lax.reshape.bind1([out], { new_sizes: shape });
  }
  return out;
}
