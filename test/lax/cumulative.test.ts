// lax.cumsum, cumprod, cummax, cummin, cumlogsumexp: expected values computed with JAX 0.10.2 on
// CPU (`jax.lax.cum*`, float32 results written as the doubles they are), eager and jitted
// giving the same bits.
import { jit, lax, makeJaxpr, numpy as jnp, type Array } from '../../lib/index.js';

const bytes = (x: Array): Buffer => {
  const d = x.dataSync();
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
};

/** `f` eagerly and under jit: same shape, dtype and bits; returns the eager result as nested lists. */
function both(f: (x: Array) => Array, x: Array): unknown {
  const eager = f(x);
  const jitted = jit(f)(x);
  expect([jitted.shape, jitted.dtype]).toEqual([eager.shape, eager.dtype]);
  expect(bytes(jitted).equals(bytes(eager))).toBe(true);
  return eager.tolistSync();
}

const x = jnp.array([[1.5, -2.0, 0.25, 3.0], [0.1, 0.2, 0.3, 0.4]], { dtype: 'float32' });

describe('cumulative reductions, float32', () => {
  test('cumsum along each axis and reversed', () => {
    expect(both((a) => lax.cumsum(a, 1), x)).toEqual([[1.5, -0.5, -0.25, 2.75], [0.10000000149011612, 0.30000001192092896, 0.6000000238418579, 1.0]]);
    expect(both((a) => lax.cumsum(a, 1, true), x)).toEqual([[2.75, 1.25, 3.25, 3.0], [1.0, 0.8999999761581421, 0.7000000476837158, 0.4000000059604645]]);
    expect(both((a) => lax.cumsum(a, { axis: 0 }), x)).toEqual([[1.5, -2.0, 0.25, 3.0], [1.600000023841858, -1.7999999523162842, 0.550000011920929, 3.4000000953674316]]);
  });

  test('cumprod', () => {
    expect(both((a) => lax.cumprod(a, 1), x)).toEqual([[1.5, -3.0, -0.75, -2.25], [0.10000000149011612, 0.020000001415610313, 0.0060000005178153515, 0.002400000346824527]]);
    expect(both((a) => lax.cumprod(a, 1, true), x)).toEqual([[-2.25, -1.5, 0.75, 3.0], [0.002400000346824527, 0.024000002071261406, 0.12000000476837158, 0.4000000059604645]]);
  });

  test('cummax and cummin', () => {
    expect(both((a) => lax.cummax(a, 1), x)).toEqual([[1.5, 1.5, 1.5, 3.0], [0.10000000149011612, 0.20000000298023224, 0.30000001192092896, 0.4000000059604645]]);
    expect(both((a) => lax.cummin(a, 1, true), x)).toEqual([[-2.0, -2.0, 0.25, 3.0], [0.10000000149011612, 0.20000000298023224, 0.30000001192092896, 0.4000000059604645]]);
    expect(both((a) => lax.cummin(a, 0), x)).toEqual([[1.5, -2.0, 0.25, 3.0], [0.10000000149011612, -2.0, 0.25, 0.4000000059604645]]);
  });

  test('cumlogsumexp', () => {
    expect(both((a) => lax.cumlogsumexp(a, 1), x)).toEqual([[1.5, 1.5297504663467407, 1.775130271911621, 3.257580518722534], [0.10000000149011612, 0.8443966507911682, 1.3019428253173828, 1.6425354480743408]]);
    expect(both((a) => lax.cumlogsumexp(a, 1, true), x)).toEqual([[3.257580518722534, 3.0682806968688965, 3.061967611312866, 3.0], [1.6425354480743408, 1.4019428491592407, 1.0443966388702393, 0.4000000059604645]]);
    // -inf + -inf stays -inf, inf + inf stays inf (JAX's logaddexp special case)
    expect(both((a) => lax.cumlogsumexp(a), jnp.array([-Infinity, -Infinity, 0, Infinity, Infinity], { dtype: 'float32' }))).toEqual([-Infinity, -Infinity, 0, Infinity, Infinity]);
  });
});

describe('NaN propagation (as JAX)', () => {
  const n = jnp.array([1, NaN, 2, -1], { dtype: 'float32' });
  test('cumsum and cumlogsumexp', () => {
    expect(both((a) => lax.cumsum(a), n)).toEqual([1, NaN, NaN, NaN]);
    expect(both((a) => lax.cumsum(a, 0, true), n)).toEqual([NaN, NaN, 1, -1]);
    expect(both((a) => lax.cumlogsumexp(a), n)).toEqual([1, NaN, NaN, NaN]);
    expect(both((a) => lax.cumlogsumexp(a, 0, true), n)).toEqual([NaN, NaN, 2.0485873222351074, -1]);
  });

  // JAX (and jaxts) compile with xla_cpu_enable_fast_min_max=false, so max/min reductions propagate NaN.
  test('cummax and cummin', () => {
    expect(both((a) => lax.cummax(a), n)).toEqual([1, NaN, NaN, NaN]);
    expect(both((a) => lax.cummax(a, 0, true), n)).toEqual([NaN, NaN, 2, -1]);
    expect(both((a) => lax.cummin(a), n)).toEqual([1, NaN, NaN, NaN]);
  });
});

describe('other dtypes', () => {
  test('int32, with wrap-around in int8', () => {
    const i = jnp.array([[3, -1, 4], [1, -5, 9]], { dtype: 'int32' });
    expect(both((a) => lax.cumsum(a, 1), i)).toEqual([[3, 2, 6], [1, -4, 5]]);
    expect(both((a) => lax.cumprod(a, 1), i)).toEqual([[3, -3, -12], [1, -5, -45]]);
    expect(both((a) => lax.cummax(a, 1), i)).toEqual([[3, 3, 4], [1, 1, 9]]);
    expect(both((a) => lax.cummin(a, 1), i)).toEqual([[3, -1, -1], [1, -5, -5]]);
    expect(both((a) => lax.cumsum(a), jnp.array([100, 100, -56], { dtype: 'int8' }))).toEqual([100, -56, -112]);
  });

  test('complex64: sums, and max comparing (real, imag) lexicographically', () => {
    const c = (re: number[], im: number[]) => lax.complex.bind1([jnp.array(re, { dtype: 'float32' }), jnp.array(im, { dtype: 'float32' })]);
    const parts = (f: (a: Array) => Array, a: Array) => {
      both(f, a);
      return globalThis.Array.from(f(a).dataSync() as Float32Array);
    };
    expect(parts((a) => lax.cumsum(a), c([1, 2, 0], [1, -3, 0.5]))).toEqual([1, 1, 3, -2, 3, -1.5]);
    expect(parts((a) => lax.cummax(a), c([1, 1, 0, 2], [1, 3, 0.5, -1]))).toEqual([1, 1, 1, 3, 1, 3, 2, -1]);
    // the imaginary part wrapped into [-pi, pi] in float32, as JAX does (3 comes back as 3.0000002)
    expect(parts((a) => lax.cumlogsumexp(a), c([1, 2, -1], [3, -2, 0.5]))).toEqual([1, 3.000000238418579, 2.147840738296509, -2.309189796447754, 2.10650634765625, -2.294584274291992]);
  });

  test('keeps the weak type and prints as JAX does', () => {
    expect(lax.cumsum(jnp.asarray(2.5).reshape([1])).weakType).toBe(true);
    expect(makeJaxpr((a: Array) => lax.cumsum(a, 1, true))(x).toString()).toContain('b:f32[2,4] = cumsum[axis=1 reverse=True] a');
  });
});

describe('errors', () => {
  test('name the op, the dtype or the axis', () => {
    expect(() => lax.cumsum(jnp.array([true, false]))).toThrow('cumsum does not accept dtype bool. Accepted dtypes are subtypes of number.');
    expect(() => lax.cummax(x, -1)).toThrow('cummax: XLA operations do not allow negative axes, got axis=-1');
    expect(() => lax.cumprod(x, 2)).toThrow('cumprod: axis 2 is out of bounds for array of shape (2, 4)');
    expect(() => lax.cumlogsumexp(jnp.array([1, 2], { dtype: 'int32' }))).toThrow('cumlogsumexp: logaddexp requires floating-point or complex inputs; got int32');
  });
});
