// jnp.sort, argsort, searchsorted, cumsum, cumprod and median: expected values and dtypes
// computed with JAX 0.10.2 on CPU; eager and jitted give the same bits.
import { jit, lax, numpy as jnp, type Array } from '../../lib/index.js';

const bytes = (x: Array): Buffer => {
  const d = x.dataSync();
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
};

/** `f` eagerly and under jit: same shape, dtype and bits; returns `[dtype, values]` of the eager result. */
function both(f: (...args: Array[]) => Array, ...args: Array[]): [string, unknown] {
  const eager = f(...args);
  const jitted = jit(f)(...args);
  expect([jitted.shape, jitted.dtype]).toEqual([eager.shape, eager.dtype]);
  expect(bytes(jitted).equals(bytes(eager))).toBe(true);
  return [eager.dtype, eager.tolistSync()];
}

/** `f` under jit only: `[dtype, values]` (for the further cases of a function `both` has checked, to keep compiles few). */
function jitted(f: (...args: Array[]) => Array, ...args: Array[]): [string, unknown] {
  const out = jit(f)(...args);
  return [out.dtype, out.tolistSync()];
}

const a = jnp.array([[3, 1, 2], [0, 5, 4]], { dtype: 'int32' });

describe('jnp.sort and jnp.argsort', () => {
  test('sort along the last axis, another axis, flattened, descending', () => {
    expect(both((x) => jnp.sort(x), a)).toEqual(['int32', [[1, 2, 3], [0, 4, 5]]]);
    expect(jitted((x) => jnp.sort(x, 0), a)).toEqual(['int32', [[0, 1, 2], [3, 5, 4]]]);
    expect(both((x) => jnp.sort(x, null), a)).toEqual(['int32', [0, 1, 2, 3, 4, 5]]);
    expect(both((x) => jnp.sort(x, { descending: true }), a)).toEqual(['int32', [[3, 2, 1], [5, 4, 0]]]);
  });

  test('argsort is stable, also descending (equal keys keep their order)', () => {
    const t = jnp.array([2, 1, 2, 1, 3, 1], { dtype: 'float32' });
    expect(both((x) => jnp.argsort(x), t)).toEqual(['int32', [1, 3, 5, 0, 2, 4]]);
    expect(both((x) => jnp.argsort(x, -1, { descending: true }), t)).toEqual(['int32', [4, 0, 2, 1, 3, 5]]);
    expect(both((x) => jnp.argsort(x, null), a)).toEqual(['int32', [3, 1, 2, 0, 5, 4]]);
    expect(jitted((x) => jnp.argsort(x, 0), a)).toEqual(['int32', [[1, 0, 0], [0, 1, 1]]]);
  });

  test('NaNs last, -0.0 equal to 0.0; bools', () => {
    expect(both((x) => jnp.argsort(x), jnp.array([1, NaN, -Infinity, 0, -0], { dtype: 'float32' }))).toEqual(['int32', [2, 3, 4, 0, 1]]);
    expect(both((x) => jnp.argsort(x), jnp.array([true, false, true, false]))).toEqual(['int32', [1, 3, 0, 2]]);
  });

  test('errors', () => {
    expect(() => jnp.sort(a, 2)).toThrow('sort: axis 2 is out of bounds for array of dimension 2');
    expect(() => jnp.argsort(a, -3)).toThrow('argsort: axis -3 is out of bounds for array of dimension 2');
  });
});

describe('jnp.searchsorted', () => {
  const s = jnp.array([1, 2, 2, 3, 4, 5, 5], { dtype: 'int32' });
  test('left and right, scalars and arrays (the values promote with a)', () => {
    expect(jnp.searchsorted(s, 2).tolistSync()).toBe(1);
    expect(jnp.searchsorted(s, 2, { side: 'right' }).tolistSync()).toBe(3);
    expect(jnp.searchsorted(s, 2, 'right').tolistSync()).toBe(3);
    // `sorter` indexes an unsorted `a` into order: [4, 3, 5, 1, 2] sorted by [3, 4, 1, 0, 2]
    expect(jnp.searchsorted(jnp.array([4, 3, 5, 1, 2]), jnp.array([0, 3, 8, 1.5, 2]), { sorter: jnp.array([3, 4, 1, 0, 2]) }).tolistSync()).toEqual([0, 2, 5, 1, 1]);
    const vals = jnp.array([0, 3, 8, 1.5, 2], { dtype: 'float32' });
    expect(both((x, v) => jnp.searchsorted(x, v), s, vals)).toEqual(['int32', [0, 3, 7, 1, 1]]);
    expect(jitted((x, v) => jnp.searchsorted(x, v, { side: 'right' }), s, vals)).toEqual(['int32', [0, 4, 7, 1, 3]]);
  });

  test('floats in sort order: NaN after everything, -0.0 equal to 0.0; complex lexicographic', () => {
    const f = jnp.array([-Infinity, -1, 0, 0, 2, NaN], { dtype: 'float32' });
    const q = jnp.array([[NaN, -0], [Infinity, -Infinity]], { dtype: 'float32' });
    expect(both((x, v) => jnp.searchsorted(x, v), f, q)).toEqual(['int32', [[5, 2], [5, 0]]]);
    expect(jitted((x, v) => jnp.searchsorted(x, v, { side: 'right' }), f, q)).toEqual(['int32', [[6, 4], [5, 1]]]);
    const c = (re: number[], im: number[]) => lax.complex.bind1([jnp.array(re, { dtype: 'float32' }), jnp.array(im, { dtype: 'float32' })]);
    expect(both((x, v) => jnp.searchsorted(x, v), c([1, 1, 2], [0, 2, -1]), c([1, 2, 0], [1, -1, 0]))).toEqual(['int32', [1, 2, 0]]);
  });

  test('errors', () => {
    expect(() => jnp.searchsorted(a, 1)).toThrow('searchsorted: a should be 1-dimensional, got shape (2, 3)');
    expect(() => jnp.searchsorted(s, 1, { side: 'middle' as never })).toThrow(`invalid argument side="middle", expected 'left' or 'right'`);
  });
});

describe('jnp.cumsum and jnp.cumprod', () => {
  test('dtype rules: small ints keep their dtype (wrapping), bools accumulate in int32', () => {
    expect(both((x) => jnp.cumsum(x), jnp.array([100, 100, 1], { dtype: 'int8' }))).toEqual(['int8', [100, -56, -55]]);
    expect(both((x) => jnp.cumsum(x), jnp.array([true, true, false, true]))).toEqual(['int32', [1, 2, 2, 3]]);
    expect(both((x) => jnp.cumprod(x), jnp.array([2, 3, 50], { dtype: 'uint8' }))).toEqual(['uint8', [2, 6, 44]]);
  });

  test('axis null flattens; an axis; a dtype; bool output counts nonzeros', () => {
    expect(both((x) => jnp.cumsum(x), a)).toEqual(['int32', [3, 4, 6, 6, 11, 15]]);
    expect(jitted((x) => jnp.cumsum(x, 1), a)).toEqual(['int32', [[3, 4, 6], [0, 5, 9]]]);
    expect(jitted((x) => jnp.cumsum(x, null, 'float32'), a)).toEqual(['float32', [3, 4, 6, 6, 11, 15]]);
    expect(jitted((x) => jnp.cumsum(x, { dtype: 'float32' }), a)).toEqual(['float32', [3, 4, 6, 6, 11, 15]]);
    expect(both((x) => jnp.cumsum(x, null, { dtype: 'bool' }), jnp.array([-1, 1, 0, 2]))).toEqual(['bool', [true, true, true, true]]);
    expect(both((x) => jnp.cumprod(x, 0), jnp.array([[1.5, 2], [3, 4]], { dtype: 'float32' }))).toEqual(['float32', [[1.5, 2], [4.5, 8]]]);
    expect(() => jnp.cumsum(a, 2)).toThrow('cumsum: axis 2 is out of bounds for array of dimension 2');
  });
});

describe('jnp.median', () => {
  const m = jnp.array([[3, 1, 4, 1], [5, 9, 2, 6], [5, 3, 5, 8]], { dtype: 'int32' });
  test('integers average in float32; every axis form', () => {
    expect(both((x) => jnp.median(x), m)).toEqual(['float32', 4.5]);
    expect(jitted((x) => jnp.median(x, 0), m)).toEqual(['float32', [5, 3, 4, 6]]);
    expect(jitted((x) => jnp.median(x, 1), m)).toEqual(['float32', [2, 5.5, 5]]);
    expect(both((x) => jnp.median(x, 1, { keepdims: true }), m)).toEqual(['float32', [[2], [5.5], [5]]]);
    expect(jitted((x) => jnp.median(x, null, { keepdims: true }), m)).toEqual(['float32', [[4.5]]]);
    expect(jitted((x) => jnp.median(x, [0, 1]), m)).toEqual(['float32', 4.5]);
  });

  test('several axes of a 3-d array', () => {
    // (arange(24) ** 2) % 7, shape (2, 3, 4)
    const mod7 = jnp.array([[[0, 1, 4, 2], [2, 4, 1, 0], [1, 4, 2, 2]], [[4, 1, 0, 1], [4, 2, 2, 4], [1, 0, 1, 4]]], { dtype: 'float32' });
    expect(both((x) => jnp.median(x, [0, 2]), mod7)).toEqual(['float32', [1, 2, 1.5]]);
    expect(jitted((x) => jnp.median(x, [0, 2], { keepdims: true }), mod7)).toEqual(['float32', [[[1], [2], [1.5]]]]);
  });

  test('a NaN makes its median NaN; float16 stays float16; -0.0 kept', () => {
    const mf = jnp.array([[1.5, NaN, 2], [4, 0.5, -1]], { dtype: 'float32' });
    expect(both((x) => jnp.median(x, 1), mf)).toEqual(['float32', [NaN, 0.5]]);
    expect(jitted((x) => jnp.median(x), mf)).toEqual(['float32', NaN]);
    expect(both((x) => jnp.median(x), jnp.array([1, 2, 4, 7], { dtype: 'float16' }))).toEqual(['float16', 3]);
    expect(() => jnp.median(jnp.zeros([2, 0]), 1)).toThrow('median: cannot take the median over an empty axis of shape (2, 0)');
    expect(jitted((x) => jnp.median(x), jnp.array([-0, -0], { dtype: 'float32' }))).toEqual(['float32', -0]);
  });
});
