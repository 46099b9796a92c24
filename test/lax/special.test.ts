// digamma, polygamma and zeta (JAX lowers them to chlo.digamma/polygamma/zeta), their derivatives,
// and bfloat16 → bool of subnormals. Expected values are JAX 0.10.2's (CPU), float32, printed by
// the Python expression quoted above each.
import { grad, jit, lax, numpy as jnp, vmap, type Array } from '../../lib/index.js';

const f32 = (v: number[]) => jnp.array(v, { dtype: 'float32' });
const digamma = (x: Array) => lax.digamma.bind1([x]);
const lgamma = (x: Array) => lax.lgamma.bind1([x]);
const polygamma = (m: Array, x: Array) => lax.polygamma.bind1([m, x]);
const zeta = (x: Array, q: Array) => lax.zeta.bind1([x, q]);

/** `f` eagerly and under jit: the same bits; returns the eager values. */
function both(f: (...xs: Array[]) => Array, ...args: Array[]): number[] {
  const [eager, jitted] = [f(...args), jit(f)(...args)];
  expect(jitted.dtype).toBe(eager.dtype);
  expect([...jitted.dataSync()]).toEqual([...eager.dataSync()]);
  return [...(eager.dataSync() as Float32Array)];
}

describe('values at the edges, as JAX', () => {
  test('digamma: NaN at its poles (0, -0, negative integers, -inf) and at a flushed subnormal', () => {
    // lax.digamma([nan, inf, -inf, 0., -0., 1., -1., 0.5, -0.5, 2., -3., 10., tiny, 1.4e-45, max, -max])
    const x = f32([NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -0.5, 2, -3, 10, 1.1754944e-38, 1.4e-45, 3.4028235e38, -3.4028235e38]);
    expect(both(digamma, x)).toEqual([
      NaN, Infinity, NaN, NaN, NaN, -0.5772153735160828, NaN, -1.9635100364685059,
      0.03648994490504265, 0.42278462648391724, NaN, 2.2517526149749756, -8.507059173023462e37, NaN, 88.72283935546875, NaN,
    ]);
    // float16 and bfloat16 too: lax.digamma(jnp.array([0., -2., 0.5], dtype))
    expect([...digamma(jnp.array([0, -2, 0.5], { dtype: 'float16' })).dataSync()].map(Number)).toEqual([NaN, NaN, -1.9638671875]);
    expect([...digamma(jnp.array([0, -2, 0.5], { dtype: 'bfloat16' })).dataSync()].map(Number)).toEqual([NaN, NaN, -1.9609375]);
  });

  test('polygamma(m, x) and zeta(x, q)', () => {
    // lax.polygamma([0, 1, 2, 0.5, -1, 1, 4], [-1.5, -2, 0, 2, 2, 1e-3, 10])
    expect(both(polygamma, f32([0, 1, 2, 0.5, -1, 1, 4]), f32([-1.5, -2, 0, 2, 2, 1e-3, 10]))).toEqual([
      0.7031567096710205, Infinity, NaN, NaN, NaN, 1000001.5, -0.0007299318094737828,
    ]);
    // lax.zeta([1, 0.5, 2, 2, 2, 3], [1, 1, 0, -1, -1.5, 1e3])
    expect(both(zeta, f32([1, 0.5, 2, 2, 2, 3]), f32([1, 1, 0, -1, -1.5, 1e3]))).toEqual([
      Infinity, NaN, Infinity, Infinity, 9.379246711730957, 5.005002776670153e-7,
    ]);
    // they broadcast like every lax binary op: polygamma(1., [0.5, 2.])
    expect([...polygamma(f32([1]).reshape([]), f32([0.5, 2])).dataSync()]).toEqual([4.934802055358887, 0.6449340581893921]);
  });

  test('errors: floating operands only, as JAX', () => {
    expect(() => polygamma(jnp.array(1, { dtype: 'int32' }), f32([2]).reshape([]))).toThrow('polygamma does not accept dtype int32');
    expect(() => zeta(f32([2]), jnp.array([1], { dtype: 'float16' }))).toThrow('lax.zeta requires arguments to have the same dtypes, got float32, float16.');
  });
});

describe('derivatives', () => {
  const pts = () => f32([0.5, 2, -1.5]);
  test("digamma' = polygamma(1, x), lgamma' = digamma, and polygamma in x is polygamma(m + 1, x)", () => {
    // jax.vmap(jax.grad(lax.digamma))([0.5, 2., -1.5]); and of lax.lgamma, twice; and of polygamma(1., x)
    expect([...(vmap(grad(digamma))(pts()) as Array).dataSync()]).toEqual([4.934802055358887, 0.6449340581893921, 9.379246711730957]);
    expect([...(vmap(grad(lgamma))(pts()) as Array).dataSync()]).toEqual([-1.9635100364685059, 0.42278462648391724, 0.7031567096710205]);
    expect([...(vmap(grad(grad(lgamma)))(pts()) as Array).dataSync()]).toEqual([4.934802055358887, 0.6449340581893921, 9.379246711730957]);
    const one = f32([1]).reshape([]);
    expect([...(vmap(grad((x: Array) => polygamma(one, x)))(pts()) as Array).dataSync()]).toEqual([-16.828798294067383, -0.40411391854286194, -0.23620447516441345]);
  });

  test('polygamma is not differentiable in m, zeta not at all (as JAX)', () => {
    const two = f32([2]).reshape([]);
    expect(() => grad((m: Array) => polygamma(m, two))(f32([1]).reshape([]))).toThrow('polygamma gradient with respect to m is not supported');
    expect(() => grad((q: Array) => zeta(two, q))(f32([1]).reshape([]))).toThrow(/zeta/);
  });
});

test('convert_element_type bfloat16 → bool: x != 0 on the value, so subnormals are true (as JAX)', () => {
  // lax.convert_element_type(lax.bitcast_convert_type(jnp.array([1, 0, 0x8000, 0x7fc0, 0x8001], 'uint16'), 'bfloat16'), bool)
  const bits = jnp.array([1, 0, 0x8000, 0x7fc0, 0x8001], { dtype: 'uint16' });
  const toBool = (b: Array) => lax.convertElementType.bind1([lax.bitcastConvertType.bind1([b], { new_dtype: 'bfloat16' })], { new_dtype: 'bool', weak_type: false });
  expect(both(toBool, bits).map(Boolean)).toEqual([true, false, false, true, true]);
});
