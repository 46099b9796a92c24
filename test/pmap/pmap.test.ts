// pmap over 4 CPU devices: mapping and broadcasting arguments, sharded outputs, static
// arguments, donation, composition with jit and vmap, JAX's errors.
import { numpy as jnp, jit, vmap, type Array } from '../../lib/index.js';
import { pmap, ShardedArray } from '../../lib/api/pmap.js';
import { axisIndex, psum } from '../../lib/lax/parallel.js';
import { configureBackends, getBackend } from '../../lib/runtime/registry.js';

configureBackends({ cpuDeviceCount: 4 });

const x = jnp.arange(8, { dtype: 'float32' }).reshape([4, 2]);

test('outputs are sharded across the devices, one slice each', () => {
  const out = pmap((v: Array) => v.mul(2))(x);
  expect(out).toBeInstanceOf(ShardedArray);
  expect(out.shape).toEqual([4, 2]);
  expect(out.tolistSync()).toEqual([[0, 2], [4, 6], [8, 10], [12, 14]]);
  const shards = (out as ShardedArray).addressableShards;
  expect(shards.map((s) => s.device.id)).toEqual([0, 1, 2, 3]);
  expect(shards.map((s) => s.index)).toEqual([0, 1, 2, 3].map((i) => [[i, i + 1], [0, 2]]));
  expect(shards[2]!.data.tolistSync()).toEqual([8, 10]);
  // Eager operations gather the value onto one device.
  expect(out.sum().item()).toBe(56);
  expect(jit((a: Array) => a.add(1))(out).tolistSync()).toEqual([[1, 3], [5, 7], [9, 11], [13, 15]]);
});

test('a smaller mapped axis uses the first devices; sharded outputs feed the next pmap in place', () => {
  const f = pmap((v: Array) => v.add(psum(v, 'i')), { axisName: 'i' });
  const two = f(jnp.array([1, 2], { dtype: 'float32' })) as ShardedArray;
  expect(two.devices.map((d) => d.id)).toEqual([0, 1]);
  expect(two.tolistSync()).toEqual([4, 5]);
  const again = f(two);
  expect(again.tolistSync()).toEqual([13, 14]);
});

test('explicit devices, in any order', () => {
  const reversed = [...getBackend('cpu').devices].reverse();
  const out = pmap((v: Array) => v.add(axisIndex('i').astype('float32').mul(10)), { axisName: 'i', devices: reversed, backend: 'cpu' })(jnp.ones([4])) as ShardedArray;
  expect(out.devices.map((d) => d.id)).toEqual([3, 2, 1, 0]);
  expect(out.tolistSync()).toEqual([1, 11, 21, 31]);
});

test('inAxes, outAxes, pytrees, static and broadcast arguments', () => {
  const f = pmap((a: { u: Array; w: Array }, scale: number) => [a.u.mul(a.w).mul(scale), psum(a.u, 'i')], {
    axisName: 'i',
    inAxes: [{ u: 1, w: null }, null],
    outAxes: [1, null],
    staticBroadcastedArgnums: [1],
  });
  const u = jnp.arange(8, { dtype: 'float32' }).reshape([2, 4]);
  const w = jnp.array([1, 10], { dtype: 'float32' });
  const [prod, total] = f({ u, w }, 3) as [Array, Array];
  expect(prod.tolistSync()).toEqual([[0, 3, 6, 9], [120, 150, 180, 210]]);
  expect(total.tolistSync()).toEqual([6, 22]);
  const [prod2] = f({ u, w }, 1) as [Array, Array];
  expect(prod2.tolistSync()).toEqual([[0, 1, 2, 3], [40, 50, 60, 70]]);
});

test('jit inside pmap, and vmap of pmap', () => {
  const inner = jit((v: Array) => psum(v.mul(v), 'i'));
  expect(pmap((v: Array) => inner(v), { axisName: 'i' })(x).tolistSync()).toEqual([[56, 84], [56, 84], [56, 84], [56, 84]]);
  const batched = vmap(pmap((v: Array) => psum(v, 'i'), { axisName: 'i' }), { inAxes: 1 });
  expect(batched(x).tolistSync()).toEqual([[12, 12, 12, 12], [16, 16, 16, 16]]);
});

test('a named vmap around pmap: collectives over either axis', () => {
  // rows of m go to the vmap (axis 'j'), columns to the devices (axis 'i').
  const m = jnp.arange(8, { dtype: 'float32' }).reshape([2, 4]);
  const f = vmap(pmap((v: Array) => [psum(v, 'i'), psum(v, 'j')], { axisName: 'i' }), { axisName: 'j' });
  const [overDevices, overRows] = f(m) as [Array, Array];
  expect(overDevices.tolistSync()).toEqual([[6, 6, 6, 6], [22, 22, 22, 22]]);
  expect(overRows.tolistSync()).toEqual([[4, 6, 8, 10], [4, 6, 8, 10]]);
});

test('donated arguments', () => {
  const f = pmap((v: Array) => v.add(1), { donateArgnums: 0 });
  const a = f(x) as ShardedArray;
  const b = f(a); // a's shards are reused in place and donated
  expect(b.tolistSync()).toEqual([[2, 3], [4, 5], [6, 7], [8, 9]]);
  expect(() => a.dataSync()).toThrow('donated');
});

test("JAX's errors", () => {
  expect(getBackend('cpu').devices.length).toBe(4);
  expect(() => pmap((v: Array) => v)(jnp.ones([5, 3]))).toThrow(
    'compiling computation that requires 5 logical devices, but only 4 XLA devices are available (num_replicas=5)',
  );
  expect(() => pmap((v: Array, w: Array) => v.add(w))(jnp.ones([4, 3]), jnp.ones([2, 3]))).toThrow('pmap got inconsistent sizes for array axes to be mapped');
  expect(() => pmap((v: Array) => v, { devices: getBackend('cpu').devices.slice(0, 2) })(jnp.ones([4]))).toThrow(
    'Leading axis size of input to pmapped function must equal the number of local devices passed to pmap. Got axis_size=4, num_local_devices=2.',
  );
  // Nested pmaps need the product of their sizes in devices.
  expect(() => pmap((v: Array) => pmap((u: Array) => u)(v))(jnp.ones([4, 2]))).toThrow(
    'compiling computation that requires 8 logical devices, but only 4 XLA devices are available (num_replicas=8)',
  );
});
