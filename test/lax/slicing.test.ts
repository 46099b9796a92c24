// lax slicing primitives: slice, pad, concatenate, dynamic_slice, dynamic_update_slice, gather,
// scatter (set/add/mul/min/max), and the thin functions over them. Expected values are JAX
// 0.10.2's (the same lax calls in Python) unless marked as a hand computation.
import { jit, lax, makeJaxpr, numpy as jnp, type Array } from '../../lib/index.js';
import type { DType } from '../../lib/numpy/index.js';
import { both } from '../helpers/eager_and_jit.js';

const x = jnp.arange(12).reshape([3, 4]);
const xf = x.astype('float32');
const i32 = (v: number) => jnp.asarray(v, 'int32');

const list = (a: Array) => a.tolistSync() as unknown[];

describe('slice, pad, concatenate', () => {
  test('slice with and without strides', () => {
    expect(list(both((a) => lax.slice.bind1([a], { start_indices: [0, 1], limit_indices: [3, 4], strides: [2, 2] }), x))).toEqual([[1, 3], [9, 11]]);
    expect(list(both((a) => lax.slice.bind1([a], { start_indices: [1, 0], limit_indices: [3, 2], strides: null }), xf))).toEqual([[4, 5], [8, 9]]);
    expect(lax.slice.bind1([x], { start_indices: [1, 1], limit_indices: [1, 4], strides: [1, 2] }).shape).toEqual([0, 2]);
  });

  test('slice errors', () => {
    const s = (start: number[], limit: number[], strides: number[] | null = null) => () => lax.slice.bind1([x], { start_indices: start, limit_indices: limit, strides });
    expect(s([0, 0], [4, 4])).toThrow('slice limit_indices must be less than or equal to operand shape, got limit_indices (4, 4) for operand shape (3, 4).');
    expect(s([2, 0], [1, 4])).toThrow('slice limit_indices must be greater than or equal to start_indices, got start_indices (2, 0) and limit_indices (1, 4).');
    expect(s([-1, 0], [1, 4])).toThrow('slice start_indices must be greater than or equal to zero, got start_indices of (-1, 0).');
    expect(s([0], [1])).toThrow('slice start_indices must have length equal to the number of dimensions of the operand, got indices (0,) for operand shape (3, 4).');
    expect(s([0, 0], [1, 4], [1, 0])).toThrow('slice strides must be positive, got (1, 0)');
  });

  test('pad: interior, negative (cropping) edges', () => {
    expect(list(both((a, v) => lax.pad.bind1([a, v], { padding_config: [[1, -1, 1], [0, 0, 0]] }), x, i32(-1)))).toEqual([
      [-1, -1, -1, -1],
      [0, 1, 2, 3],
      [-1, -1, -1, -1],
      [4, 5, 6, 7],
      [-1, -1, -1, -1],
    ]);
    const f = jnp.array([1, 2, 3], { dtype: 'float32' });
    expect(list(both((a, v) => lax.pad.bind1([a, v], { padding_config: [[-1, 2, 2]] }), f, jnp.asarray(0.5, 'float32')))).toEqual([0.5, 0.5, 2, 0.5, 0.5, 3, 0.5, 0.5]);
  });

  test('pad errors', () => {
    const p = (config: [number, number, number][], value: Array = i32(-1)) => () => lax.pad.bind1([x, value], { padding_config: config });
    expect(p([[0, 0, 0], [0, 0, 0]], jnp.asarray(0.5, 'float32'))).toThrow('pad operand and padding_value must be same dtype: got int32 and float32.');
    expect(p([[0, 0, -1], [0, 0, 0]])).toThrow('interior padding in padding_config must be nonnegative, got padding_config ((0, 0, -1), (0, 0, 0))');
    expect(p([[-3, -1, 0], [0, 0, 0]])).toThrow(
      'Dimension size after padding is not at least 0, got result shape (-1, 4), for padding_config ((-3, -1, 0), (0, 0, 0)) and operand shape (3, 4)',
    );
    expect(p([[0, 0, 0]])).toThrow('length of padding_config must equal the number of axes of operand, got padding_config ((0, 0, 0),) for operand shape (3, 4)');
  });

  test('concatenate and its errors', () => {
    expect(list(both((a, b) => lax.concatenate.bind1([a, b], { dimension: 1 }), x, x.mul(2)))).toEqual([
      [0, 1, 2, 3, 0, 2, 4, 6],
      [4, 5, 6, 7, 8, 10, 12, 14],
      [8, 9, 10, 11, 16, 18, 20, 22],
    ]);
    expect(() => lax.concatenate.bind1([x, xf], { dimension: 0 })).toThrow(
      'lax.concatenate requires arguments to have the same dtypes, got int32, float32. (Tip: jnp.concatenate is a similar function that does automatic type promotion on inputs).',
    );
    expect(() => lax.concatenate.bind1([x, x.slice([], [null, 2])], { dimension: 0 })).toThrow(
      'Cannot concatenate arrays with shapes that differ in dimensions other than the one being concatenated: concatenating along dimension 0 for shapes (3, 4), (3, 2).',
    );
    expect(() => lax.concatenate.bind1([x, x], { dimension: 2 })).toThrow('concatenate dimension out of bounds: dimension 2 for shapes (3, 4), (3, 4).');
  });

  test.each<[DType, (number | boolean)[]]>([
    ['int32', [0, 1, 2, 3]],
    ['uint8', [0, 1, 2, 3]],
    ['float32', [0, 1, 2, 3]],
    ['bfloat16', [0, 1, 2, 3]],
    ['float16', [0, 1, 2, 3]],
    ['bool', [false, true, true, true]],
  ])('%s: slice, pad, concatenate keep dtype and values', (dtype, values) => {
    const a = jnp.array([0, 1, 2, 3]).astype(dtype);
    const fill = jnp.asarray(1, dtype);
    const out = both(
      (p, v) => lax.concatenate.bind1([lax.slice.bind1([p], { start_indices: [1], limit_indices: [4], strides: [2] }), lax.pad.bind1([p, v], { padding_config: [[1, 0, 0]] })], { dimension: 0 }),
      a,
      fill,
    );
    expect(out.dtype).toBe(dtype);
    const one = dtype === 'bool' ? true : 1;
    expect(list(out)).toEqual([values[1], values[3], one, ...values]);
  });
});

test.each<DType>(['int32', 'uint8', 'float32', 'bfloat16', 'float16', 'bool'])('%s: gather and scatter keep dtype and values', (dtype) => {
  const a = jnp.array([0, 1, 2, 3]).astype(dtype);
  const values = list(a);
  const one = dtype === 'bool' ? true : 1;
  const picked = both((p, i) => lax.gather.bind1([p, i], { dimension_numbers: { offset_dims: [], collapsed_slice_dims: [0], start_index_map: [0] }, slice_sizes: [1], mode: 'clip' }), a, jnp.array([[3], [0]]));
  expect([picked.dtype, list(picked)]).toEqual([dtype, [values[3], values[0]]]);
  const dn = { update_window_dims: [], inserted_window_dims: [0], scatter_dims_to_operand_dims: [0] };
  const written = both((p, i, u) => lax.scatter.bind1([p, i, u], { dimension_numbers: dn, mode: 'fill' }), a, jnp.array([[2], [7]]), jnp.array([1, 1]).astype(dtype));
  expect([written.dtype, list(written)]).toEqual([dtype, [values[0], values[1], one, values[3]]]);
});

test('jaxprs print dimension numbers and modes as JAX does', () => {
  const text = makeJaxpr((a: Array) => a.slice(jnp.array([2, 0])))(jnp.arange(6)).toString();
  expect(text).toContain(
    'gather[dimension_numbers=GatherDimensionNumbers(offset_dims=(), collapsed_slice_dims=(0,), start_index_map=(0,), operand_batching_dims=(), start_indices_batching_dims=()) fill_value=None indices_are_sorted=False mode=promise_in_bounds slice_sizes=(1,) unique_indices=False]',
  );
  expect(makeJaxpr((a: Array) => a.at(jnp.array([2, 0])).add(1))(jnp.arange(6)).toString()).toContain(
    'scatter-add[dimension_numbers=ScatterDimensionNumbers(update_window_dims=(), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,), operand_batching_dims=(), scatter_indices_batching_dims=())',
  );
});

describe('dynamic_slice, dynamic_update_slice', () => {
  test('starts are clamped so the window fits (XLA)', () => {
    expect(list(both((a, i, j) => lax.dynamicSlice.bind1([a, i, j], { slice_sizes: [2, 2] }), x, i32(2), i32(3)))).toEqual([[6, 7], [10, 11]]);
    expect(list(both((a, i, j) => lax.dynamicSlice.bind1([a, i, j], { slice_sizes: [2, 2] }), x, i32(-5), i32(1)))).toEqual([[1, 2], [5, 6]]); // hand: clamped to 0
    const z = jnp.zeros([2, 2], { dtype: 'int32' });
    expect(list(both((a, u, i, j) => lax.dynamicUpdateSlice.bind1([a, u, i, j]), x, z, i32(2), i32(3)))).toEqual([[0, 1, 2, 3], [4, 5, 0, 0], [8, 9, 0, 0]]);
  });

  test('the *InDim functions count negative starts from the end, as jax.lax does', () => {
    expect(list(both((a) => lax.dynamicSliceInDim(a, -2, 2, 1), x))).toEqual([[2, 3], [6, 7], [10, 11]]);
    expect(list(both((a, i) => lax.dynamicSliceInDim(a, i, 2, 0), x, i32(-1)))).toEqual([[4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(list(both((a, u) => lax.dynamicUpdateSliceInDim(a, u, 1, 1), x, jnp.full([3, 1], -1, { dtype: 'int32' })))).toEqual([
      [0, -1, 2, 3],
      [4, -1, 6, 7],
      [8, -1, 10, 11],
    ]);
  });

  test('errors', () => {
    expect(() => lax.dynamicSlice.bind1([x, i32(0), jnp.asarray(1, 'int8')], { slice_sizes: [2, 2] })).toThrow(
      'index arguments to dynamic_slice must be integers of the same type, got: int32, int8',
    );
    expect(() => lax.dynamicSlice.bind1([x, i32(0), i32(1)], { slice_sizes: [4, 2] })).toThrow(
      'slice slice_sizes must be less than or equal to operand shape, got slice_sizes (4, 2) for operand shape (3, 4).',
    );
    expect(() => lax.dynamicUpdateSlice.bind1([x, jnp.zeros([4, 2], { dtype: 'int32' }), i32(0), i32(0)])).toThrow(
      'dynamic_update_slice update shape must be smaller than operand shape, got update shape (4, 2) for operand shape (3, 4).',
    );
    expect(() => lax.dynamicUpdateSlice.bind1([x, jnp.zeros([2, 2]), i32(0), i32(0)])).toThrow('lax.dynamic_update_slice requires arguments to have the same dtypes, got int32, float32.');
  });
});

describe('gather', () => {
  const rows = { offset_dims: [1], collapsed_slice_dims: [0], start_index_map: [0] };
  const idx = jnp.array([[0], [2], [5], [-1]]);
  const g = (mode: string, fill: number | null = null) => (a: Array, i: Array) =>
    lax.gather.bind1([a, i], { dimension_numbers: rows, slice_sizes: [1, 4], indices_are_sorted: false, unique_indices: false, mode, fill_value: fill });

  test("mode 'clip' clamps the start so the window is in bounds", () => {
    expect(list(both(g('clip'), x, idx))).toEqual([[0, 1, 2, 3], [8, 9, 10, 11], [8, 9, 10, 11], [0, 1, 2, 3]]);
  });

  test("mode 'fill' gives JAX's fill values for out-of-bounds windows", () => {
    const min = -2147483648;
    expect(list(both(g('fill'), x, idx))).toEqual([[0, 1, 2, 3], [8, 9, 10, 11], [min, min, min, min], [min, min, min, min]]);
    expect(list(both(g('fill'), xf, idx)).slice(2)).toEqual([[NaN, NaN, NaN, NaN], [NaN, NaN, NaN, NaN]]);
    expect(list(both(g('fill', -7.5), xf, idx)).slice(2)).toEqual([[-7.5, -7.5, -7.5, -7.5], [-7.5, -7.5, -7.5, -7.5]]);
    expect(list(both(g('fill'), x.astype('uint8'), idx)).slice(2)).toEqual([[255, 255, 255, 255], [255, 255, 255, 255]]);
    expect(list(both(g('fill'), x.greater(5), idx))).toEqual([[false, false, false, false], [true, true, true, true], [true, true, true, true], [true, true, true, true]]);
    // a window partly out of bounds is filled whole
    const win = { offset_dims: [1, 2], collapsed_slice_dims: [], start_index_map: [0, 1] };
    const out = both((a, i) => lax.gather.bind1([a, i], { dimension_numbers: win, slice_sizes: [2, 2], mode: 'fill', fill_value: 0 }), x, jnp.array([[0, 1], [2, 3], [1, 2]]));
    expect(list(out)).toEqual([[[1, 2], [5, 6]], [[0, 0], [0, 0]], [[6, 7], [10, 11]]]);
  });

  test('batching dimensions pair operand and index dimensions', () => {
    const dn = { offset_dims: [], collapsed_slice_dims: [1], start_index_map: [1], operand_batching_dims: [0], start_indices_batching_dims: [0] };
    expect(list(both((a, i) => lax.gather.bind1([a, i], { dimension_numbers: dn, slice_sizes: [1, 1], mode: 'clip' }), x, jnp.array([[3], [0], [2]])))).toEqual([3, 4, 10]);
  });

  test('errors', () => {
    const bad = (dn: object, sizes: number[], i: Array = idx) => () => lax.gather.bind1([x, i], { dimension_numbers: dn, slice_sizes: sizes, mode: 'clip' });
    expect(bad({ ...rows, start_index_map: [0, 1] }, [1, 4])).toThrow(
      'Gather op has 2 elements in start_index_map and the bound of dimension index_vector_dim=1 of indices is 1. These two numbers must be equal.',
    );
    expect(bad(rows, [2, 4])).toThrow('Gather op can only collapse slice dims with bound 1, but bound is 2 for index 0 at position 0.');
    expect(bad(rows, [1, 5])).toThrow('Slice size at index 1 in gather op is out of range, must be within [0, 4 + 1), got 5.');
    expect(bad(rows, [1, 4], idx.astype('float32'))).toThrow('indices must have an integer type');
    expect(bad({ offset_dims: [1, 0], collapsed_slice_dims: [], start_index_map: [0] }, [1, 4], jnp.zeros([1, 1], { dtype: 'int32' }))).toThrow('offset_dims in gather op must be sorted; got (1, 0)');
    expect(bad({ offset_dims: [1], collapsed_slice_dims: [], start_index_map: [0, 1] }, [1, 2], jnp.zeros([1, 2], { dtype: 'int32' }))).toThrow(
      'All components of the offset index in a gather op must either be a offset dimension or explicitly collapsed/batching; got len(slice_sizes)=2, output_slice_sizes=(1,), collapsed_slice_dims=(), operand_batching_dims=().',
    );
    expect(() => g('nearest')(x, idx)).toThrow("gather: unknown mode \"nearest\"; expected 'clip', 'fill', 'drop' or 'promise_in_bounds'");
  });
});

describe('scatter family', () => {
  const rows = { update_window_dims: [1], inserted_window_dims: [0], scatter_dims_to_operand_dims: [0] };
  const idx = jnp.array([[0], [0], [5], [1]]); // a duplicate and an out-of-bounds row
  const upd = jnp.arange(16).reshape([4, 4]);
  const s = (p: typeof lax.scatter, mode = 'fill') => (a: Array, i: Array, u: Array) =>
    p.bind1([a, i, u], { dimension_numbers: rows, indices_are_sorted: false, unique_indices: false, mode });

  test('add accumulates duplicates and drops out-of-bounds windows; clip clamps them', () => {
    expect(list(both(s(lax.scatterAdd), x, idx, upd))).toEqual([[4, 7, 10, 13], [16, 18, 20, 22], [8, 9, 10, 11]]);
    expect(list(both(s(lax.scatterAdd, 'clip'), x, idx, upd))).toEqual([[4, 7, 10, 13], [16, 18, 20, 22], [16, 18, 20, 22]]);
    expect(list(both(s(lax.scatterAdd), xf, idx, upd.astype('float32').mul(0.5)))).toEqual([[2, 4, 6, 8], [10, 11.5, 13, 14.5], [8, 9, 10, 11]]);
  });

  test('mul, min, max combine duplicates', () => {
    expect(list(both(s(lax.scatterMul), x, idx, upd))).toEqual([[0, 5, 24, 63], [48, 65, 84, 105], [8, 9, 10, 11]]);
    expect(list(both(s(lax.scatterMin), x, idx, upd.sub(8)))).toEqual([[-8, -7, -6, -5], [4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(list(both(s(lax.scatterMax), x, idx, upd))).toEqual([[4, 5, 6, 7], [12, 13, 14, 15], [8, 9, 10, 11]]);
  });

  test('set: unique indices are exact; with duplicates one update wins', () => {
    expect(list(both(s(lax.scatter), x, jnp.array([[2], [0]]), upd.slice([null, 2])))).toEqual([[4, 5, 6, 7], [4, 5, 6, 7], [0, 1, 2, 3]]);
    const row0 = (both(s(lax.scatter), x, idx, upd).tolistSync() as number[][])[0];
    expect([[0, 1, 2, 3], [4, 5, 6, 7]]).toContainEqual(row0);
  });

  test('windows and batching dimensions', () => {
    const win = { update_window_dims: [1, 2], inserted_window_dims: [], scatter_dims_to_operand_dims: [0, 1] };
    const ones = jnp.ones([2, 2, 2], { dtype: 'int32' });
    const at = jnp.array([[1, 1], [2, 3]]);
    expect(list(both((a, i, u) => lax.scatterAdd.bind1([a, i, u], { dimension_numbers: win, mode: 'fill' }), x, at, ones))).toEqual([[0, 1, 2, 3], [4, 6, 7, 7], [8, 10, 11, 11]]);
    expect(list(both((a, i, u) => lax.scatterAdd.bind1([a, i, u], { dimension_numbers: win, mode: 'clip' }), x, at, ones))).toEqual([[0, 1, 2, 3], [4, 6, 8, 8], [8, 10, 12, 12]]);
    const batch = { update_window_dims: [], inserted_window_dims: [1], scatter_dims_to_operand_dims: [1], operand_batching_dims: [0], scatter_indices_batching_dims: [0] };
    expect(list(both((a, i, u) => lax.scatter.bind1([a, i, u], { dimension_numbers: batch }), x, jnp.array([[3], [0], [2]]), jnp.array([-1, -2, -3])))).toEqual([
      [0, 1, 2, -1],
      [-2, 5, 6, 7],
      [8, 9, -3, 11],
    ]);
  });

  test('errors', () => {
    expect(() => s(lax.scatterAdd)(x, idx, upd.astype('float32'))).toThrow('lax.scatter requires arguments to have the same dtypes, got int32, float32.');
    expect(() => s(lax.scatterAdd)(x, idx, upd.slice(0))).toThrow('Updates tensor must be of rank 2; got 1.');
    expect(() => s(lax.scatterAdd)(x, idx, jnp.ones([3, 4], { dtype: 'int32' }))).toThrow(
      'Bounds of the scatter dimensions of updates must be the same as the bounds of the corresponding dimensions of scatter indices. For scatter dimension 0, updates bound is 3, indices bound is 4.',
    );
    expect(() => s(lax.scatterAdd)(x, idx, jnp.ones([4, 5], { dtype: 'int32' }))).toThrow(
      'Bounds of the window dimensions of updates must not exceed the bounds of the corresponding dimensions of operand. For dimension 1, updates bound is 5, operand bound is 4.',
    );
    expect(() => s(lax.scatterAdd)(x.greater(3), idx, upd.greater(3))).toThrow('scatter-add does not accept dtype bool.');
  });
});

describe('thin functions', () => {
  test('sliceInDim, indexInDim, expandDims', () => {
    expect(list(lax.sliceInDim(x, 1, null, 2, 1))).toEqual([[1, 3], [5, 7], [9, 11]]);
    expect(list(lax.sliceInDim(x, -2, -1, 1, 0))).toEqual([[4, 5, 6, 7]]);
    expect(list(lax.indexInDim(x, -1, 1))).toEqual([[3], [7], [11]]);
    expect(list(lax.indexInDim(x, 0, 0, false))).toEqual([0, 1, 2, 3]);
    expect(() => lax.indexInDim(x, 3, 0)).toThrow('index 3 is out of bounds for axis 0 with size 3');
    expect(lax.expandDims(x, [0, -1]).shape).toEqual([1, 3, 4, 1]);
    expect(() => lax.expandDims(x, [0, 0])).toThrow('repeated axis in lax.expand_dims: (0, 0)');
  });
});
