// Gradients of the slicing primitives (slice, pad, concatenate, dynamic_slice,
// dynamic_update_slice, gather and the scatter family) and of the numpy functions built on them.
// checkGrads compares with central finite differences in float64; exact values are Python JAX
// 0.10's (jax.grad of the same function) or hand computations.
import { config, grad, jit, jvp, lax, linearTranspose, numpy as jnp, type Array } from '../../lib/index.js';
import { checkGrads } from './check_grads.js';

const x64 = <T>(fn: () => T): T => config.with({ enableX64: true }, fn);
const f64 = (values: unknown) => jnp.array(values as number[], { dtype: 'float64' });
const f32 = (values: unknown) => jnp.array(values as number[], { dtype: 'float32' });
const list = (x: unknown) => (x as Array).tolistSync();
const lists = (xs: unknown) => (xs as Array[]).map(list);

// a 3x4 matrix with distinct entries, away from 0
const matrix = () => f64([[0.3, -1.2, 2.5, 0.7], [-0.1, 1.9, 0.2, 0.8], [1.1, 0.4, -0.7, 0.5]]);

describe('checkGrads over the slicing primitives (float64, fwd and rev, order 2)', () => {
  test('slice, strided slice, pad (operand and padding value), concatenate', () =>
    x64(() => {
      const a = matrix();
      checkGrads((x: Array) => lax.slice.bind1([x], { start_indices: [1, 0], limit_indices: [3, 3], strides: null }), [a], { order: 2 });
      checkGrads((x: Array) => lax.sliceInDim(x, 0, null, 2, 1), [a], { order: 2 });
      checkGrads((x: Array) => x.slice([1], [null, null, 2]).mul(x.slice([1], [1, null, 2])), [a], { order: 2 });
      // negative low padding crops; interior padding spreads
      checkGrads((x: Array, v: Array) => lax.pad.bind1([x, v], { padding_config: [[1, -1, 1], [0, 2, 0]] }), [a, f64(0.5)], { order: 2 });
      checkGrads((x: Array, y: Array) => jnp.concatenate([x, y.mul(y), x], 1), [a, a.mul(2)], { order: 2 });
    }));

  test('dynamic_slice and dynamic_update_slice (starts clamped as XLA does)', () =>
    x64(() => {
      const a = matrix();
      checkGrads((x: Array) => lax.dynamicSliceInDim(x, jnp.array(1), 2, 1), [a], { order: 2 });
      checkGrads((x: Array) => lax.dynamicSliceInDim(x, jnp.array(5), 2, 0), [a], { order: 2 }); // clamped to 1
      checkGrads((x: Array, u: Array) => lax.dynamicUpdateSliceInDim(x, u.mul(u), jnp.array(1), 0), [a, f64([[5, 6, 7, 8]])], { order: 2 });
    }));

  test('gather: jnp.take, integer-array indexing (duplicate indices accumulate)', () =>
    x64(() => {
      const a = matrix();
      const idx = jnp.array([2, 0, 2]);
      checkGrads((x: Array) => jnp.take(x, idx, 1), [a], { order: 2 });
      checkGrads((x: Array) => x.slice(idx).mul(x.slice(jnp.array([0, 1, 1]))), [a], { order: 2 });
      checkGrads((x: Array) => x.slice(jnp.array([1, 2]), jnp.array([3, 0])), [a], { order: 2 });
      checkGrads((x: Array) => jnp.take(x, jnp.array([-1, 7, 0]), 1, { mode: 'fill', fillValue: 0 }), [a], { order: 1 });
    }));

  test('scatter-add, scatter (set), scatter-mul, scatter-min, scatter-max', () =>
    x64(() => {
      const a = matrix();
      const idx = jnp.array([2, 0, 2]);
      const v = f64([[0.6, -0.3, 1.4, 0.9], [1.7, -2.2, 0.35, 0.45], [-0.8, 0.25, 1.2, -1.9]]);
      checkGrads((x: Array, u: Array) => x.at(idx).add(u.mul(u)), [a, v], { order: 2 });
      checkGrads((x: Array, u: Array) => x.at(jnp.array([2, 0])).set(u), [a, v.slice([0, 2])], { order: 2 });
      checkGrads((x: Array, u: Array) => x.at(idx).set(u), [a, v], { order: 2 }); // duplicates: one update wins
      checkGrads((x: Array, u: Array) => x.at(jnp.array([2, 0])).mul(u, { uniqueIndices: true }), [a, v.slice([0, 2])], { order: 2 });
      checkGrads((x: Array) => x.at(idx).mul(v), [a], { order: 2 });
      checkGrads((x: Array, u: Array) => x.at(idx).max(u), [a, v], { order: 2 });
      checkGrads((x: Array, u: Array) => x.at(idx).min(u), [a, v], { order: 2 });
    }));
});

describe('exact gradients', () => {
  test('slices and pads', () =>
    x64(() => {
      const a = matrix();
      // d/dx sum(x[1:, ::2]^2) = 2x there, 0 elsewhere
      expect(list(grad((x: Array) => x.slice([1], [null, null, 2]).square().sum())(a))).toEqual([[0, 0, 0, 0], [-0.2, 0, 0.4, 0], [2.2, 0, -1.4, 0]]);
      // JAX: jnp.pad(arange(3.), ((1, 2),), constant_values=c): d/dc counts the 3 padded positions
      expect(list(grad((x: Array) => jnp.pad(x, [[1, 2]], { constantValues: 2.5 }).sum())(f64([0, 1, 2])))).toEqual([1, 1, 1]);
      const [gx, gc] = grad((x: Array, c: Array) => lax.pad.bind1([x, c], { padding_config: [[1, 2, 0]] }).sum(), { argnums: [0, 1] })(f64([0, 1, 2]), f64(2.5));
      expect([list(gx), list(gc)]).toEqual([[1, 1, 1], 3]);
      expect(list(grad((x: Array) => jnp.roll(x, 1).mul(f64([1, 2, 3, 4])).sum())(f64([0, 1, 2, 3])))).toEqual([2, 3, 4, 1]); // JAX
      expect(list(grad((x: Array) => jnp.roll(x, jnp.array(1)).mul(f64([1, 2, 3, 4])).sum())(f64([0, 1, 2, 3])))).toEqual([2, 3, 4, 1]);
      const [g1, g2] = grad((x: Array, y: Array) => jnp.concatenate([x, y]).mul(f64([1, 2, 3, 4, 5])).sum(), { argnums: [0, 1] })(f64([0, 0]), f64([0, 0, 0]));
      expect([list(g1), list(g2)]).toEqual([[1, 2], [3, 4, 5]]);
    }));

  test('gathers and scatters (values from JAX)', () =>
    x64(() => {
      expect(list(grad((x: Array) => jnp.take(x, jnp.array([2, 0, 2])).sum())(f64([0, 1, 2])))).toEqual([1, 0, 2]);
      const [gx, gv] = grad((x: Array, v: Array) => x.at(1).add(v).mul(f64([3, 4, 5])).sum(), { argnums: [0, 1] })(f64([1, 2, 3]), 0.5);
      expect([list(gx), list(gv)]).toEqual([[3, 4, 5], 4]);
      // duplicates under set: one update wins, and only it gets a gradient (here the last, as XLA on CPU writes)
      expect(lists(grad((x: Array, v: Array) => x.at(jnp.array([0, 0])).set(v).mul(f64([3, 4, 5])).sum(), { argnums: [0, 1] })(f64([1, 2, 3]), f64([1, 0.5])))).toEqual([
        [0, 4, 5],
        [0, 3],
      ]);
      // a tie between the operand and an update shares the gradient
      expect(lists(grad((x: Array, v: Array) => x.at(jnp.array([0, 0])).max(v).sum(), { argnums: [0, 1] })(f64([1, 2, 3]), f64([1, 0.5])))).toEqual([
        [0.5, 1, 1],
        [0.5, 0],
      ]);
      const [mx, mv] = lists(grad((x: Array, v: Array) => x.at(jnp.array([0, 0, 1])).min(v).sum(), { argnums: [0, 1] })(f64([1, 2, 3]), f64([1, 1, 0.5]))) as number[][];
      [[1 / 3, 0, 1], [1 / 3, 1 / 3, 1]].forEach((e, i) => e.forEach((v, k) => expect([mx, mv][i]![k]).toBeCloseTo(v, 12)));
    }));

  test('float32, eagerly and under jit in both orders, with the same bits', () => {
    const f = (x: Array, i: Array) => {
      const rows = x.slice(jnp.array([2, 0, 2]));
      const window = lax.dynamicSliceInDim(x, i, 2, 1);
      const updated = x.at(jnp.array([1, 1])).add(rows.slice([0, 2]).mul(2));
      return jnp.pad(window, [[0, 1], [1, 0]]).sum().add(updated.square().sum()).add(jnp.concatenate([rows, x]).max());
    };
    const x = f32([[0.3, -1.2, 2.5, 0.7], [-0.1, 1.9, 0.2, 0.8], [1.1, 0.4, -0.7, 0.5]]);
    const i = jnp.array(1);
    const eager = grad(f)(x, i);
    expect(eager.dtype).toBe('float32');
    expect(list(jit(grad(f))(x, i))).toEqual(list(eager));
    expect(list(grad(jit(f))(x, i))).toEqual(list(eager));
    // JAX 0.10, float32: jax.grad(f)(x, 1) (the max, 2.5, appears 3 times and shares its gradient)
    const expected = [
      [11.400001525878906, -0.20000028610229492, 22.200000762939453, 14.19999885559082],
      [5.40000057220459, 1.5999999046325684, 8.600000381469727, 6.399999618530273],
      [13.000000953674316, 2.999999761581421, 14.80000114440918, 13.799999237060547],
    ];
    (list(eager) as number[][]).forEach((row, r) => row.forEach((v, k) => expect(v).toBeCloseTo(expected[r]![k]!, 5)));
  });

  test('jvp of integer-array indexing; indices take no tangent', () =>
    x64(() => {
      const [out, t] = jvp((x: Array) => x.slice(jnp.array([1, 1, 0])), [f64([5, 6])], [f64([1, 10])]);
      expect([list(out), list(t)]).toEqual([[6, 6, 5], [10, 10, 1]]);
    }));
});

describe('errors, as JAX', () => {
  test('scatter-mul along its updates needs unique indices', () =>
    x64(() => {
      expect(() => grad((v: Array) => f64([1, 2, 3]).at(jnp.array([0, 2])).mul(v).sum())(f64([2, 3]))).toThrow(
        'scatter_mul gradients are only implemented if `unique_indices=True`',
      );
      expect(list(grad((v: Array) => f64([1, 2, 3]).at(jnp.array([0, 2])).mul(v, { uniqueIndices: true }).sum())(f64([2, 3])))).toEqual([1, 3]);
    }));

  test('transposing a scatter (set) needs unique indices', () =>
    x64(() => {
      const zeros = f64([0, 0]);
      const f = (x: Array) => x.at(jnp.array([0, 0])).set(zeros);
      expect(() => linearTranspose(f, f64([1, 2, 3]))(f64([1, 1, 1]))).toThrow('scatter transpose is only implemented where unique_indices=True');
      const g = (x: Array) => x.at(jnp.array([0, 2])).set(zeros, { uniqueIndices: true });
      expect(list((linearTranspose(g, f64([1, 2, 3]))(f64([4, 5, 6])) as Array[])[0])).toEqual([0, 5, 0]);
    }));
});
