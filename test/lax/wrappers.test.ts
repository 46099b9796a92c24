// lax.squeeze, lax.dynamic_slice and lax.dynamic_update_slice bind with JAX's wrapper semantics
// (negative dimensions, negative start indices) while jaxprs record the primitives. Expected
// values are JAX 0.10.2's (the same lax calls in Python).
import { grad, jit, lax, makeJaxpr, numpy as jnp, vmap, type Array } from '../../lib/index.js';
import { both } from '../helpers/eager_and_jit.js';

const x = jnp.arange(20, { dtype: 'float32' }).reshape([4, 5]);
const i32 = (v: number) => jnp.asarray(v, 'int32');
const list = (a: Array) => a.tolistSync() as unknown[];
const ds = (sizes: number[], params: Record<string, unknown> = {}) => (a: Array, ...starts: Array[]) => lax.dynamicSlice.bind1([a, ...starts], { slice_sizes: sizes, ...params });

describe('lax.squeeze', () => {
  const y = jnp.ones([1, 3, 1]);
  test('negative dimensions count from the end, in any order', () => {
    expect(both((a) => lax.squeeze.bind1([a], { dimensions: [-1] }), y).shape).toEqual([1, 3]);
    expect(both((a) => lax.squeeze.bind1([a], { dimensions: [-1, 0] }), y).shape).toEqual([3]);
    expect(lax.squeeze.bind1([y], { dimensions: [2, -3] }).shape).toEqual([3]);
    expect(lax.squeeze.bind1([y], { dimensions: [] }).shape).toEqual([1, 3, 1]);
  });

  test('jaxprs record sorted non-negative dimensions; vmap', () => {
    expect(String(makeJaxpr((a: Array) => lax.squeeze.bind1([a], { dimensions: [-1, 0] }))(y))).toContain('squeeze[dimensions=(0, 2)]');
    expect(vmap((a: Array) => lax.squeeze.bind1([a], { dimensions: [-1] }))(jnp.ones([2, 1, 3, 1])).shape).toEqual([2, 1, 3]);
  });

  test('errors', () => {
    expect(() => lax.squeeze.bind1([y], { dimensions: [-4] })).toThrow('axis -4 is out of bounds for array of dimension 3');
    expect(() => lax.squeeze.bind1([y], { dimensions: [1] })).toThrow('cannot select an axis to squeeze out which has size not equal to one, got shape=(1, 3, 1) and dimensions=(1,)');
    expect(() => lax.squeeze.bind1([y], { dimensions: [0, -3] })).toThrow();
  });
});

describe('lax.dynamic_slice, lax.dynamic_update_slice', () => {
  test('negative starts count from the end, then clamp', () => {
    expect(list(both(ds([2, 2]), x, i32(-1), i32(-2)))).toEqual([[13, 14], [18, 19]]);
    expect(list(both(ds([2, 2]), x, i32(-6), i32(1)))).toEqual([[1, 2], [6, 7]]);
    expect(list(jit((a: Array, i: Array) => ds([2, 2])(a, i, i))(x, i32(-3)))).toEqual([[7, 8], [12, 13]]);
  });

  test('allow_negative_indices: false clamps negative starts', () => {
    expect(list(ds([2, 2], { allow_negative_indices: false })(x, i32(-1), i32(-2)))).toEqual([[0, 1], [5, 6]]);
    expect(list(ds([2, 2], { allow_negative_indices: [true, false] })(x, i32(-1), i32(-2)))).toEqual([[10, 11], [15, 16]]);
  });

  test('jaxprs: the wrap (lt, add, select_n) before the primitive, as JAX', () => {
    const text = String(makeJaxpr((a: Array, i: Array) => ds([2, 2])(a, i, i))(x, i32(-3)));
    expect(text).toContain('select_n');
    expect(text).toContain('dynamic_slice[slice_sizes=(2, 2)]');
    expect(text).not.toContain('allow_negative_indices');
  });

  test('vmap over starts and grad', () => {
    const f = (i: Array) => lax.dynamicSlice.bind1([x, i, i32(0)], { slice_sizes: [1, 2] });
    expect(list(vmap(f)(jnp.array([-1, 0, -4, 2], { dtype: 'int32' })))).toEqual([[[15, 16]], [[0, 1]], [[0, 1]], [[10, 11]]]);
    const g = grad((a: Array) => jnp.sum(lax.dynamicSlice.bind1([a, i32(-1), i32(0)], { slice_sizes: [2, 2] })))(x);
    expect(list(g)).toEqual([[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 1, 0, 0, 0], [1, 1, 0, 0, 0]]);
  });

  test('dynamic_update_slice wraps negative starts', () => {
    const u = jnp.full([2, 2], -1, { dtype: 'float32' });
    const f = (a: Array, b: Array, i: Array, j: Array) => lax.dynamicUpdateSlice.bind1([a, b, i, j]);
    expect(list(both(f, x, u, i32(-1), i32(-3)))).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9],
      [10, 11, -1, -1, 14],
      [15, 16, -1, -1, 19],
    ]);
  });
});

describe('lax.dynamic_index_in_dim, lax.dynamic_update_index_in_dim', () => {
  const y = jnp.arange(12, { dtype: 'float32' }).reshape([3, 4]);
  test('negative indices count from the end; keepdims; an update without the axis', () => {
    expect(list(lax.dynamicIndexInDim(y, -1, 1, false))).toEqual([3, 7, 11]);
    expect(list(lax.dynamicIndexInDim(y, i32(-2), 0))).toEqual([[4, 5, 6, 7]]);
    const u = jnp.array([-1, -2, -3], { dtype: 'float32' });
    expect(list(lax.dynamicUpdateIndexInDim(y, u, -1, 1))).toEqual([[0, 1, 2, -1], [4, 5, 6, -2], [8, 9, 10, -3]]);
    const row = jnp.array([[-1, -2, -3, -4]], { dtype: 'float32' });
    expect(list(lax.dynamicUpdateIndexInDim(y, row, i32(5), 0))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [-1, -2, -3, -4]]);
  });
});
