// The samplers that loop until accepted (gamma by Marsaglia-Tsang, poisson by Knuth or PTRS) and
// those built on gamma, against jax 0.10.2. Each compiles a program with nested while loops, which
// takes XLA seconds (as it does for JAX), so the cases here are few.
import { grad, numpy as jnp, random, vmap, type Array } from '../../lib/index.js';

const list = (x: Array): unknown => x.tolistSync();
const k0 = random.PRNGKey(0);
const k42 = random.PRNGKey(42);
const f32 = (v: number[]) => jnp.array(v, { dtype: 'float32' });

test('gamma: one key per element, boosted below a = 1', () => {
  const g = random.gamma(k42, f32([0.5, 1, 2.5, 10]));
  expect(g.dtype).toBe('float32');
  expect(list(g)).toEqual([0.9994542002677917, 0.33158406615257263, 4.194111347198486, 8.321683883666992]);
});

test('grad through loggamma: implicit reparameterization, as jax.grad gives it', () => {
  const g = grad((a: Array) => jnp.sum(random.loggamma(k42, a)))(f32([0.5, 1, 2.5, 10])) as Array;
  expect(list(g)).toEqual([1.8788070678710938, 1.9101735353469849, 0.3264118731021881, 0.11130493879318237]);
});

test('poisson: Knuth below lambda 10, rejection above, 0 for lambda 0', () => {
  const p = random.poisson(k42, f32([0, 1, 5, 20, 100]));
  expect(p.dtype).toBe('int32');
  expect(list(p)).toEqual([0, 1, 3, 17, 86]);
});

test('vmap over keys: each key loops until its own draws are accepted (as JAX batches while loops)', () => {
  const g = vmap((k: Array) => random.gamma(k, f32([0.5, 3])))(random.split(k0, 3)) as Array;
  expect(list(g)).toEqual([[0.9106432795524597, 1.3623865842819214], [0.2644535303115845, 0.7196905612945557], [0.04064716771245003, 3.461331367492676]]);
});

test('errors', () => {
  expect(() => random.gamma(k0, 1, [2], 'int32')).toThrow('dtype argument to `gamma` must be a float dtype, got int32');
  expect(() => random.gamma(k0, jnp.ones([3]), [2])).toThrow('Incompatible shapes for broadcasting: shapes=[(2,), (3,)]');
  expect(() => random.dirichlet(k0, 1)).toThrow('dirichlet requires alpha.ndim >= 1, got alpha.ndim == 0');
  expect(() => random.beta(k0, jnp.ones([2]), 1, [2], 'float16')).toThrow('In arguments to beta, cannot safely cast argument of type float32 to float16');
  expect(() => random.poisson(k0, 1, [2], 'float32')).toThrow('poisson: dtype must be an integer dtype, got float32');
});
