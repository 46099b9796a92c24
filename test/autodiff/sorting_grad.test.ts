// Gradients of sort, top_k and the cumulative reductions, and of jnp.sort, jnp.cumsum and
// jnp.median. checkGrads compares with central finite differences in float64; exact values are
// Python JAX 0.10's (jax.grad of the same function) or hand computations.
import { config, grad, jit, jvp, lax, numpy as jnp, type Array } from '../../lib/index.js';
import { checkGrads } from './check_grads.js';

const x64 = <T>(fn: () => T): T => config.with({ enableX64: true }, fn);
const f64 = (values: unknown) => jnp.array(values as number[], { dtype: 'float64' });
const f32 = (values: unknown) => jnp.array(values as number[], { dtype: 'float32' });
const list = (x: unknown) => (x as Array).tolistSync();

// distinct values, away from 0 (cumprod divides nothing, but finite differences like moderate values)
const matrix = () => f64([[0.3, -1.2, 2.5, 0.7, 0.9], [-0.1, 1.9, 0.2, 0.8, -2.0], [1.1, 0.4, -0.7, 0.5, 1.3]]);

function expectClose(actual: unknown, expected: number[], digits = 6): void {
  const values = list(actual) as number[];
  expect(values.length).toBe(expected.length);
  values.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, digits));
}

describe('checkGrads over sort, top_k and the cumulative reductions (float64, fwd and rev, order 2)', () => {
  test('sort along either axis, with values carried along, and top_k', () =>
    x64(() => {
      const a = matrix();
      checkGrads((x: Array) => jnp.sort(x, 1), [a], { order: 2 });
      checkGrads((x: Array) => lax.sort(x, { dimension: 0 }).mul(x), [a], { order: 2 });
      checkGrads((k: Array, v: Array) => lax.sort([k, v], { numKeys: 1 }), [a, a.mul(3)], { order: 2 });
      checkGrads((x: Array) => lax.topK(x, 2)[0], [a], { order: 2 });
      checkGrads((x: Array) => lax.topK(x, 2, { axis: 0 })[0], [a], { order: 2 });
    }));

  // all five in one function: their scans share shapes, so the many small programs compile once
  test('cumsum, cumprod, cummax, cummin, cumlogsumexp, forward and reversed', () =>
    x64(() => {
      const ops = [lax.cumsum, lax.cumprod, lax.cummax, lax.cummin, lax.cumlogsumexp];
      checkGrads((x: Array) => ops.map((op) => op(x, 1)), [matrix()], { order: 2 });
      checkGrads((x: Array) => ops.map((op) => op(x, 1, true)), [matrix()], { order: 1 });
    }));
});

describe('exact gradients (values from JAX)', () => {
  test('sort permutes the cotangent back; ties keep their order (stable sort)', () =>
    x64(() => {
      const weights = (n: number) => jnp.arange(1, n + 1, { dtype: 'float64' });
      expect(list(grad((x: Array) => jnp.sort(x).mul(weights(5)).sum())(f64([3, 1, 2, 5, 4])))).toEqual([3, 1, 2, 5, 4]);
      expect(list(grad((x: Array) => jnp.sort(x).mul(weights(4)).sum())(f64([2, 1, 2, 0])))).toEqual([3, 2, 4, 1]);
      expect(list(grad((x: Array) => lax.topK(x, 2)[0].mul(f64([1, 10])).sum())(f64([3, 1, 5, 4])))).toEqual([0, 0, 1, 10]);
      const [out, t] = jvp((x: Array) => jnp.sort(x), [f64([3, 1, 2])], [f64([30, 10, 20])]);
      expect([list(out), list(t)]).toEqual([[1, 2, 3], [10, 20, 30]]);
    }));

  test('jnp.median: the middle element, or the two middle ones halved', () =>
    x64(() => {
      expect(list(grad((x: Array) => jnp.median(x))(f64([3, 1, 2, 5])))).toEqual([0.5, 0, 0.5, 0]);
      expect(list(grad((x: Array) => jnp.median(x))(f64([3, 1, 2, 5, 4])))).toEqual([1, 0, 0, 0, 0]);
    }));

  test('cumulative reductions: zeros in cumprod, ties in cummax/cummin split as the JAX scan splits them', () =>
    x64(() => {
      // sum(cumsum(x) * w) has gradient reverse-cumsum(w)
      expect(list(grad((x: Array) => jnp.cumsum(x).mul(f64([1, 2, 3, 4])).sum())(f64([5, 6, 7, 8])))).toEqual([10, 9, 7, 4]);
      expect(list(grad((x: Array) => lax.cumsum(x, 0, true).mul(f64([1, 2, 3, 4])).sum())(f64([5, 6, 7, 8])))).toEqual([1, 3, 6, 10]);
      expect(list(grad((x: Array) => lax.cumprod(x).sum())(f64([2, 0, 3, 4])))).toEqual([1, 32, 0, 0]);
      expect(list(grad((x: Array) => lax.cummax(x).sum())(f64([1, 3, 2, 3])))).toEqual([1, 2.5, 0, 0.5]);
      expect(list(grad((x: Array) => lax.cummin(x, 0, true).sum())(f64([1, 3, 1, 3])))).toEqual([0.5, 0, 2.5, 1]);
      expectClose(grad((x: Array) => lax.cumlogsumexp(x).mul(f64([1, 2, 3, 4])).sum())(f64([0.5, -1, 2, 0.1])), [3.7884574013907413, 0.6221889465393906, 5.168769870627326, 0.42058378144254316], 12);
    }));

  test('cumlogsumexp at -inf: zero weight in the later sums, no NaN', () =>
    x64(() => {
      expectClose(grad((x: Array) => lax.cumlogsumexp(x).sum())(f64([-Infinity, 0, 0, 1])), [1, 1.71194156, 0.71194156, 0.57611688], 7);
    }));

  test('float32, eagerly and under jit in both orders, with the same bits', () => {
    const f = (x: Array) => jnp.sort(x).mul(jnp.cumsum(x)).sum().add(lax.cumprod(x).sum()).add(lax.topK(x, 2)[0].sum()).add(jnp.median(x));
    const x = f32([0.5, -1.5, 2, 0.25, 1]);
    const eager = grad(f)(x);
    expect(list(jit(grad(f))(x))).toEqual(list(eager));
    expect(list(grad(jit(f))(x))).toEqual(list(eager));
    expectClose(eager, JAX_F32_GRAD, 5);
  });
});

// jax.grad(f)(x) in float32 for the composite f of the last test, from JAX 0.10
const JAX_F32_GRAD = [-0.75, 6.25, 5.625, -1.0, 3.875];
