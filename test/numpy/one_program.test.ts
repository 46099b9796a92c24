// jnp.divide, jnp.floor_divide and jnp.frexp run eagerly as one XLA program, as JAX's jitted jnp
// functions do, so their edge values are JAX's (XLA divides by a broadcast divisor as a multiply
// by its reciprocal; 1 / max flushes to zero). Expected values are JAX 0.10.2's.
import { jit, makeJaxpr, numpy as jnp, type Array } from '../../lib/index.js';
import { both } from '../helpers/eager_and_jit.js';

const list = (a: Array) => a.tolistSync() as unknown[];
const MAX = 3.4028234663852886e38;
const TINY = 1.401298464324817e-45;

test('divide and floor_divide at inf / max, 0 / subnormal, max / max', () => {
  const x = jnp.array([Infinity, 0, MAX], { dtype: 'float32' }).reshape([3, 1]);
  const y = jnp.array([MAX, TINY, MAX], { dtype: 'float32' }).reshape([1, 3]);
  expect(list(both(jnp.divide, x, y))).toEqual([[NaN, Infinity, NaN], [0, NaN, 0], [0, Infinity, 0]]);
  expect(list(both(jnp.floorDivide, x, y))).toEqual([[NaN, Infinity, NaN], [0, NaN, 0], [0, Infinity, 0]]);
  // the same shapes (no broadcast): an exact division
  expect(list(jnp.divide(jnp.array([MAX], { dtype: 'float32' }), jnp.array([MAX], { dtype: 'float32' })))).toEqual([1]);
});

test('divide: float16 reciprocals overflow as in JAX', () => {
  const x = jnp.array([0, 6.103515625e-5, 5.960464477539063e-8], { dtype: 'float16' }).reshape([3, 1]);
  const y = jnp.array([5.960464477539063e-8], { dtype: 'float16' }).reshape([1, 1]);
  expect(list(both(jnp.divide, x, y))).toEqual([[NaN], [Infinity], [Infinity]]);
});

test('frexp of subnormals', () => {
  const s = jnp.array([TINY, -TINY, 1e-40, 1, 0, Infinity], { dtype: 'float32' });
  const [m, e] = jnp.frexp(s);
  expect(list(m)).toEqual([0.5, -0.5, 0.5, 0.5, 0, Infinity]);
  expect(list(e)).toEqual([-149, -149, -149, 1, 0, 0]);
  const [mj, ej] = jit((a: Array) => jnp.frexp(a))(s);
  expect([list(mj), list(ej)]).toEqual([list(m), list(e)]);
});

test('scalars stay weak; traced calls inline the ops (no pjit)', () => {
  const q = jnp.divide(3, 2);
  expect([q.dtype, q.weakType, q.tolistSync()]).toEqual(['float32', true, 1.5]);
  const f = jnp.floorDivide(7, -2);
  expect([f.dtype, f.weakType, f.tolistSync()]).toEqual(['int32', true, -4]);
  expect(String(makeJaxpr((a: Array) => jnp.divide(a, 2))(jnp.ones([2])))).not.toContain('pjit');
  expect(() => jnp.floorDivide(jnp.array([1]).astype('complex64'), 1)).toThrow('floor_divide does not support complex-valued inputs');
});
