// Each collective under pmap over 4 CPU devices, and under vmap with the same axis name, against
// Python JAX's values (fixtures.ts).
import { numpy as jnp, jit, vmap, type Array } from '../../lib/index.js';
import { pmap } from '../../lib/api/pmap.js';
import { allGather, allToAll, axisIndex, pmax, pmean, pmin, ppermute, psum, psumScatter } from '../../lib/lax/parallel.js';
import { configureBackends, getBackend } from '../../lib/runtime/registry.js';
import { JAX } from './fixtures.js';

// This file's own CPU client (jest gives each test file fresh modules) gets 4 devices.
configureBackends({ cpuDeviceCount: 4 });

const x = jnp.arange(24, { dtype: 'float32' }).reshape([4, 3, 2]).mul(0.75).sub(7).mul(jnp.array([1, -1], { dtype: 'float32' }));
const xi = jnp.arange(12, { dtype: 'int32' }).reshape([4, 3]).mul(3).sub(10);
const y = jnp.arange(64, { dtype: 'float32' }).reshape([4, 4, 4]).sub(20);
const z = jnp.arange(96, { dtype: 'float32' }).reshape([4, 8, 3]).mul(0.5);

const values = (a: Array): number[] => globalThis.Array.from(a.dataSync() as Float32Array);

function expectJax(out: Array, key: string): void {
  const want = JAX[key]!;
  expect([out.dtype, out.shape]).toEqual([want.dtype, want.shape]);
  expect(values(out)).toEqual(want.data);
}

const ring: [number, number][] = [[0, 1], [1, 2], [2, 3], [3, 0]];
const cases: [string, (v: Array) => Array, Array][] = [
  ['psum', (v) => psum(v, 'i'), x],
  ['psum_int', (v) => psum(v, 'i'), xi],
  ['pmean', (v) => pmean(v, 'i'), x],
  ['pmean_int', (v) => pmean(v, 'i'), xi],
  ['pmax', (v) => pmax(v, 'i'), x],
  ['pmin', (v) => pmin(v, 'i'), xi],
  ['all_gather', (v) => allGather(v, 'i'), x],
  ['all_gather_ax1', (v) => allGather(v, 'i', { axis: 1 }), x],
  ['all_gather_tiled', (v) => allGather(v, 'i', { axis: 1, tiled: true }), x],
  ['all_to_all_00', (v) => allToAll(v, 'i', 0, 0), y],
  ['all_to_all_01', (v) => allToAll(v, 'i', 0, 1), y],
  ['all_to_all_10', (v) => allToAll(v, 'i', 1, 0), y],
  ['all_to_all_tiled', (v) => allToAll(v, 'i', 0, 1, { tiled: true }), z],
  ['ppermute_ring', (v) => ppermute(v, 'i', ring), x],
  ['ppermute_partial', (v) => ppermute(v, 'i', [[0, 2], [1, 3]]), x],
  ['psum_scatter', (v) => psumScatter(v, 'i'), y],
  ['psum_scatter_tiled', (v) => psumScatter(v, 'i', { tiled: true }), z],
  ['axis_index', (v) => axisIndex('i').mul(10).add(v.slice(0, 0).astype('int32')), x],
];

// Eager vmap compiles each operation on its own: only a few cases run that way.
const EAGER = new Set(['psum', 'all_gather_tiled', 'all_to_all_01', 'ppermute_partial', 'psum_scatter_tiled']);

test('the backend has 4 CPU devices', () => {
  expect(getBackend('cpu').devices.map((d) => d.id)).toEqual([0, 1, 2, 3]);
});

describe.each(cases)('%s', (key, f, input) => {
  test('under pmap', () => expectJax(pmap(f, { axisName: 'i' })(input), key));
  test('under vmap with axisName (jitted, and eagerly for some)', () => {
    if (EAGER.has(key)) expectJax(vmap(f, { axisName: 'i' })(input), key);
    expectJax(jit(vmap(f, { axisName: 'i' }))(input), key);
  });
});

test('jit inside vmap with an axis name, and psum over a constant', () => {
  expectJax(vmap((v: Array) => psum(v, 'i').add(axisIndex('i')), { axisName: 'i' })(x), 'vmap_psum_index');
  // psum inside a jit traced under the named vmap: batched when the jit's call is.
  expect(values(vmap((v: Array) => jit((u: Array) => psum(u, 'i'))(v), { axisName: 'i' })(x))).toEqual(JAX.psum!.data);
  expect(vmap(() => psum(1, 'i'), { axisName: 'i', axisSize: 3 })().tolistSync()).toEqual([3, 3, 3]);
  expect(pmap((v: Array) => v.add(psum(1, 'i')), { axisName: 'i' })(xi).slice(0).tolistSync()).toEqual([-6, -3, 0]);
});

test('a pytree of several dtypes is reduced at once (one all_reduce per dtype)', () => {
  const f = (v: Array, w: Array) => psum({ v, w, both: [v.mul(2), 1] }, 'i');
  const out = pmap(f, { axisName: 'i' })(x, xi) as { v: Array; w: Array; both: [Array, Array] };
  expectJax(out.v, 'psum');
  expectJax(out.w, 'psum_int');
  expect(values(out.both[0])).toEqual(JAX.psum!.data.map((e) => 2 * e));
  expect(out.both[1].tolistSync()).toEqual([4, 4, 4, 4]);
  const viaVmap = vmap(f, { axisName: 'i' })(x, xi) as { v: Array; w: Array };
  expectJax(viaVmap.v, 'psum');
  expectJax(viaVmap.w, 'psum_int');
});

test('collectives over another axis pass through an inner vmap', () => {
  // vmap over the rows inside pmap: psum still sums over devices, per row.
  const f = pmap((v: Array) => vmap((r: Array) => psum(r, 'i'))(v), { axisName: 'i' });
  expectJax(f(x), 'psum');
  // and a named vmap inside pmap: sum over 'j' (rows), then over 'i' (devices).
  const g = pmap((v: Array) => vmap((r: Array) => psum(psum(r, 'j'), 'i'), { axisName: 'j' })(v), { axisName: 'i' });
  const want = x.sum([0, 1]);
  expect(values(g(x).slice(0, 0))).toEqual(values(want));
});

test('unbound axis names', () => {
  expect(() => psum(x, 'i')).toThrow('unbound axis name: i');
  expect(() => pmap((v: Array) => psum(v, 'j'), { axisName: 'i' })(x)).toThrow('unbound axis name: j');
  expect(() => vmap((v: Array) => axisIndex('k'), { axisName: 'i' })(x)).toThrow('unbound axis name: k');
  expect(() => pmap((v: Array) => allToAll(v, 'i', 0, 0), { axisName: 'i' })(x)).toThrow(
    'all_to_all requires the size of the mapped axis axis_name to equal x.shape[split_axis], but they are 4 and 3 respectively.',
  );
});

test('axisIndex and psum inside a jit under a named vmap', () => {
  const v = jnp.arange(8, { dtype: 'float32' }).reshape([4, 2]);
  expect(vmap(jit((r: Array) => r.add(axisIndex('j'))), { axisName: 'j' })(v).tolistSync()).toEqual([[0, 1], [3, 4], [6, 7], [9, 10]]);
  expect(vmap(jit((r: Array) => psum(r, 'j')), { axisName: 'j' })(v).tolistSync()).toEqual([[12, 16], [12, 16], [12, 16], [12, 16]]);
});
