// The samplers built on uniform, normal, exponential and gamma draws (transformed.ts,
// gamma_family.ts, binomial.ts), beyond the parity cases (test/parity/random): the other
// branches (binomial's BTRS, p > 1/2, NaN and inf), vmap, narrow dtypes and the error messages.
// Expected values were computed with jax 0.10.2 on CPU (threefry partitionable), key PRNGKey(3).
import { jit, numpy as jnp, random, vmap, type Array } from '../../lib/index.js';

const k = random.PRNGKey(3);
const list = (x: Array): unknown => x.tolistSync();
const close = (x: Array, expected: number[] | number[][], digits = 5): void => {
  const flat = (expected as number[]).flat();
  (x.reshape([-1]).tolistSync() as number[]).forEach((v, i) => expect(v).toBeCloseTo(flat[i]!, digits));
};

describe('binomial', () => {
  test('BTRS (n q > 10), eagerly and under jit', () => {
    const x = random.binomial(k, 100, 0.3, [4]);
    expect(x.dtype).toBe('float32');
    expect(list(x)).toEqual([28, 30, 24, 27]);
    expect(list(jit((kk: Array) => random.binomial(kk, 100, 0.3, [4]))(k))).toEqual([28, 30, 24, 27]);
  });

  test('p > 1/2 counts failures; NaN for a negative n or NaN p, inf for an infinite n', () => {
    const x = random.binomial(k, jnp.array([5, 200, -1, Infinity, 40]), jnp.array([0.5, 0.6, 0.3, 0.2, NaN]));
    expect(list(x)).toEqual([5, 120, NaN, Infinity, NaN]);
  });

  test('vmap over keys: each key loops on its own', () => {
    const x = vmap((kk: Array) => random.binomial(kk, 50, 0.4, [2]))(random.split(k, 3));
    expect(list(x)).toEqual([[19, 20], [19, 23], [21, 18]]);
  });
});

describe('samplers built on gamma draws', () => {
  test('generalizedNormal in float16, ball with p = 1', () => {
    const g = random.generalizedNormal(k, 0.75, [3], 'float16');
    expect(g.dtype).toBe('float16');
    expect(list(g)).toEqual([1.72265625, -3.009765625, 4.4296875]);
    close(random.ball(k, 2, 1, [2]), [[0.5899689793586731, 0.3799158036708832], [0.11607901006937027, 0.31029945611953735]], 6);
  });

  test('t with an array df in bfloat16', () => {
    expect(list(random.t(k, jnp.array([1, 30], { dtype: 'bfloat16' }), { dtype: 'bfloat16' }))).toEqual([5.28125, -0.74609375]);
  });
});

describe('transformed samplers', () => {
  test("doubleSidedMaxwell appends the parameters' shape to the sample shape", () => {
    const x = random.doubleSidedMaxwell(k, jnp.array([0, 10]), 2);
    expect(x.shape).toEqual([2, 2]);
    close(x, [[5.935983657836914, 7.03044319152832], [6.647068977355957, 3.8451457023620605]]);
  });

  test('geometric with a float16 p and an int8 result; weibullMin with an array scale', () => {
    const g = random.geometric(k, jnp.array([0.1, 0.9], { dtype: 'float16' }), { dtype: 'int8' });
    expect(g.dtype).toBe('int8');
    expect(list(g)).toEqual([21, 1]);
    close(random.weibullMin(k, jnp.array([1, 2]), 0.5, [2]), [0.005919427610933781, 15.489636421203613]);
  });

  test('triangular in float16; lognormal in complex64', () => {
    expect(list(random.triangular(k, 0, 1, 3, [3], 'float16'))).toEqual([0.58544921875, 0.82958984375, 0.386474609375]);
    const z = random.lognormal(k, 0.5, [2], 'complex64');
    expect(z.dtype).toBe('complex64');
    close(jnp.real(z), [0.333478718996048, 0.5466712117195129], 6);
    close(jnp.imag(z), [-0.2735724449157715, 0.020267868414521217], 6);
  });
});

test('vmap over keys equals one call per key', () => {
  const keys = random.split(k, 2);
  const f = (kk: Array): Array => random.f(kk, 3.5, 5.5, [2]);
  const batched = vmap(f)(keys);
  expect(list(batched)).toEqual([0, 1].map((i) => list(f(keys.slice(i)))));
  const dsm = vmap((kk: Array) => random.doubleSidedMaxwell(kk, 0.5, 1.5, [3]))(keys);
  expect(list(dsm)).toEqual([0, 1].map((i) => list(random.doubleSidedMaxwell(keys.slice(i), 0.5, 1.5, [3]))));
});

describe('errors (JAX raises the same messages)', () => {
  test('dtypes', () => {
    // lognormal's default sigma is a strongly typed float32
    expect(() => random.lognormal(k, { dtype: 'float16' })).toThrow('In arguments to lognormal, cannot safely cast argument of type float32 to float16');
    expect(() => random.pareto(k, jnp.array(2, { dtype: 'float32' }), { dtype: 'float16' })).toThrow('In arguments to pareto, cannot safely cast argument of type float32 to float16');
    expect(() => random.generalizedNormal(k, 2, { dtype: 'int32' })).toThrow('dtype argument to `gamma` must be a float dtype, got int32');
    expect(() => random.geometric(k, 0.5, { dtype: 'float32' })).toThrow('dtype argument to `geometric` must be an int dtype, got float32');
    expect(() => random.maxwell(k, [2], 'int32')).toThrow('dtype argument to `maxwell` must be a float dtype, got int32');
  });

  test('shapes and keys', () => {
    expect(() => random.t(k, jnp.ones([3]), { shape: [2] })).toThrow('Incompatible shapes for broadcasting: shapes=[(2,), (3,)]');
    expect(() => random.wald(k, jnp.ones([3]), [2, 1])).toThrow(
      'wald parameter shapes must be broadcast-compatible with shape argument, and the result of broadcasting the shapes must equal the shape argument, but got result (2, 3) for shape argument (2, 1).',
    );
    expect(() => random.rayleigh(random.split(k), 1)).toThrow('rayleigh accepts a single key, but was given a key array of shape (2, 2) != (). Use jax.vmap for batching.');
  });
});
