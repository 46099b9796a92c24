// vmap of the windowed primitives (lib/lax/windowed.ts: reduce_window_{sum,max,min}, the generic
// reduce_window, select_and_gather_add, select_and_scatter_add, conv_general_dilated with feature
// and batch groups and other layouts, copy): vmap(op) over several in/out axes equals the op
// applied to each example with the results stacked, exactly (small-integer data keep every sum
// exact); then a conv and max pooling under vmap, vmap of their gradients, and the jaxprs.
import { grad, lax, makeJaxpr, numpy as jnp, vmap, type Array } from '../../lib/index.js';
import { Primitive } from '../../lib/core/primitive.js';
import * as windowedModule from '../../lib/lax/windowed.js';
import { compareWithStacked, primitivesOf, type ArgSpec, type OutFn, describeFamilies, type Family } from './helpers.js';

const ops = (entries: Record<string, (...xs: Array[]) => Array>): OutFn => (...xs) => Object.fromEntries(Object.entries(entries).map(([k, f]) => [k, f(...xs)]));
/** Small integers as floats (with ties for max/min): sums and products in any order are exact. */
const smallInt = (k: number) => ((k * 7919) % 7) - 3;
const f32 = (shape: number[], gen: ArgSpec['gen'] = smallInt): ArgSpec => ({ shape, dtype: 'float32', gen });


const ones2 = [1, 1];
const window = (dims: number[], strides = ones2, padding: [number, number][] = [[0, 0], [0, 0]], baseDilation = ones2, windowDilation = ones2) => ({
  base_dilation: baseDilation, padding, window_dilation: windowDilation, window_dimensions: dims, window_strides: strides,
});
const selectParams = (select: 'ge' | 'le', w: ReturnType<typeof window>) => ({
  base_dilation: w.base_dilation, padding: w.padding, select_prim: select, window_dilation: w.window_dilation, window_dimensions: w.window_dimensions, window_strides: w.window_strides,
});

const convOf = (strides: number[], padding: lax.PaddingLike, options: lax.ConvOptions = {}) => (l: Array, r: Array) => lax.convGeneralDilated(l, r, strides, padding, options);

const FAMILIES: Family[] = [
  {
    name: 'reduce_window, select_and_gather_add, select_and_scatter_add, copy',
    fn: ops({
      sum: (x) => lax.reduceWindowSumP.bind1([x], window([2, 2])),
      sum_dilated: (x) => lax.reduceWindowSumP.bind1([x], window([2, 2], [2, 1], [[1, 0], [0, 1]], [1, 2], [2, 1])),
      max: (x) => lax.reduceWindowMaxP.bind1([x], window([2, 3], ones2, [[0, 1], [1, 1]])),
      min: (x) => lax.reduceWindowMinP.bind1([x], window([3, 1], [1, 2])),
      generic: (x, _t, _s, init) => lax.reduceWindow(x, init, 'mul', [2, 2], [1, 2], 'SAME'),
      gather_add: (x, t) => lax.selectAndGatherAddP.bind1([t, x], selectParams('ge', window([2, 2]))),
      gather_add_le: (x, t) => lax.selectAndGatherAddP.bind1([t, x], selectParams('le', window([2, 2], [1, 2], [[1, 0], [0, 1]], ones2, [1, 2]))),
      scatter_add: (x, _t, s) => lax.selectAndScatterAddP.bind1([s, x], { padding: [[0, 0], [0, 0]], select_prim: 'ge', window_dimensions: [2, 2], window_strides: [1, 1] }),
      scatter_add_padded: (x, _t, s) => lax.selectAndScatterAddP.bind1([s, x], { padding: [[1, 0], [1, 1]], select_prim: 'le', window_dimensions: [2, 2], window_strides: [2, 2] }),
      copy: (x) => lax.copy(x),
    }),
    args: [f32([3, 4]), f32([3, 4], (k) => k % 5), f32([2, 3], (k) => (k % 4) + 1), f32([], () => 2)],
    axes: [[[0, 0, 0, null], 0], [[1, null, 0, null], 1], [[null, 2, 1, null], -1], [[-1, 0, 2, null], 2]],
  },
  {
    name: 'conv_general_dilated',
    fn: ops({
      conv: convOf([1, 1], 'VALID'),
      strided_dilated: convOf([2, 1], [[1, 0], [0, 1]], { lhsDilation: [1, 2], rhsDilation: [2, 1] }),
      feature_groups: (l, _r, r1) => convOf([1, 1], 'SAME', { featureGroupCount: 2 })(l, r1),
      batch_groups: (l, r) => convOf([1, 1], 'VALID', { batchGroupCount: 2 })(l, r),
      nhwc: (l, r) => convOf([1, 1], 'VALID', { dimensionNumbers: ['NHWC', 'HWIO', 'NCHW'] })(lax.transpose.bind1([l], { permutation: [0, 2, 3, 1] }), lax.transpose.bind1([r], { permutation: [2, 3, 1, 0] })),
      preferred: (l, r) => convOf([1, 1], 'VALID', { preferredElementType: 'float32', precision: 'HIGHEST' })(l, r),
    }),
    args: [f32([2, 2, 3, 3]), f32([2, 2, 2, 2], (k) => smallInt(k + 5)), f32([2, 1, 2, 2], (k) => smallInt(k + 9))],
    axes: [[[0, null, null], 0], [[null, 0, 0], 0], [[0, 0, 0], 0], [[2, 1, -1], 1], [[-1, 4, 2], -1]],
  },
];

describeFamilies(FAMILIES);

describe('coverage', () => {
  const exported = Object.values(windowedModule).filter((v): v is Primitive => v instanceof Primitive);

  test('every windowed primitive has a batching rule and is exercised by a family above', () => {
    expect(exported.filter((prim) => !prim.rules.batch).map((prim) => prim.name)).toEqual([]);
    const covered = new Set(FAMILIES.flatMap((f) => primitivesOf(f.fn, f.args)));
    expect(exported.map((prim) => prim.name).filter((name) => !covered.has(name))).toEqual([]);
  });

  test("a batched reduce_window start value is JAX's NotImplementedError", () => {
    const f = (x: Array, init: Array) => lax.reduceWindow(x, init, 'add', [2], [1]);
    expect(() => vmap(f)(jnp.ones([2, 3], { dtype: 'float32' }), jnp.array([1, 2], { dtype: 'float32' }))).toThrow('reduce_window batching is not implemented for initial values');
  });
});

const list = (a: Array) => a.tolistSync() as unknown[];

describe('conv and pooling under vmap (values by hand)', () => {
  // one 1x3x3 image per example, NCHW with a batch of one inside
  const images = jnp.arange(18, { dtype: 'float32' }).reshape([2, 1, 1, 3, 3]);
  const kernel = jnp.ones([1, 1, 2, 2], { dtype: 'float32' });

  test('lax.conv of batched images with one kernel, and of one image with batched kernels', () => {
    const conv = (l: Array, r: Array) => lax.conv(l, r, [1, 1], 'VALID');
    // 2x2 window sums of [[0,1,2],[3,4,5],[6,7,8]] and of the same plus 9
    expect(list(vmap(conv, { inAxes: [0, null] })(images, kernel))).toEqual([[[[[8, 12], [20, 24]]]], [[[[44, 48], [56, 60]]]]]);
    const kernels = jnp.stack([kernel, kernel.mul(-1)]);
    expect(list(vmap(conv, { inAxes: [null, 0] })(images.slice(0), kernels))).toEqual([[[[[8, 12], [20, 24]]]], [[[[-8, -12], [-20, -24]]]]]);
  });

  test('an empty batch gives an empty result of the batched shape', () => {
    const conv = (l: Array, r: Array) => lax.conv(l, r, [1, 1], 'VALID');
    expect(vmap(conv)(jnp.zeros([0, 1, 1, 3, 3], { dtype: 'float32' }), jnp.zeros([0, 2, 1, 2, 2], { dtype: 'float32' })).shape).toEqual([0, 1, 2, 2, 2]);
  });

  test('2x2 max pooling per example with lax.reduceWindow', () => {
    const pool = (x: Array) => lax.reduceWindow(x, -Infinity, 'max', [2, 2], [1, 1]);
    expect(list(vmap(pool, { inAxes: 2, outAxes: 0 })(images.reshape([2, 3, 3]).transpose([1, 2, 0])))).toEqual([[[4, 5], [7, 8]], [[13, 14], [16, 17]]]);
  });
});

describe('vmap(grad) through conv and pooling equals stacked per-example gradients', () => {
  const args: ArgSpec[] = [f32([1, 2, 3, 3], (k) => smallInt(k) / 4), f32([2, 2, 2, 2], (k) => smallInt(k + 1) / 4)];
  const grads: OutFn = (l, r) => {
    const loss = (ll: Array, rr: Array) => {
      const y = lax.conv(ll, rr, [1, 1], 'SAME');
      return jnp.sum(lax.reduceWindow(jnp.tanh(y), -Infinity, 'max', [1, 1, 2, 2], [1, 1, 1, 1]).square());
    };
    const [gl, gr] = grad(loss, { argnums: [0, 1] })(l, r) as Array[];
    return { gl: gl!, gr: gr! };
  };
  test.each([[[0, 0], 0], [[2, 1], -1]] as [(number | null)[], number][])('inAxes %j, outAxes %j', (inAxes, outAxes) => {
    expect(compareWithStacked(grads, args, inAxes, outAxes, { rtol: 1e-5 }).mismatches).toEqual([]);
  });
});

describe('windowed batch rules move batch axes only where needed', () => {
  const ones = (...shape: number[]) => jnp.ones(shape, { dtype: 'float32' });
  const prims = (fn: (...xs: Array[]) => unknown, ...args: Array[]) => makeJaxpr(fn as (...xs: Array[]) => Array)(...args).jaxpr.eqns.map((e) => e.primitive.name);
  const text = (fn: (...xs: Array[]) => unknown, ...args: Array[]) => String(makeJaxpr(fn as (...xs: Array[]) => Array)(...args));
  const conv = (l: Array, r: Array) => lax.conv(l, r, [1, 1], 'VALID');

  test('reduce_window keeps the batch axis, with a window of one there', () => {
    const pool = (x: Array) => lax.reduceWindow(x, -Infinity, 'max', [2, 2], [2, 2]);
    expect(prims(vmap(pool, { inAxes: 1, outAxes: 1 }), ones(4, 3, 4))).toEqual(['reduce_window_max']);
    expect(text(vmap(pool, { inAxes: 1, outAxes: 1 }), ones(4, 3, 4))).toContain('window_dimensions=(2, 1, 2) window_strides=(2, 1, 2)');
  });

  test('conv: an NCHW lhs batched at 0 folds into the batch dimension with reshapes only', () => {
    expect(prims(vmap(conv, { inAxes: [0, null] }), ones(5, 2, 1, 4, 4), ones(3, 1, 2, 2))).toEqual(['reshape', 'conv_general_dilated', 'reshape']);
    // a kernel batched at 0 folds into the output features (O is its dimension 0)
    expect(prims(vmap(conv, { inAxes: [null, 0], outAxes: 1 }), ones(2, 1, 4, 4), ones(5, 3, 1, 2, 2))).toEqual(['reshape', 'conv_general_dilated', 'reshape']);
    // both batched: the features, with feature_group_count times the batch
    const both = text(vmap(conv, { inAxes: [1, 0], outAxes: 1 }), ones(2, 5, 1, 4, 4), ones(5, 3, 1, 2, 2));
    expect(both).toContain('feature_group_count=5');
    expect(prims(vmap(conv, { inAxes: [1, 0], outAxes: 1 }), ones(2, 5, 1, 4, 4), ones(5, 3, 1, 2, 2))).toEqual(['reshape', 'reshape', 'conv_general_dilated', 'reshape']);
  });
});
