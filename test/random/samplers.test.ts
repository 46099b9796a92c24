// random samplers against JAX 0.10.2 (CPU, threefry partitionable): the expected values below were
// computed with jax.random in Python and are compared bit for bit (floats included: the same
// StableHLO ops, chlo.erf_inv among them, give the same bits on XLA's CPU backend).
import { config, grad, jit, numpy as jnp, random, vmap, type Array } from '../../lib/index.js';

const list = (x: Array): unknown => x.tolistSync();
const k0 = random.PRNGKey(0);
const k42 = random.PRNGKey(42);
const f32 = (v: number[] | number[][]) => jnp.array(v, { dtype: 'float32' });

/** `x` has JAX's dtype and values. */
function same(x: Array, dtype: string, expected: unknown): void {
  expect(x.dtype).toBe(dtype);
  expect(list(x)).toEqual(expected);
}

describe('continuous', () => {
  test('uniform: mantissa bits under the exponent of 1, scaled', () => {
    same(random.uniform(k0, [4]), 'float32', [0.9476670026779175, 0.9785798788070679, 0.33229148387908936, 0.46866846084594727]);
    same(random.uniform(k42, [3]), 'float32', [0.48870956897735596, 0.6797971725463867, 0.6162714958190918]);
    same(random.uniform(k0, [4], 'bfloat16'), 'bfloat16', [0.6484375, 0.5703125, 0.15625, 0.203125]);
    same(random.uniform(k0, [4], 'float16'), 'float16', [0.310546875, 0.212890625, 0.0546875, 0.65625]);
    same(random.uniform(k42, [2, 2], { minval: -2, maxval: f32([1, 3]) }), 'float32', [[-0.5338712930679321, 1.3989858627319336], [-0.1511855125427246, 0.8050804138183594]]);
  });

  test('normal, truncated normal and the samplers built on log, tan and erf_inv', () => {
    same(random.normal(k0, [4]), 'float32', [1.622642159461975, 2.0252647399902344, -0.4335944354534149, -0.07861734926700592]);
    same(random.truncatedNormal(k42, -1, 2, [4]), 'float32', [0.14770005643367767, 0.5684449076652527, 0.42102551460266113, 0.29997000098228455]);
    same(random.exponential(k42, [4]), 'float32', [0.670817494392395, 1.1388006210327148, 0.9578199982643127, 0.8232924938201904]);
    same(random.laplace(k42, [4]), 'float32', [0.022839652374386787, -0.4456535577774048, -0.2646729052066803, -0.1301453858613968]);
    same(random.logistic(k42, [4]), 'float32', [-0.0451694130897522, 0.7528398036956787, 0.47375231981277466, 0.245286762714386]);
    same(random.cauchy(k42, [4]), 'float32', [-0.03548463061451912, 0.6337261199951172, 0.38244056701660156, 0.1940706968307495]);
    same(random.gumbel(k42, [4]), 'float32', [0.3340933918952942, 0.952019453048706, 0.7255305647850037, 0.5481715202331543]);
    same(random.gumbel(k42, [4], { mode: 'high' }), 'float32', [0.39925798773765564, -0.12997561693191528, 0.043095413595438004, 0.1944437325000763]);
    const c = random.normal(k42, [3], 'complex64');
    expect(c.dtype).toBe('complex64');
    const [re, im] = [jnp.real(c).dataSync(), jnp.imag(c).dataSync()];
    [0.05368746072053909, -0.34389618039131165, 0.9123944640159607].forEach((v, i) => expect(re[i]).toBeCloseTo(v, 6));
    [0.4283398389816284, 0.5650094747543335, -0.6427084803581238].forEach((v, i) => expect(im[i]).toBeCloseTo(v, 6));
  });

  test('multivariate normal (Cholesky factor) and orthogonal matrices, within float32 rounding', () => {
    const mvn = random.multivariateNormal(k42, f32([1, -1]), f32([[2, 0.5], [0.5, 1]]), [3]);
    const close = (x: Array, expected: number[][]) => {
      expect(x.shape).toEqual([expected.length, expected[0]!.length]);
      (list(x) as number[][]).forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - expected[i]![j]!)).toBeLessThan(2e-6)));
    };
    close(mvn, [[0.9599712491035461, -0.5730453729629517], [1.418187141418457, -0.751824140548706], [0.8245911002159119, -0.8409391641616821]]);
    close(random.orthogonal(k42, 3), [
      [-0.01952970027923584, 0.9952677488327026, 0.09518947452306747],
      [0.10594390332698822, -0.09261152893304825, 0.9900500178337097],
      [-0.99418044090271, -0.02941983938217163, 0.10363386571407318],
    ]);
    expect(random.orthogonal(k42, 2, [4], { m: 3 }).shape).toEqual([4, 2, 3]);
  });
});

describe('discrete', () => {
  test('randint: two words modulo the span, narrow dtypes sampled in 32 bits', () => {
    same(random.randint(k0, [4], 0, 10), 'int32', [9, 0, 2, 3]);
    same(random.randint(k42, [5], -5, 300, 'int8'), 'int8', [45, 42, 20, 41, 105]);
    same(random.randint(k42, [5], 0, 256, 'uint8'), 'uint8', [196, 18, 183, 193, 141]);
    same(random.randint(k42, [4], -(2 ** 31), 2 ** 31 - 1), 'int32', [977810628, 1236381714, -1367112521, -1019495231]);
    same(random.randint(k0, [2, 3], jnp.array([0, 10, 100]), jnp.array([[5], [1000]])), 'int32', [[4, 10, 100], [373, 111, 247]]);
  });

  test('bernoulli and categorical', () => {
    same(random.bernoulli(k0, 0.5, [4]), 'bool', [false, false, true, true]);
    same(random.bernoulli(k42, f32([0.1, 0.9, 0.5, 0.7])), 'bool', [false, true, false, true]);
    same(random.bernoulli(k42, 0.3, [5], 'high'), 'bool', [false, false, false, false, false]);
    same(random.categorical(k0, jnp.zeros([5]), { shape: [4] }), 'int32', [1, 3, 0, 0]);
    same(random.categorical(k42, f32([[0, 1, 2], [2, 1, 0]]), 0, [4, 3]), 'int32', [[1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0]]);
    same(random.categorical(k42, f32([[0, 1, 2, 0.5], [2, 1, 0, -1]]), { shape: [3, 2], replace: false }), 'int32', [[2, 0], [1, 1], [3, 3]]);
  });

  test('permutation and choice', () => {
    same(random.permutation(k0, 5), 'int32', [0, 1, 4, 3, 2]);
    same(random.permutation(k42, jnp.arange(6).reshape([3, 2])), 'int32', [[4, 5], [0, 1], [2, 3]]);
    same(random.permutation(k42, jnp.arange(6).reshape([2, 3]), { axis: 1, independent: true }), 'int32', [[2, 0, 1], [4, 5, 3]]);
    same(random.permutation(k42, 70000).slice([0, 8]), 'int32', [15724, 54494, 67845, 43498, 17508, 47980, 59791, 14122]); // two sort rounds
    same(random.choice(k0, 5, [3]), 'int32', [4, 0, 2]);
    same(random.choice(k42, jnp.arange(12, { dtype: 'float32' }).reshape([3, 4]), [2], { axis: 1 }), 'float32', [[0, 2], [4, 6], [8, 10]]);
    same(random.choice(k42, 10, [4], false), 'int32', [7, 4, 2, 5]);
    same(random.choice(k42, 4, [6], { p: f32([0.1, 0.2, 0.3, 0.4]) }), 'int32', [2, 2, 2, 2, 2, 2]);
    same(random.choice(k42, 4, [3], false, f32([0.1, 0.2, 0.3, 0.4])), 'int32', [3, 2, 1]);
  });
});

describe('x64', () => {
  beforeAll(() => config.update('enableX64', true));
  afterAll(() => config.update('enableX64', false));

  test('64-bit defaults draw 64-bit words', () => {
    same(random.uniform(k0, [3]), 'float64', [0.41845711171638644, 0.21629545460551136, 0.9653214611189975]);
    same(random.normal(k42, [3]), 'float64', [-0.18471174528191162, -2.169824560397754, 0.18693555179382582]);
    same(random.truncatedNormal(k42, -1, 2, [4]), 'float64', [0.01998452592513169, -0.9504476695340623, 0.32827144083703297, 0.693751830608632]);
    same(random.randint(k42, [4], 0, 10), 'int64', [5n, 8n, 3n, 1n]);
    same(random.randint(k42, [3], -(2 ** 40), 2 ** 50), 'int64', [16428379125301n, 961713065416382n, 267319332261015n]);
    same(random.categorical(k0, jnp.zeros([5]), { shape: [4] }), 'int64', [2n, 1n, 3n, 4n]);
    same(random.choice(k0, 5, [3]), 'int64', [0n, 1n, 0n]);
    same(random.permutation(k0, 5), 'int64', [0n, 1n, 4n, 3n, 2n]);
    same(random.bernoulli(k42, 0.5, [4]), 'bool', [true, true, false, false]);
  });
});

describe('transformations', () => {
  test('jit gives the same bits as eager calls', () => {
    const f = (k: Array) => [random.normal(k, [4]), random.randint(k, [4], 0, 10), random.gumbel(k, [4])];
    const eager = f(k0);
    jit(f)(k0).forEach((x, i) => expect(list(x)).toEqual(list(eager[i]!)));
  });

  test('vmap over keys equals stacking the per-key draws', () => {
    const keys = random.split(k0, 4);
    const batched = vmap((k: Array) => random.normal(k, [3]))(keys) as Array;
    same(batched, 'float32', [
      [1.004014253616333, -0.9063372015953064, -0.7481722235679626],
      [-2.442455768585205, -2.0356805324554443, 0.20554423332214355],
      [1.2956359386444092, 1.3550105094909668, -0.40960556268692017],
      [-0.6219435930252075, 0.6248040795326233, 1.6820775270462036],
    ]);
    expect(list(batched)).toEqual([0, 1, 2, 3].map((i) => list(random.normal(keys.slice(i), [3]))));
  });

  test('grad through reparameterised samplers (values from jax.grad)', () => {
    const [, ds] = grad((mu: Array, s: Array) => jnp.sum(jnp.sin(jnp.add(mu, jnp.multiply(s, random.normal(k42, [3]))))), { argnums: [0, 1] })(
      jnp.asarray(0.3, 'float32'),
      jnp.asarray(2, 'float32'),
    ) as Array[];
    expect(ds!.item()).toBe(0.3125799298286438);
    const [, dhi] = grad((lo: Array, hi: Array) => jnp.sum(jnp.square(random.uniform(k42, [3], { minval: lo, maxval: hi }))), { argnums: [0, 1] })(
      jnp.asarray(-1, 'float32'),
      jnp.asarray(2, 'float32'),
    ) as Array[];
    expect(dhi!.item()).toBe(2.91495418548584);
  });
});

describe('errors', () => {
  test('dtypes, shapes and sizes, with JAX messages', () => {
    expect(() => random.uniform(k0, [2], 'int32')).toThrow('dtype argument to `uniform` must be a float dtype, got int32');
    expect(() => random.normal(k0, [2], 'int32')).toThrow('dtype argument to `normal` must be a float or complex dtype, got int32');
    expect(() => random.uniform(k0, [2], { minval: jnp.zeros([3]) })).toThrow('Incompatible shapes for broadcasting: shapes=[(2,), (3,), ()]');
    expect(() => random.randint(k0, [2], 0, 10, 'float32')).toThrow('randint only accepts integer dtypes, got float32');
    expect(() => random.randint(k0, [2], jnp.zeros([3], { dtype: 'int32' }), 10)).toThrow('Incompatible shapes for broadcasting: shapes=[(2,), (3,)');
    expect(() => random.bernoulli(k0, 1, [3])).toThrow('bernoulli probability `p` must have a floating dtype, got int32.');
    expect(() => random.choice(k0, 5, [6], false)).toThrow("Cannot take a larger sample (size 6) than population (size 5) when 'replace=False'");
    expect(() => random.choice(k0, 0, [2])).toThrow('a must be greater than 0 unless no samples are taken');
    expect(() => random.choice(k0, 5, [3], { p: jnp.ones([4]) })).toThrow('p must be None or a 1D vector with the same size as a.shape[axis]. p has shape (4,) and a.shape[axis] is 5.');
    expect(() => random.permutation(k0, 5.5)).toThrow('x must be an integer or at least 1-dimensional');
    expect(() => random.categorical(k0, jnp.zeros([3]), { shape: [4], replace: false })).toThrow('Number of samples without replacement (4) cannot exceed number of categories (3).');
    expect(() => random.multivariateNormal(k0, jnp.zeros([3]), jnp.eye(2))).toThrow('multivariate_normal requires cov.shape == (..., n, n) for n=3, but got cov.shape == (2, 2).');
    expect(() => random.multivariateNormal(k0, jnp.zeros([2]), jnp.eye(2), { method: 'x' as 'svd' })).toThrow("method must be one of {'svd', 'eigh', 'cholesky'}");
    expect(() => random.normal(random.split(k0, 4), [2])).toThrow('normal accepts a single key, but was given a key array of shape (4, 2) != (). Use jax.vmap for batching.');
  });
});

test('randint with uint32: the dtype maximum is exact, so the span is JAX\'s', () => {
  // jax.random.randint(PRNGKey(8), (6,), 0, 100, dtype='uint32') with JAX 0.10.2
  expect(random.randint(random.PRNGKey(8), [6], 0, 100, 'uint32').tolistSync()).toEqual([23, 9, 67, 77, 98, 68]);
  expect(jnp.full([], 2 ** 32 - 1, { dtype: 'uint32' }).item()).toBe(2 ** 32 - 1);
});
