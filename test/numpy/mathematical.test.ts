// jax.numpy's extra elementwise math, creation extras, contractions and statistics. Expected
// values marked "JAX docs" are the outputs printed in JAX 0.11's docstrings (doctests, so
// JAX's own results); the rest are hand-computed.
import { config, jit, lax, numpy as jnp, type Array } from '../../lib/index.js';

const list = (x: Array) => x.tolistSync();
const flat = (x: Array): number[] => [...(x.dataSync() as Float32Array)];
const fr = Math.fround;
const f32 = (v: number[] | number[][]) => jnp.array(v, { dtype: 'float32' });
/** Complex64 from [re, im] pairs. */
const c64 = (...pairs: [number, number][]) =>
  lax.complex.bind1([f32(pairs.map((p) => p[0])), f32(pairs.map((p) => p[1]))]);
const expectClose = (got: number[], expected: number[], digits: number) => {
  expect(got.length).toBe(expected.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, digits));
};
/**
 * Eagerly, jaxts runs composite functions op by op; under jit XLA fuses them (and may contract
 * a*b+c into an FMA), so the last bit can differ. (JAX's jnp functions are themselves jitted.)
 */
function expectJitMatchesEager(compiled: Array[], eager: Array[]): void {
  compiled.forEach((c, i) => {
    expect([c.dtype, c.shape]).toEqual([eager[i]!.dtype, eager[i]!.shape]);
    const [got, want] = [[...c.dataSync()].map(Number), [...eager[i]!.dataSync()].map(Number)];
    got.forEach((g, k) => (Number.isNaN(want[k]!) ? expect(g).toBeNaN() : expect(Math.abs(g - want[k]!)).toBeLessThanOrEqual(2.4e-7 * Math.abs(want[k]!))));
  });
}

describe('elementwise functions', () => {
  test('hypot (JAX docs): weak for JS numbers, inf beats NaN', () => {
    const h = jnp.hypot(3, 4);
    expect([h.item(), h.dtype, h.weakType]).toEqual([5, 'float32', true]);
    const x = jnp.hypot(jnp.array([[3, -2, 5], [9, 1, -4]]), jnp.array([-5, 6, 8]));
    expectClose(flat(x), [5.831, 6.325, 9.434, 10.296, 6.083, 8.944], 3);
    expect(list(jnp.hypot(f32([Infinity, 0, 1e30]), f32([NaN, 0, 1e30])))).toEqual([Infinity, 0, fr(Math.SQRT2 * 1e30)]);
    expect(() => jnp.hypot(c64([1, 1]), 1)).toThrow('jnp.hypot is not well defined for complex-valued inputs');
  });

  test('log2, log10, logaddexp2, deg2rad, rad2deg (JAX docs)', () => {
    expect(list(jnp.log2(jnp.array([0.25, 0.5, 1, 2, 4, 8])))).toEqual([-2, -1, 0, 1, 2, 3]);
    expectClose(flat(jnp.log10(jnp.array([0.01, 0.1, 1, 10, 100, 1000]))), [-2, -1, 0, 1, 2, 3], 5);
    expect(list(jnp.rad2deg(jnp.array([Math.PI / 4, Math.PI / 2, (2 * Math.PI) / 3])))).toEqual([45, 90, fr(120.00001)]);
    expectClose(flat(jnp.deg2rad(jnp.array([180, -90]))), [Math.PI, -Math.PI / 2], 6);
    const x1 = jnp.array([[3, -1, 4], [8, 5, -2]]);
    const x2 = jnp.array([2, 3, -5]);
    expect(jnp.allclose(jnp.logaddexp2(x1, x2), jnp.log2(jnp.add(jnp.exp2(x1), jnp.exp2(x2)))).item()).toBe(true);
    // infinities of the same sign do not make NaN
    expect(list(jnp.logaddexp2(f32([Infinity, -Infinity, 1]), f32([Infinity, -Infinity, 1])))).toEqual([Infinity, -Infinity, 2]);
    expect(jnp.log2(jnp.array([8])).dtype).toBe('float32');
  });

  test('copysign and signbit (JAX docs)', () => {
    expect(list(jnp.copysign(jnp.array([5, 2, 0]), -1))).toEqual([-5, -2, -0]);
    expect(list(jnp.copysign(jnp.array([6, 8, 0]), 2))).toEqual([6, 8, 0]);
    expect(list(jnp.copysign(jnp.array([2, -3]), jnp.array([[1], [-4], [5]])))).toEqual([[2, 3], [-2, -3], [2, 3]]);
    expect(list(jnp.signbit(jnp.array([true, false])))).toEqual([false, false]);
    expect(list(jnp.signbit(jnp.array([-2, -1, 0, 1, 2])))).toEqual([true, true, false, false, false]);
    expect(list(jnp.signbit(jnp.array([-1.5, -0, 0, 1.5])))).toEqual([true, true, false, false]);
    const specials = f32([NaN, NaN, Infinity, -Infinity]);
    const signed = lax.selectN.bind1([jnp.array([false, true, false, false]), specials, lax.neg.bind1([specials])]); // -NaN
    expect(list(jnp.signbit(signed))).toEqual([false, true, false, true]);
    expect(list(jnp.signbit(jnp.array([-0, 1], { dtype: 'bfloat16' })))).toEqual([true, false]);
    expect(() => jnp.signbit(c64([1, 1]))).toThrow('jax.numpy.signbit is not well defined for complex64');
  });

  test('fmod, float_power, nextafter, heaviside (JAX docs)', () => {
    expect(list(jnp.fmod(jnp.array([[3, -1, 4], [8, 5, -2]]), jnp.array([2, 3, -5])))).toEqual([[1, -1, 4], [0, 2, -2]]);
    expect(list(jnp.fmod(jnp.array([7, -7]), jnp.array([0, 0])))).toEqual([0, 0]); // integer x % 0 is 0 in JAX
    expect(list(jnp.fmod(f32([7.5, -7.5]), 2))).toEqual([1.5, -1.5]);
    expect(list(jnp.floatPower(jnp.array([3, 1, -5]), jnp.array([2, 4, -1])))).toEqual([9, 1, fr(-0.2)]);
    expect(list(jnp.floatPower(jnp.array([[2, -4, 1], [-1, 2, 3]]), jnp.array([-2, 1, 4])))).toEqual([[0.25, -4, 1], [1, 2, 81]]);
    const nan = jnp.floatPower(-3, 1.7);
    expect([nan.item(), nan.weakType]).toEqual([NaN, true]);
    const n = jnp.nextafter(2, 1);
    expect([n.item(), n.weakType]).toEqual([fr(1.9999999), true]);
    expect(list(jnp.nextafter(jnp.array([3, -2, 1]), jnp.array([2, -1, 2])))).toEqual([fr(2.9999998), fr(-1.9999999), fr(1.0000001)]);
    const x1 = jnp.array([[-2, 0, 3], [5, -1, 0], [0, 7, -3]]);
    expect(list(jnp.heaviside(x1, jnp.array([2, 0.5, 1])))).toEqual([[0, 0.5, 1], [1, 0, 1], [2, 1, 0]]);
    expect(list(jnp.heaviside(x1, 0.5))).toEqual([[0, 0.5, 1], [1, 0, 0.5], [0.5, 1, 0]]);
    expect(list(jnp.heaviside(-3, jnp.array([2, 0.5, 1])))).toEqual([0, 0, 0]);
    expect(list(jnp.heaviside(f32([NaN]), 1))).toEqual([NaN]);
  });

  test('rounding: trunc, rint, modf, divmod', () => {
    // JAX docs (trunc of uniform samples, shown to 2 decimals)
    const x = f32([[-0.23, 3.6, 2.33], [1.22, -0.99, 1.72], [-8.5, 5.5, 3.98]]);
    expect(list(jnp.trunc(x))).toEqual([[-0, 3, 2], [1, -0, 1], [-8, 5, 3]]);
    expect(jnp.trunc(jnp.array([3, -3])).dtype).toBe('int32');
    expect(list(jnp.rint(jnp.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 4.5])))).toEqual([-2, -2, -0, 0, 2, 2, 4, 4]);
    expect(jnp.rint(jnp.array([5, 4, 7])).dtype).toBe('float32');
    expect(jnp.rint(c64([-2.5, 3.5], [4.5, -0.5])).dataSync()).toEqual(new Float32Array([-2, 4, 4, -0]));
    const [frac, whole] = jnp.modf(f32([-2.5, 3.25]));
    expect([list(frac), list(whole)]).toEqual([[-0.5, 0.25], [-2, 3]]);
    // floats as CPython's float_divmod: 1 // 0.1 is 9, not floor(1 / 0.1) = 10
    const [q, r] = jnp.divmod(f32([7, -7, 1]), f32([2, 2, 0.1]));
    expect(list(q)).toEqual([3, -4, 9]);
    expect(list(r)).toEqual([1, 1, fr(1 - 9 * fr(0.1))]);
    const [qi, ri] = jnp.divmod(jnp.array([7, -7]), jnp.array([2, 2]));
    expect([list(qi), list(ri)]).toEqual([[3, -4], [1, 1]]);
  });

  test('frexp and ldexp (JAX docs)', () => {
    const [m, e] = jnp.frexp(f32([1, 2, 3, 4, 5]));
    expect([list(m), list(e), e.dtype]).toEqual([[0.5, 0.5, 0.75, 0.5, 0.625], [1, 2, 2, 3, 3], 'int32']);
    const [m2, e2] = jnp.frexp(f32([2, 3, 5, 11]));
    expect([list(m2), list(e2)]).toEqual([[0.5, 0.75, 0.625, 0.6875], [2, 2, 3, 4]]);
    expect(list(jnp.ldexp(m2, e2))).toEqual([2, 3, 5, 11]);
    const [ms, es] = jnp.frexp(f32([0, -Infinity, -6]));
    expect([list(ms), list(es)]).toEqual([[0, -Infinity, -0.75], [0, 0, 3]]);
    expect(list(jnp.ldexp(f32([0.75, 1, 0]), jnp.array([130, -3, 7])))).toEqual([Infinity, 0.125, 0]);
    expect(() => jnp.ldexp(f32([1]), f32([1]))).toThrow('ldexp not supported for input types (float32, float32)');
    config.with({ enableX64: true }, () => {
      const [m64, e64] = jnp.frexp(jnp.array([1e300, -0.1], { dtype: 'float64' }));
      expect(list(jnp.ldexp(m64, e64))).toEqual([1e300, -0.1]);
      expect(list(e64)).toEqual([997, -3]);
    });
  });

  test('sinc and nan_to_num (JAX docs)', () => {
    expect(list(jnp.sinc(f32([0, Infinity, -Infinity])))).toEqual([1, NaN, NaN]); // JAX 0.10.2: sin(inf) / inf
    expectClose(flat(jnp.sinc(f32([0.5, -1.5]))), [2 / Math.PI, -2 / (3 * Math.PI)], 6);
    const x = f32([0, NaN, 1, Infinity, 2, -Infinity]);
    expect(list(jnp.nanToNum(x))).toEqual([0, 0, 1, fr(3.4028235e38), 2, fr(-3.4028235e38)]);
    expect(list(jnp.nanToNum(x, { posinf: 999, neginf: -999 }))).toEqual([0, 0, 1, 999, 2, -999]);
    expect(list(jnp.nanToNum(jnp.array([1, 2])))).toEqual([1, 2]);
    expect(jnp.nanToNum(c64([NaN, Infinity])).dataSync()).toEqual(new Float32Array([0, fr(3.4028235e38)]));
  });

  test('clip (JAX docs), with null bounds and the options form', () => {
    const arr = jnp.arange(8);
    expect(list(jnp.clip(arr, 2, 5))).toEqual([2, 2, 2, 3, 4, 5, 5, 5]);
    expect(list(jnp.clip(arr, null, 5))).toEqual([0, 1, 2, 3, 4, 5, 5, 5]);
    expect(list(jnp.clip(arr, { min: 6 }))).toEqual([6, 6, 6, 6, 6, 6, 6, 7]);
    expect(jnp.clip(arr, 2.5, 5).dtype).toBe('float32');
    expect(() => jnp.clip(c64([1, 1]), 0, 1)).toThrow('Clip received a complex value');
  });

  // JAX and jaxts compile with xla_cpu_enable_fast_min_max=false: maximum(-1, NaN) is NaN.
  test('clip lets NaN through, as JAX', () => {
    expect(list(jnp.clip(f32([NaN, -3]), -1, 1))).toEqual([NaN, -1]);
  });

  test('isclose and allclose: JAX 0.11 semantics for infinities and NaN', () => {
    expect(list(jnp.isclose(f32([100, 1e-7]), f32([100.0009, 1e-8])))).toEqual([true, false]);
    expect(list(jnp.isclose(f32([100, 1e-8]), f32([100.002, 1e-9])))).toEqual([false, true]);
    expect(list(jnp.isclose(f32([Infinity, Infinity, NaN, 1]), f32([Infinity, -Infinity, NaN, Infinity])))).toEqual([true, false, false, false]);
    expect(list(jnp.isclose(f32([NaN]), f32([NaN]), { equalNan: true }))).toEqual([true]);
    expect(list(jnp.isclose(f32([1, 2]), f32([1.5, 2]), 0, 0.5))).toEqual([true, true]);
    expect(list(jnp.isclose(jnp.array([1, 2]), jnp.array([1, 3])))).toEqual([true, false]);
    const all = jnp.allclose(f32([1, 2]), f32([1, 2.000001]));
    expect([all.item(), all.dtype, all.shape]).toEqual([true, 'bool', []]);
    expect(jnp.allclose(f32([1, 2]), f32([1, 2.1])).item()).toBe(false);
    expect(list(jnp.isclose(c64([1, 1]), c64([1, 1.000001])))).toEqual([true]);
  });

  test('classification, logical and bitwise ops, complex parts', () => {
    expect(list(jnp.isinf(f32([Infinity, -Infinity, 1, NaN])))).toEqual([true, true, false, false]);
    expect(list(jnp.isposinf(f32([Infinity, -Infinity, 1])))).toEqual([true, false, false]);
    expect(list(jnp.isneginf(f32([Infinity, -Infinity, 1])))).toEqual([false, true, false]);
    expect(list(jnp.isinf(c64([1, Infinity], [1, 0])))).toEqual([true, false]);
    expect(list(jnp.isinf(jnp.array([1, 2])))).toEqual([false, false]);
    expect(() => jnp.isposinf(c64([1, 0]))).toThrow('isposinf/isneginf are not well defined for complex types');
    expect(list(jnp.logicalAnd(jnp.array([1, 0, 2]), jnp.array([1, 1, 0])))).toEqual([true, false, false]);
    expect(list(jnp.logicalOr(f32([0, 0.5]), 0))).toEqual([false, true]);
    expect(list(jnp.logicalXor(jnp.array([true, false]), jnp.array([true, true])))).toEqual([false, true]);
    expect(list(jnp.invert(jnp.array([0, 1], { dtype: 'uint8' })))).toEqual([255, 254]);
    expect(list(jnp.bitwiseNot(jnp.array([true, false])))).toEqual([false, true]);
    expect(list(jnp.leftShift(jnp.array([1, 2]), 3))).toEqual([8, 16]);
    expect(list(jnp.rightShift(jnp.array([-8, 8]), 1))).toEqual([-4, 4]);
    expect(list(jnp.rightShift(jnp.array([200], { dtype: 'uint8' }), 1))).toEqual([100]); // logical for unsigned
    expect(jnp.leftShift(jnp.array([true]), 1).dtype).toBe('int32');
    const z = c64([3, 4], [0, -1]);
    expect([list(jnp.real(z)), list(jnp.imag(z))]).toEqual([[3, 0], [4, -1]]);
    expect(jnp.conj(z).dataSync()).toEqual(new Float32Array([3, -4, 0, 1]));
    expect(list(jnp.imag(jnp.array([1.5, 2])))).toEqual([0, 0]);
    expect(list(jnp.real(jnp.array([1, 2])))).toEqual([1, 2]);
    expect(list(jnp.iscomplex(z))).toEqual([true, true]);
    expect(list(jnp.isreal(jnp.array([1, 2])))).toEqual([true, true]);
    expect(list(jnp.positive(jnp.array([-1, 2])))).toEqual([-1, 2]);
    expect(list(jnp.fabs(jnp.array([-5, 9])))).toEqual([5, 9]);
    expect(() => jnp.fabs(z)).toThrow("ufunc 'fabs' does not support complex dtypes");
    expect(list(jnp.fmax(f32([1, NaN, 3]), f32([NaN, 2, 4])))).toEqual([1, 2, 4]);
    expect(list(jnp.fmin(f32([1, NaN, 3]), f32([NaN, 2, 4])))).toEqual([1, 2, 3]);
  });

  test('angle (JAX docs)', () => {
    const z = c64([1, 3], [2, -5], [4, -3], [3, 2]);
    expectClose(flat(jnp.angle(z)), [1.25, -1.19, -0.64, 0.59], 2);
    expectClose(flat(jnp.angle(z, true)), [71.57, -68.2, -36.87, 33.69], 2);
    expect(list(jnp.angle(jnp.array([1, -1])))).toEqual([0, fr(Math.PI)]);
    expect(jnp.angle(jnp.array([1, -1])).dtype).toBe('float32');
  });

  test('x64: integer inputs become float32 when 32-bit (to_inexact_dtype), float64 when 64-bit', () => {
    config.with({ enableX64: true }, () => {
      expect(jnp.log2(jnp.array([2], { dtype: 'int32' })).dtype).toBe('float32');
      expect(jnp.log2(jnp.array([2])).dtype).toBe('float64'); // int64 by default under x64
      expect(jnp.hypot(3, 4).dtype).toBe('float64');
    });
  });

  test('jit agrees with eager execution to float32 rounding', () => {
    const fns = [jnp.hypot, jnp.logaddexp2, jnp.copysign, jnp.heaviside, jnp.nextafter, jnp.fmod, (a: Array) => jnp.sinc(a), (a: Array) => jnp.log10(a),
      (a: Array) => jnp.trunc(a), (a: Array) => jnp.frexp(a)[0], (a: Array, b: Array) => jnp.isclose(a, b), (a: Array) => jnp.clip(a, -1, 1)];
    const x = f32([-2.5, 0.1, 3, 1e-3, 7]);
    const y = f32([1.5, -0.2, 3, 2, -7]);
    const eager = fns.map((f) => f(x, y));
    expectJitMatchesEager(jit((a: Array, b: Array) => fns.map((f) => f(a, b)))(x, y), eager);
  });
});

describe('creation', () => {
  test('logspace', () => {
    expect(list(jnp.logspace(0, 3, 4))).toEqual([1, 10, 100, 1000]);
    expect(jnp.logspace(0, 3, 4).dtype).toBe('float32');
    expectClose(flat(jnp.logspace(0, 3, 4, { base: 2, endpoint: false })), [1, 2 ** 0.75, 2 ** 1.5, 2 ** 2.25], 5);
    expect(list(jnp.logspace(0, 2, 3, { dtype: 'int32' }))).toEqual([1, 10, 100]);
  });

  test('tri (JAX docs): float32 by default', () => {
    expect(list(jnp.tri(3, 4, -1))).toEqual([[0, 0, 0, 0], [1, 0, 0, 0], [1, 1, 0, 0]]);
    expect(list(jnp.tri(2, null, 0, { dtype: 'int32' }))).toEqual([[1, 0], [1, 1]]);
    config.with({ enableX64: true }, () => expect(jnp.tri(2).dtype).toBe('float32'));
  });

  test("meshgrid: 'xy' swaps the first two axes, 'ij' does not", () => {
    const [x, y] = jnp.meshgrid(jnp.array([1, 2, 3]), jnp.array([4, 5]));
    expect([list(x!), list(y!)]).toEqual([[[1, 2, 3], [1, 2, 3]], [[4, 4, 4], [5, 5, 5]]]);
    const [i, j] = jnp.meshgrid(jnp.array([1, 2, 3]), jnp.array([4, 5]), { indexing: 'ij' });
    expect([list(i!), list(j!)]).toEqual([[[1, 1], [2, 2], [3, 3]], [[4, 5], [4, 5], [4, 5]]]);
    const sparse = jnp.meshgrid(jnp.array([1, 2, 3]), jnp.array([4, 5]), jnp.array([6]), { sparse: true });
    expect(sparse.map((a) => a.shape)).toEqual([[1, 3, 1], [2, 1, 1], [1, 1, 1]]);
    expect(() => jnp.meshgrid(jnp.zeros([2, 2]))).toThrow('Arguments to jax.numpy.meshgrid must be 1D, got shapes [(2, 2)]');
  });
});

describe('contractions', () => {
  test('vdot conjugates its first argument (JAX docs)', () => {
    const x = c64([0, 1], [0, 2], [0, 3]);
    expect(jnp.vdot(x, f32([1, 2, 3])).dataSync()).toEqual(new Float32Array([0, -14]));
    expect(jnp.vdot(jnp.array([[1, 2], [3, 4]]), jnp.array([[1, 1], [1, 1]])).item()).toBe(10);
  });

  test('inner and outer (JAX docs)', () => {
    expect(jnp.inner(c64([0, 1], [0, 3], [0, 4]), f32([4, 2, 5])).dataSync()).toEqual(new Float32Array([0, 30]));
    expect(jnp.inner(jnp.ones([2, 3]), jnp.ones([5, 3])).shape).toEqual([2, 5]);
    expect(list(jnp.inner(jnp.array([1, 2]), 3))).toEqual([3, 6]);
    expect(list(jnp.outer(jnp.array([1, 2, 3]), jnp.array([4, 5, 6])))).toEqual([[4, 5, 6], [8, 10, 12], [12, 15, 18]]);
    expect(list(jnp.outer(jnp.array([true, false]), jnp.array([true, true])))).toEqual([[true, true], [false, false]]);
    expect(jnp.outer(jnp.ones([2, 2]), jnp.ones([3])).shape).toEqual([4, 3]);
  });

  test('tensordot (JAX docs)', () => {
    const x1 = jnp.arange(24, { dtype: 'float32' }).reshape([2, 3, 4]);
    const x2 = jnp.ones([3, 4, 5]);
    const expected = [[66, 66, 66, 66, 66], [210, 210, 210, 210, 210]];
    expect(list(jnp.tensordot(x1, x2))).toEqual(expected);
    expect(list(jnp.tensordot(x1, x2, [[1, 2], [0, 1]]))).toEqual(expected);
    expect(list(jnp.tensordot(jnp.array([[1, 2], [3, 4]]), jnp.array([[1, 2, 3], [4, 5, 6]]), 1))).toEqual([[9, 12, 15], [19, 26, 33]]);
    expect(list(jnp.tensordot(jnp.array([1, 2]), jnp.array([1, 2, 3]), 0))).toEqual([[1, 2, 3], [2, 4, 6]]);
    const x = jnp.arange(30).reshape([2, 3, 5]);
    const y = jnp.arange(60).reshape([3, 4, 5]);
    expect(list(jnp.tensordot(x, y, [[1, 2], [0, 2]]))).toEqual([[3340, 3865, 4390, 4915], [8290, 9940, 11590, 13240]]);
    expect(() => jnp.tensordot(x1, x2, 4)).toThrow('Number of tensordot axes (axes 4) exceeds input ranks ((2, 3, 4) and (3, 4, 5))');
    expect(() => jnp.tensordot(x1, x2, [[0], [0, 1]])).toThrow('tensordot requires axes lists to have equal length, got [0] and [0,1].');
    expect(() => jnp.tensordot(x1, x2, [[0], [0]])).toThrow('dot_general requires contracting dimensions to have the same shape, got (2,) and (3,).');
  });
});

describe('statistics', () => {
  const x = jnp.array([[1, 3, 4, 2], [5, 2, 6, 3], [8, 4, 2, 9]]);

  test('var (JAX docs): integers give float32', () => {
    const v = jnp.var(x);
    expect(v.dtype).toBe('float32');
    expect(v.item()).toBeCloseTo(5.74, 2);
    expect(list(jnp.var(x, 1))).toEqual([1.25, 2.5, 8.1875]);
    expect(list(jnp.var(x, { axis: 1, keepdims: true }))).toEqual([[1.25], [2.5], [8.1875]]);
    expectClose(flat(jnp.var(x, 1, { keepdims: true, ddof: 1 })), [1.67, 3.33, 10.92], 2);
    expect(jnp.var(x, 1, { correction: 1 }).shape).toEqual([3]);
    expect(jnp.var(x, [0, 1]).item()).toBe(jnp.var(x).item());
  });

  test('var dtype rules: float16 accumulates in float32, complex gives its real type, N - ddof <= 0 gives NaN', () => {
    const h = jnp.var(jnp.array([1, 2, 3, 4], { dtype: 'float16' }));
    expect([h.dtype, h.item()]).toEqual(['float16', 1.25]);
    const z = jnp.var(c64([1, 1], [3, -1]));
    expect([z.dtype, z.item()]).toEqual(['float32', 2]);
    expect(jnp.var(f32([1, 2]), { ddof: 2 }).item()).toBeNaN();
    expect(jnp.var(jnp.array([1, 2]), { dtype: 'float16' }).dtype).toBe('float16');
    config.with({ enableX64: true }, () => {
      expect(jnp.var(jnp.array([1, 2], { dtype: 'int32' })).dtype).toBe('float32');
      expect(jnp.var(jnp.array([1, 2])).dtype).toBe('float64');
    });
    expect(() => jnp.var(x, 2)).toThrow('var: axis 2 is out of bounds for array of dimension 2');
  });

  test('std (JAX docs)', () => {
    const y = jnp.array([[1, 3, 4, 2], [4, 2, 5, 3], [5, 4, 2, 3]]);
    expect(jnp.std(y).item()).toBeCloseTo(1.21, 2);
    expectClose(flat(jnp.std(y, 0)), [1.7, 0.82, 1.25, 0.47], 2);
    expect(jnp.std(y, 0, { keepdims: true }).shape).toEqual([1, 4]);
    expectClose(flat(jnp.std(y, { axis: 0, keepdims: true, ddof: 1 })), [2.08, 1, 1.53, 0.58], 2);
    expect(() => jnp.std(y, { dtype: 'int32' })).toThrow('dtype argument to jnp.std must be inexact; got int32');
  });

  test('average (JAX docs)', () => {
    const a = jnp.array([1, 2, 3, 2, 4]);
    const w = jnp.array([2, 1, 3, 2, 2]);
    expect(jnp.average(a).item()).toBe(fr(2.4));
    expect(jnp.average(a, { weights: w }).item()).toBe(2.5);
    const [avg, sum] = jnp.average(a, null, { returned: true });
    expect([avg.item(), sum.item(), sum.dtype]).toEqual([fr(2.4), 5, 'float32']);
    const [wavg, wsum] = jnp.average(a, { weights: w, returned: true });
    expect([wavg.item(), wsum.item()]).toEqual([2.5, 10]);
    expect(list(jnp.average(jnp.array([[8, 2, 7], [3, 6, 4]]), 1, { weights: jnp.array([1, 2, 3]) }))).toEqual([5.5, 4.5]);
    expect(() => jnp.average(jnp.ones([2, 3]), { weights: jnp.ones([3]) })).toThrow('Axis must be specified when shapes of a and weights differ.');
    expect(() => jnp.average(jnp.ones([2, 3]), 1, { weights: jnp.ones([2]) })).toThrow('Shape of weights must be consistent with shape of a along specified axis');
    // weights over several axes, given in any order
    const cube = jnp.arange(24, { dtype: 'float32' }).reshape([2, 3, 4]);
    const w2 = jnp.arange(8, { dtype: 'float32' }).reshape([4, 2]).add(1);
    const byAxes = jnp.average(cube, [2, 0], { weights: w2 });
    const manual = jnp.divide(jnp.sum(cube.mul(w2.T.reshape([2, 1, 4])), [0, 2]), w2.sum());
    expect(list(byAxes)).toEqual(list(manual));
  });

  test('ptp and countNonzero (JAX docs)', () => {
    const p = jnp.array([[1, 3, 5, 2], [4, 6, 8, 1], [7, 9, 3, 4]]);
    expect(jnp.ptp(p).item()).toBe(8);
    expect(list(jnp.ptp(p, 1))).toEqual([4, 7, 6]);
    expect(list(jnp.ptp(p, { axis: 1, keepdims: true }))).toEqual([[4], [7], [6]]);
    const c = jnp.array([[1, 0, 0, 0], [0, 0, 1, 0], [1, 1, 1, 0]]);
    const n = jnp.countNonzero(c);
    expect([n.item(), n.dtype]).toEqual([5, 'int32']);
    expect(list(jnp.countNonzero(c, 1))).toEqual([1, 1, 3]);
    expect(list(jnp.countNonzero(c, { axis: 1, keepdims: true }))).toEqual([[1], [1], [3]]);
    expect(jnp.countNonzero(jnp.array([true, false, true])).item()).toBe(2);
  });

  test('jit agrees with eager execution to float32 rounding', () => {
    const y = f32([[1.5, -2, 3.25], [0.1, 7, -1]]);
    const fns = [(a: Array) => jnp.var(a, 1), (a: Array) => jnp.std(a, { ddof: 1 }), (a: Array) => jnp.average(a, 0, { weights: f32([1, 3]) }), (a: Array) => jnp.ptp(a, 0)];
    const eager = fns.map((f) => f(y));
    expectJitMatchesEager(jit((a: Array) => fns.map((f) => f(a)))(y), eager);
  });
});
