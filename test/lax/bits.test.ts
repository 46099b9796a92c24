// lax.clz and lax.population_count: integer dtypes only, lowered to stablehlo.count_leading_zeros
// and stablehlo.popcnt. Expected values are JAX 0.10.2's.
import { jit, lax, numpy as jnp, vmap, type Array } from '../../lib/index.js';
import { both } from '../helpers/eager_and_jit.js';

const list = (a: Array) => a.tolistSync() as unknown[];
const clz = (a: Array) => lax.clz.bind1([a]);
const popcnt = (a: Array) => lax.populationCount.bind1([a]);

test('clz and population_count on signed and unsigned integers', () => {
  const i32 = jnp.array([0, 1, -1, 5, 2 ** 31 - 1, -(2 ** 31)], { dtype: 'int32' });
  expect(list(both(clz, i32))).toEqual([32, 31, 0, 29, 1, 0]);
  expect(list(both(popcnt, i32))).toEqual([0, 1, 32, 2, 31, 1]);
  const u8 = jnp.array([0, 1, 255, 5], { dtype: 'uint8' });
  expect(both(clz, u8).dtype).toBe('uint8');
  expect(list(both(clz, u8))).toEqual([8, 7, 0, 5]);
  expect(list(both(popcnt, u8))).toEqual([0, 1, 8, 2]);
  const i16 = jnp.array([0, 1, -1, 100], { dtype: 'int16' });
  expect(list(clz(i16))).toEqual([16, 15, 0, 9]);
  expect(list(popcnt(i16))).toEqual([0, 1, 16, 3]);
});

test('weak type is kept; vmap; lowering', () => {
  const w = lax.clz.bind1([jnp.asarray(3)]);
  expect([w.dtype, w.weakType, w.tolistSync()]).toEqual(['int32', true, 30]);
  expect(list(vmap(popcnt, { inAxes: 1 })(jnp.array([[1, 3], [7, -1]], { dtype: 'int32' })))).toEqual([[1, 3], [2, 32]]);
  const text = jit(clz).lower(jnp.array([1], { dtype: 'int32' })).asText();
  expect(text).toContain('stablehlo.count_leading_zeros');
  expect(jit(popcnt).lower(jnp.array([1], { dtype: 'int32' })).asText()).toContain('stablehlo.popcnt');
});

test('errors: integer dtypes only', () => {
  expect(() => clz(jnp.array([1], { dtype: 'float32' }))).toThrow('clz does not accept dtype float32. Accepted dtypes are subtypes of integer.');
  expect(() => popcnt(jnp.array([true]))).toThrow('population_count does not accept dtype bool. Accepted dtypes are subtypes of integer.');
});
