// jnp.pad's modes other than 'constant'. Expected values are JAX 0.10.2's (jnp.pad in Python).
import { jit, numpy as jnp, type Array } from '../../lib/index.js';
import { both } from '../helpers/eager_and_jit.js';

const list = (a: Array) => a.tolistSync() as unknown[];
const x = jnp.arange(5, { dtype: 'int32' });
const y = jnp.array([[1, 2.5, 4], [0.5, -1, 3]], { dtype: 'float32' });
const padded = (mode: string, options: Record<string, unknown> = {}) => (a: Array) => jnp.pad(a, [7, 3], { mode, ...options });

test('edge, wrap, reflect, symmetric (even and odd), empty', () => {
  expect(list(both(padded('edge'), x))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 4, 4, 4]);
  expect(list(both(padded('wrap'), x))).toEqual([3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2]);
  expect(list(both(padded('reflect'), x))).toEqual([1, 2, 3, 4, 3, 2, 1, 0, 1, 2, 3, 4, 3, 2, 1]);
  expect(list(both(padded('symmetric'), x))).toEqual([3, 4, 4, 3, 2, 1, 0, 0, 1, 2, 3, 4, 4, 3, 2]);
  expect(list(both(padded('reflect', { reflectType: 'odd' }), x))).toEqual([-7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7]);
  expect(list(both(padded('symmetric', { reflectType: 'odd' }), x))).toEqual([-5, -4, -4, -3, -2, -1, 0, 0, 1, 2, 3, 4, 4, 5, 6]);
  expect(list(both(padded('empty'), x))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0]);
  expect(list(jnp.pad(jnp.array([3], { dtype: 'int32' }), 2, { mode: 'reflect' }))).toEqual([3, 3, 3, 3, 3]);
});

test('statistics: maximum, minimum, mean (rounded for ints), median, with stat_length', () => {
  expect(list(both(padded('maximum'), x))).toEqual([4, 4, 4, 4, 4, 4, 4, 0, 1, 2, 3, 4, 4, 4, 4]);
  expect(list(both(padded('minimum', { statLength: 2 }), x))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 3, 3, 3]);
  expect(list(both(padded('mean'), x))).toEqual([2, 2, 2, 2, 2, 2, 2, 0, 1, 2, 3, 4, 2, 2, 2]);
  expect(list(both(padded('median', { statLength: [1, 3] }), x))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 3, 3, 3]);
  expect(list(jnp.pad(jnp.array([1, 2, 4], { dtype: 'int32' }), 2, { mode: 'mean' }))).toEqual([2, 2, 1, 2, 4, 2, 2]);
});

test('2-D float arrays, axis by axis', () => {
  const p = [[1, 2], [2, 1]];
  expect(list(both((a) => jnp.pad(a, p, { mode: 'reflect' }), y))).toEqual([
    [3, -1, 0.5, -1, 3, -1], [4, 2.5, 1, 2.5, 4, 2.5], [3, -1, 0.5, -1, 3, -1], [4, 2.5, 1, 2.5, 4, 2.5], [3, -1, 0.5, -1, 3, -1],
  ]);
  expect(list(both((a) => jnp.pad(a, p, { mode: 'symmetric', reflectType: 'odd' }), y))).toEqual([
    [-0.5, 1, 1, 2.5, 4, 4], [-0.5, 1, 1, 2.5, 4, 4], [2, 0.5, 0.5, -1, 3, 3], [2, 0.5, 0.5, -1, 3, 3], [4.5, 0, 0, -4.5, 2, 2],
  ]);
  expect(list(jnp.pad(y, p, { mode: 'wrap' }))).toEqual([
    [-1, 3, 0.5, -1, 3, 0.5], [2.5, 4, 1, 2.5, 4, 1], [-1, 3, 0.5, -1, 3, 0.5], [2.5, 4, 1, 2.5, 4, 1], [-1, 3, 0.5, -1, 3, 0.5],
  ]);
  const m = jnp.pad(y, p, { mode: 'mean' });
  expect([m.dtype, m.weakType]).toEqual(['float32', false]);
  expect((m.tolistSync() as number[][])[2]).toEqual([0.8333333730697632, 0.8333333730697632, 0.5, -1, 3, 0.8333333730697632]);
  expect(Math.fround((m.tolistSync() as number[][])[0]![0]!)).toBe(Math.fround(1.6666667461395264));
  const w = jnp.pad(2.5, 2, { mode: 'reflect' });
  expect([w.shape, w.weakType]).toEqual([[], true]);
  expect(jit((a: Array) => jnp.pad(a, 1, { mode: 'edge' }))(y).shape).toEqual([4, 5]);
});

test('linear_ramp: to the edges from end_values (floored for ints), float32 and float16 bits', () => {
  expect(list(both(padded('linear_ramp'), x))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 2, 1, 0]);
  expect(list(both(padded('linear_ramp', { endValues: [10, -3] }), x))).toEqual([10, 8, 7, 5, 4, 2, 1, 0, 1, 2, 3, 4, 1, -1, -3]);
  expect(list(jnp.pad(x, [1, 0], { mode: 'linear_ramp', endValues: [10, -3] }))).toEqual([10, 0, 1, 2, 3, 4]);
  const r = both((a) => jnp.pad(a, [[1, 2], [3, 1]], { mode: 'linear_ramp', endValues: [[0.5, 1.5], [-2.25, 7]] }), y);
  expect([r.dtype, r.weakType]).toEqual(['float32', false]);
  const f32 = (rows: number[][]) => rows.map((row) => row.map(Math.fround));
  expect(r.tolistSync()).toEqual(f32([
    [-2.25, -1.3333332538604736, -0.41666659712791443, 0.5, 0.5, 0.5, 7],
    [-2.25, -1.1666665077209473, -0.08333325386047363, 1, 2.5, 4, 7],
    [-2.25, -1.3333332538604736, -0.41666659712791443, 0.5, -1, 3, 7],
    [-2.25, -1.1666665077209473, -0.08333325386047363, 1, 0.25, 2.25, 7],
    [-2.25, -0.9999998807907104, 0.25000008940696716, 1.5, 1.5, 1.5, 7],
  ]));
  const h = jnp.pad(y.astype('float16'), [[0, 0], [5, 0]], { mode: 'linear_ramp', endValues: 0.3 });
  expect(h.tolistSync()).toEqual([
    [0.300048828125, 0.43994140625, 0.580078125, 0.7197265625, 0.85986328125, 1, 2.5, 4],
    [0.300048828125, 0.33984375, 0.3798828125, 0.419921875, 0.4599609375, 0.5, -1, 3],
  ]);
});

test("errors as JAX's", () => {
  const empty = jnp.zeros([0, 2]);
  expect(() => jnp.pad(empty, 1, { mode: 'edge' })).toThrow("Cannot apply 'edge' padding to empty axis");
  expect(() => jnp.pad(empty, 1, { mode: 'reflect' })).toThrow("Cannot apply 'reflect' padding to empty axis");
  expect(() => jnp.pad(x, 1, { mode: 'edge', constantValues: 2 })).toThrow("unsupported keyword arguments for mode 'edge': {'constant_values'}");
  expect(() => jnp.pad(x, 1, { mode: 'foo' })).toThrow("Unimplemented padding mode 'foo' for np.pad.");
  expect(() => jnp.pad(x, 1, { mode: 'mean', statLength: 0 })).toThrow('stat_length of 0 yields no value for padding');
});

test('constant values that JSON cannot tell apart (±Infinity, NaN) compile apart', () => {
  const f = jnp.array([1], { dtype: 'float32' });
  expect(list(jnp.pad(f, 1, { constantValues: Infinity }))).toEqual([Infinity, 1, Infinity]);
  expect(list(jnp.pad(f, 1, { constantValues: -Infinity }))).toEqual([-Infinity, 1, -Infinity]);
  expect(list(jnp.pad(f, 1, { constantValues: NaN }))).toEqual([NaN, 1, NaN]);
});
