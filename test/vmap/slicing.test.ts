// vmap of the slicing primitives (lib/lax/slicing.ts: slice, pad, concatenate, dynamic_slice,
// dynamic_update_slice, gather, the scatter family): vmap(op) over several in/out axes equals the
// op applied to each example with the results stacked (as JAX's lax_vmap_test.py checks), exactly.
// Each family is one function whose outputs are one primitive application each, so one program
// compiles per family and axes. Then the jnp functions built on them, vmap of their gradients,
// and the jaxprs: batched indices become gather/scatter batching dimensions, and batch axes move
// only where the dimension lists leave no place for them.
import { grad, jit, lax, makeJaxpr, numpy as jnp, vmap, type Array } from '../../lib/index.js';
import { Primitive } from '../../lib/core/primitive.js';
import * as slicingModule from '../../lib/lax/slicing.js';
import { compareWithStacked, primitivesOf, type ArgSpec, type OutFn, describeFamilies, type Family } from './helpers.js';

const ops = (entries: Record<string, (...xs: Array[]) => Array>): OutFn => (...xs) => Object.fromEntries(Object.entries(entries).map(([k, f]) => [k, f(...xs)]));
const f32 = (shape: number[], gen?: ArgSpec['gen']): ArgSpec => ({ shape, dtype: 'float32', ...(gen && { gen }) });
const i32 = (shape: number[], gen: ArgSpec['gen']): ArgSpec => ({ shape, dtype: 'int32', gen });
/** Small integers as floats: sums and products in any order are exact. */
const smallInt = (k: number) => (k % 7) - 3;
/** Indices in [-1, 4]: in bounds for axes of 4 or 3 and out of bounds at both ends. */
const anyIndex = (k: number) => ((k * 7) % 6) - 1;


const gatherOf = (dn: slicingModule.GatherDimensionNumbersLike, sliceSizes: number[], mode: slicingModule.GatherScatterMode) => (x: Array, idx: Array) =>
  lax.gather.bind1([x, idx], {
    dimension_numbers: new lax.GatherDimensionNumbers(dn), slice_sizes: sliceSizes, indices_are_sorted: false, unique_indices: false, mode, fill_value: null,
  });
const scatterOf = (prim: Primitive, dn: slicingModule.ScatterDimensionNumbersLike, mode: slicingModule.GatherScatterMode, unique = false) => (x: Array, idx: Array, u: Array) =>
  prim.bind1([x, idx, u], { dimension_numbers: new lax.ScatterDimensionNumbers(dn), indices_are_sorted: false, unique_indices: unique, mode });
const sliceP = (x: Array, start: number[], limit: number[], strides: number[] | null = null) => lax.slice.bind1([x], { start_indices: start, limit_indices: limit, strides });
const padP = (x: Array, v: Array, config: lax.PaddingConfig) => lax.pad.bind1([x, v], { padding_config: config });

/** jnp.take-like rows, points, windows, and the batched take-along of lax.sort's jvp. */
const rows = { offset_dims: [1], collapsed_slice_dims: [0], start_index_map: [0] };
const columns = { offset_dims: [0], collapsed_slice_dims: [1], start_index_map: [1] };
const points = { offset_dims: [], collapsed_slice_dims: [0, 1], start_index_map: [0, 1] };
const windows = { offset_dims: [1, 2], collapsed_slice_dims: [], start_index_map: [0, 1] };
const along = { offset_dims: [], collapsed_slice_dims: [0], start_index_map: [0], operand_batching_dims: [1], start_indices_batching_dims: [1] };

const rowUpdates = { update_window_dims: [1], inserted_window_dims: [0], scatter_dims_to_operand_dims: [0] };
const pointUpdates = { update_window_dims: [], inserted_window_dims: [0, 1], scatter_dims_to_operand_dims: [0, 1] };
const alongUpdates = { update_window_dims: [], inserted_window_dims: [0], scatter_dims_to_operand_dims: [0], operand_batching_dims: [1], scatter_indices_batching_dims: [1] };

const FAMILIES: Family[] = [
  {
    name: 'slice, pad, concatenate',
    fn: ops({
      slice: (x) => sliceP(x, [0, 1], [2, 4]),
      slice_strided: (x) => sliceP(x, [0, 0], [2, 4], [1, 2]),
      pad: (x, _y, v) => padP(x, v, [[1, 0, 0], [0, 2, 1]]),
      pad_crop: (x, _y, v) => padP(x, v, [[-1, 1, 1], [2, -1, 0]]),
      pad_const: (x) => padP(x, jnp.asarray(7, 'float32'), [[0, 1, 0], [1, 0, 0]]),
      pad_unbatched_operand: (_x, y, v) => padP(sliceP(y, [0, 0], [1, 4]), v, [[1, 1, 0], [0, 0, 1]]),
      concat0: (x, y) => lax.concatenate.bind1([x, y], { dimension: 0 }),
      concat1: (x, y) => lax.concatenate.bind1([y, x, y], { dimension: 1 }),
    }),
    args: [f32([2, 4]), f32([2, 4]), f32([])],
    axes: [[[0, 0, null], 0], [[1, null, 0], 1], [[null, 2, 0], -1], [[2, 1, null], 0], [[null, null, 0], 1]],
  },
  {
    name: 'dynamic_slice and dynamic_update_slice (starts clamped)',
    fn: ops({
      ds: (x, i, j) => lax.dynamicSlice.bind1([x, i, j], { slice_sizes: [2, 3] }),
      ds_one_start: (x, i) => lax.dynamicSlice.bind1([x, i, jnp.asarray(1, 'int32')], { slice_sizes: [1, 2] }),
      dus: (x, i, j, u) => lax.dynamicUpdateSlice.bind1([x, u, i, j]),
      dus_fixed: (x, i, _j, u) => lax.dynamicUpdateSlice.bind1([x, sliceP(u, [0, 0], [1, 2]), jnp.asarray(2, 'int32'), i]),
    }),
    args: [f32([3, 4]), i32([], anyIndex), i32([], (k) => anyIndex(k + 2)), f32([2, 2])],
    axes: [
      [[0, null, null, null], 0], [[null, 0, 0, null], 0], [[1, 0, null, 0], 1], [[null, null, 0, 1], -1],
      [[null, null, null, 0], 0], [[-1, null, null, 1], 1],
    ],
  },
  {
    name: 'gather',
    fn: ops({
      rows_clip: (x, i1) => gatherOf(rows, [1, 3], 'clip')(x, i1),
      rows_fill: (x, i1) => gatherOf(rows, [1, 3], 'fill')(x, i1),
      columns: (x, i1) => gatherOf(columns, [4, 1], 'clip')(x, i1),
      points: (x, _i1, i2) => gatherOf(points, [1, 1], 'clip')(x, i2),
      windows_fill: (x, _i1, i2) => gatherOf(windows, [2, 2], 'fill')(x, i2),
      along: (x, _i1, _i2, i3) => gatherOf(along, [1, 1], 'clip')(x, i3),
    }),
    args: [f32([4, 3]), i32([2, 1], anyIndex), i32([2, 2], (k) => anyIndex(k + 3)), i32([2, 3, 1], (k) => (k * 5) % 4)],
    axes: [
      [[0, null, null, null], 0], [[-1, null, null, null], 1], [[null, 0, 0, 0], 0], [[null, -1, 1, -1], 1],
      [[0, 0, 0, 0], 0], [[2, 1, 0, 2], 1], [[1, -1, null, 1], -1],
    ],
  },
  {
    name: 'scatter family',
    fn: ops({
      set: (x, _i, iu, u) => scatterOf(lax.scatter, rowUpdates, 'fill')(x, iu, u),
      set_unique: (x, _i, iu, u) => scatterOf(lax.scatter, rowUpdates, 'clip', true)(x, iu, u),
      add: (x, i, _iu, u) => scatterOf(lax.scatterAdd, rowUpdates, 'fill')(x, i, u),
      add_clip: (x, i, _iu, u) => scatterOf(lax.scatterAdd, rowUpdates, 'clip')(x, i, u),
      add_window: (x, i, _iu, u) => scatterOf(lax.scatterAdd, rowUpdates, 'fill')(x, i, sliceP(u, [0, 1], [2, 3])),
      mul: (x, i, _iu, u) => scatterOf(lax.scatterMul, rowUpdates, 'fill')(x, i, u),
      min: (x, i, _iu, u) => scatterOf(lax.scatterMin, rowUpdates, 'fill')(x, i, u),
      max: (x, i, _iu, u) => scatterOf(lax.scatterMax, rowUpdates, 'clip')(x, i, u),
      points: (x, _i, _iu, u, i2) => scatterOf(lax.scatterAdd, pointUpdates, 'fill')(x, i2, lax.reduceSum.bind1([u], { axes: [1] })),
      along: (x, _i, _iu, u, _i2, i3) => scatterOf(lax.scatterAdd, alongUpdates, 'clip')(x, i3, u),
    }),
    args: [
      f32([4, 3], smallInt), i32([2, 1], anyIndex), i32([2, 1], (k) => (k % 2) * 2), f32([2, 3], (k) => smallInt(k + 3)),
      i32([2, 2], (k) => anyIndex(k + 3)), i32([2, 3, 1], (k) => (k * 5) % 4),
    ],
    axes: [
      [[0, null, null, null, null, null], 0], [[null, null, null, 0, null, null], 0], [[-1, null, null, 0, null, null], -1],
      [[null, 0, 0, null, 0, 0], 0], [[0, 0, 0, 0, 0, 0], 0], [[2, -1, -1, 1, -1, -1], 1], [[1, 1, 1, 2, 1, 2], 0],
      [[null, 1, 0, 0, null, 1], -1],
    ],
  },
];

describeFamilies(FAMILIES);

describe('coverage', () => {
  const exported = Object.values(slicingModule).filter((v): v is Primitive => v instanceof Primitive);

  test('every slicing primitive has a batching rule', () => {
    expect(exported.filter((prim) => !prim.rules.batch).map((prim) => prim.name)).toEqual([]);
  });

  test('every slicing primitive is exercised by a family above', () => {
    const covered = new Set(FAMILIES.flatMap((f) => primitivesOf(f.fn, f.args)));
    expect(exported.map((prim) => prim.name).filter((name) => !covered.has(name))).toEqual([]);
  });
});

// ---- jnp functions over these primitives (values hand-computed) ----

const list = (a: Array) => a.tolistSync() as unknown[];
const x34 = jnp.arange(12, { dtype: 'float32' }).reshape([3, 4]);

describe('jnp functions under vmap', () => {
  test('x.at[i].set(v) with batched i and v: a scatter with a batching dimension', () => {
    const setAt = (x: Array, i: Array, v: Array) => x.at(i).set(v);
    const out = vmap(setAt, { inAxes: [null, 0, 0] })(jnp.zeros([4], { dtype: 'float32' }), jnp.array([0, 3, 1]), jnp.array([5, 6, 7], { dtype: 'float32' }));
    expect(list(out)).toEqual([[5, 0, 0, 0], [0, 0, 0, 6], [0, 7, 0, 0]]);
    // each example writes its own row of a batched operand
    const rowsOut = vmap(setAt, { inAxes: [1, 0, null] })(x34, jnp.array([2, 0, 1, 1]), jnp.asarray(-1, 'float32'));
    expect(list(rowsOut)).toEqual([[0, 4, -1], [-1, 5, 9], [2, -1, 10], [3, -1, 11]]);
  });

  test('x.at[i].add(1) with a batched i hitting the same place twice accumulates per example', () => {
    const addAt = (x: Array, i: Array) => x.at(i).add(1);
    expect(list(vmap(addAt, { inAxes: [null, 0] })(jnp.zeros([3], { dtype: 'float32' }), jnp.array([[0, 0], [2, 1]])))).toEqual([[2, 0, 0], [0, 1, 1]]);
  });

  test('jnp.take with batched indices, batched operand, or both', () => {
    const take = (x: Array, i: Array) => jnp.take(x, i, 1);
    expect(list(vmap(take, { inAxes: [null, 0] })(x34, jnp.array([[3, 0], [1, 1]])))).toEqual([
      [[3, 0], [7, 4], [11, 8]],
      [[1, 1], [5, 5], [9, 9]],
    ]);
    const takeRow = (x: Array, i: Array) => jnp.take(x, i, 0);
    expect(list(vmap(takeRow, { inAxes: [0, null] })(x34, jnp.array([3, 0])))).toEqual([[3, 0], [7, 4], [11, 8]]);
    expect(list(vmap(take, { inAxes: [0, 0], outAxes: 1 })(x34.reshape([3, 2, 2]), jnp.array([[1], [0], [1]])))).toEqual([[[1], [4], [9]], [[3], [6], [11]]]);
  });

  test('lax.dynamicSliceInDim and dynamicUpdateSliceInDim with a batched start (clamped per example)', () => {
    const ds = (x: Array, i: Array) => lax.dynamicSliceInDim(x, i, 2, 0);
    expect(list(vmap(ds, { inAxes: [0, 0] })(x34, jnp.array([0, 3, -1])))).toEqual([[0, 1], [6, 7], [10, 11]]);
    const dus = (x: Array, u: Array, i: Array) => lax.dynamicUpdateSliceInDim(x, u, i, 0);
    expect(list(vmap(dus, { inAxes: [null, null, 0] })(jnp.zeros([3], { dtype: 'float32' }), jnp.array([1, 2], { dtype: 'float32' }), jnp.array([0, 5])))).toEqual([
      [1, 2, 0],
      [0, 1, 2],
    ]);
  });

  test('jnp.concatenate and jnp.pad of a batched and an unbatched array', () => {
    const cat = (x: Array, y: Array) => jnp.concatenate([x, y], 0);
    expect(list(vmap(cat, { inAxes: [0, null] })(jnp.array([[1], [2]]), jnp.array([9])))).toEqual([[1, 9], [2, 9]]);
    expect(list(vmap((x: Array, v: Array) => lax.pad.bind1([x, v], { padding_config: [[1, 0, 1]] }))(jnp.array([[1, 2], [3, 4]]), jnp.array([0, -1])))).toEqual([
      [0, 1, 0, 2],
      [-1, 3, -1, 4],
    ]);
  });
});

describe("nested vmap: the inner rule's batching dimensions are batched again", () => {
  const inner: OutFn = (x, i, u) => ({
    set: vmap((xx: Array, ii: Array, uu: Array) => xx.at(ii).set(uu), { inAxes: [0, 0, null] })(x, i, u),
    take: vmap((xx: Array, ii: Array) => jnp.take(xx, ii, 0), { inAxes: [null, 0] })(x, i),
  });
  const args: ArgSpec[] = [f32([2, 4]), i32([2], (k) => (k * 3) % 5), f32([])];
  test.each([[[0, 0, 0], 0], [[1, null, 0], -1], [[null, 1, null], 1]] as [(number | null)[], number][])('outer inAxes %j, outAxes %j', (inAxes, outAxes) => {
    expect(compareWithStacked(inner, args, inAxes, outAxes).mismatches).toEqual([]);
  });
});

// ---- vmap of gradients through gather, scatter and dynamic slices: per-example gradients ----

describe('vmap(grad) equals stacked per-example gradients', () => {
  const args: ArgSpec[] = [f32([4, 3]), i32([2], (k) => (k * 3) % 4), f32([2, 3], (k) => smallInt(k) / 4)];
  const gradients: OutFn = (x, i, u) => {
    const loss = (xx: Array, uu: Array) => jnp.sum(jnp.take(xx, i, 0).mul(xx.at(i).add(uu).slice([1, 3]).sum(0)).square())
      .add(jnp.sum(jnp.sin(lax.dynamicSliceInDim(xx, lax.reduceSum.bind1([i], { axes: [0] }), 2, 0))));
    const [gx, gu] = grad(loss, { argnums: [0, 1] })(x, u) as Array[];
    return { gx: gx!, gu: gu! };
  };
  test.each([[[1, 0, 2], 1], [[null, 0, null], 0]] as [(number | null)[], number][])('inAxes %j, outAxes %j', (inAxes, outAxes) => {
    expect(compareWithStacked(gradients, args, inAxes, outAxes, { rtol: 1e-6 }).mismatches).toEqual([]);
  });
});

// ---- what the rules emit ----

const ones = (...shape: number[]) => jnp.ones(shape, { dtype: 'float32' });
const prims = (fn: (...xs: Array[]) => unknown, ...args: Array[]) => makeJaxpr(fn as (...xs: Array[]) => Array)(...args).jaxpr.eqns.map((e) => e.primitive.name);
const text = (fn: (...xs: Array[]) => unknown, ...args: Array[]) => String(makeJaxpr(fn as (...xs: Array[]) => Array)(...args));
const int = (...shape: number[]) => jnp.zeros(shape, { dtype: 'int32' });

describe('slicing batch rules move batch axes only where needed', () => {
  test('slice, pad and concatenate keep the batch axis in place', () => {
    expect(text(vmap((x: Array) => sliceP(x, [1, 0], [2, 3]), { inAxes: 1, outAxes: 1 }), ones(2, 5, 3))).toContain('slice[limit_indices=(2, 5, 3) start_indices=(1, 0, 0)');
    expect(prims(vmap((x: Array) => padP(x, jnp.asarray(0, 'float32'), [[1, 1, 0]]), { inAxes: 1, outAxes: 1 }), ones(2, 5))).toEqual(['pad']);
    expect(prims(vmap((x: Array, y: Array) => lax.concatenate.bind1([x, y], { dimension: 0 }), { inAxes: [1, 1], outAxes: 1 }), ones(2, 5), ones(2, 5))).toEqual(['concatenate']);
    expect(prims(vmap((x: Array, y: Array) => lax.concatenate.bind1([x, y], { dimension: 0 }), { inAxes: [1, null], outAxes: 1 }), ones(2, 5), ones(2))).toEqual([
      'broadcast_in_dim', 'concatenate',
    ]);
  });

  test('dynamic_slice with unbatched starts stays a dynamic_slice; batched starts make a clamping gather', () => {
    const ds = (x: Array, i: Array) => lax.dynamicSlice.bind1([x, i], { slice_sizes: [2], allow_negative_indices: false });
    expect(prims(vmap(ds, { inAxes: [1, null], outAxes: 1 }), ones(4, 3), int())).toEqual(['dynamic_slice']);
    const t = text(vmap(ds, { inAxes: [1, 0], outAxes: 1 }), ones(4, 3), int(3));
    expect(prims(vmap(ds, { inAxes: [1, 0], outAxes: 1 }), ones(4, 3), int(3))).toEqual(['broadcast_in_dim', 'concatenate', 'gather']);
    expect(t).toContain('operand_batching_dims=(1,), start_indices_batching_dims=(0,)');
    expect(t).toContain('mode=clip');
    const dus = (x: Array, u: Array, i: Array) => lax.dynamicUpdateSlice.bind1([x, u, i], { allow_negative_indices: false });
    expect(prims(vmap(dus, { inAxes: [0, 0, 0] }), ones(3, 4), ones(3, 2), int(3))).toEqual(['broadcast_in_dim', 'concatenate', 'scatter']);
  });

  test('gather: a batched operand is one more window, batched indices one more index batch axis, both a batching pair', () => {
    const take = (x: Array, i: Array) => gatherOf(rows, [1, 3], 'clip')(x, i);
    expect(prims(vmap(take, { inAxes: [2, null], outAxes: 2 }), ones(4, 3, 5), int(2, 1))).toEqual(['gather']);
    expect(text(vmap(take, { inAxes: [2, null], outAxes: 2 }), ones(4, 3, 5), int(2, 1))).toContain('offset_dims=(1, 2), collapsed_slice_dims=(0,)');
    expect(prims(vmap(take, { inAxes: [null, 1], outAxes: 1 }), ones(4, 3), int(2, 5, 1))).toEqual(['gather']);
    expect(prims(vmap(take, { inAxes: [1, 0], outAxes: 0 }), ones(4, 5, 3), int(5, 2, 1))).toEqual(['gather']);
    // indices batched along their last axis (the index vector's): that axis moves
    expect(prims(vmap(take, { inAxes: [null, -1] }), ones(4, 3), int(2, 1, 5))).toEqual(['transpose', 'gather']);
  });

  test('scatter: batched updates stay where they fit the dimension lists', () => {
    const add = (x: Array, i: Array, u: Array) => scatterOf(lax.scatterAdd, rowUpdates, 'fill')(x, i, u);
    expect(prims(vmap(add, { inAxes: [2, null, 2], outAxes: 2 }), ones(4, 3, 5), int(2, 1), ones(2, 3, 5))).toEqual(['scatter-add']);
    expect(prims(vmap(add, { inAxes: [0, 0, 0] }), ones(5, 4, 3), int(5, 2, 1), ones(5, 2, 3))).toEqual(['scatter-add']);
    expect(prims(vmap(add, { inAxes: [1, 1, 1], outAxes: 1 }), ones(4, 5, 3), int(2, 5, 1), ones(2, 5, 3))).toEqual(['scatter-add']);
    // unbatched updates are broadcast; an unbatched operand is broadcast (it is written per example)
    expect(prims(vmap(add, { inAxes: [null, 0, null] }), ones(4, 3), int(5, 2, 1), ones(2, 3))).toEqual(['broadcast_in_dim', 'broadcast_in_dim', 'scatter-add']);
  });
});

test('the per-example program is the same under jit', () => {
  const f = jit(vmap((x: Array, i: Array) => jnp.take(x, i, 0), { inAxes: [null, 0] }));
  expect(list(f(x34, jnp.array([[2], [0]])))).toEqual([[[8, 9, 10, 11]], [[0, 1, 2, 3]]]);
});
