// Sharded jit on 4 CPU devices: Mesh, NamedSharding with PartitionSpecs, devicePut, and jit
// partitioned by XLA's SPMD partitioner (GSPMD) from mhlo.sharding annotations.
import { numpy as jnp, jit, type Array } from '../../lib/index.js';
import { Mesh, makeMesh } from '../../lib/sharding/mesh.js';
import { NamedSharding } from '../../lib/sharding/named_sharding.js';
import { P } from '../../lib/sharding/partition_spec.js';
import { ShardedArray } from '../../lib/sharding/sharded_array.js';
import { withShardingConstraint } from '../../lib/sharding/constraint.js';
import { devicePut, shardedJit, shardingOf } from '../../lib/sharding/sharded_jit.js';
import { configureBackends, getBackend } from '../../lib/runtime/registry.js';

configureBackends({ cpuDeviceCount: 4 });

const mesh = makeMesh([2, 2], ['x', 'y']);
const a = jnp.arange(32, { dtype: 'float32' }).reshape([8, 4]);

test('NamedSharding: tiles and HLO sharding text', () => {
  expect(new NamedSharding(mesh, P('x', 'y')).hloSharding(2)).toBe('{devices=[2,2]0,1,2,3}');
  expect(new NamedSharding(mesh, P('y', 'x')).hloSharding(2)).toBe('{devices=[2,2]0,2,1,3}');
  expect(new NamedSharding(mesh, P('x')).hloSharding(2)).toBe('{devices=[2,1,2]0,1,2,3 last_tile_dim_replicate}');
  expect(new NamedSharding(mesh, P(null, 'x')).hloSharding(2)).toBe('{devices=[1,2,2]0,1,2,3 last_tile_dim_replicate}');
  expect(new NamedSharding(mesh, P(['x', 'y'])).hloSharding(1)).toBe('{devices=[4]0,1,2,3}');
  expect(new NamedSharding(mesh, P()).hloSharding(2)).toBe('{replicated}');
  expect(() => new NamedSharding(mesh, P('z'))).toThrow("Resource axis: z of the partition spec is not found in mesh");
});

test('devicePut splits an array into per-device blocks', () => {
  const s = new NamedSharding(mesh, P('x', 'y'));
  const placed = devicePut(a, s) as ShardedArray;
  expect(shardingOf(placed)).toBe(s);
  const shards = placed.addressableShards;
  expect(shards.map((sh) => sh.device.id)).toEqual([0, 1, 2, 3]);
  expect(shards.map((sh) => sh.index)).toEqual([[[0, 4], [0, 2]], [[0, 4], [2, 4]], [[4, 8], [0, 2]], [[4, 8], [2, 4]]]);
  expect(shards[1]!.data.tolistSync()).toEqual([[2, 3], [6, 7], [10, 11], [14, 15]]);
  expect(placed.tolistSync()).toEqual(a.tolistSync());
  expect(placed.sum().item()).toBe(496);
  expect(() => devicePut(jnp.ones([3, 4]), s)).toThrow('should be divisible by 2, but it is equal to 3');
});

test('jit with NamedSharding inputs and outputs runs partitioned and matches the unsharded result', () => {
  const f = (u: Array, w: Array) => jnp.tanh(jnp.dot(u, w)).add(1);
  const w = jnp.arange(24, { dtype: 'float32' }).reshape([4, 6]).mul(0.01);
  const g = shardedJit(f, {
    inShardings: [new NamedSharding(mesh, P('x', null)), new NamedSharding(mesh, P(null, 'y'))],
    outShardings: new NamedSharding(mesh, P('x', 'y')),
  });
  const text = g.lower(a, w).asText();
  expect(text).toContain('mhlo.num_partitions = 4 : i32');
  expect(text).toContain('mhlo.sharding = "{devices=[2,1,2]0,1,2,3 last_tile_dim_replicate}"');
  expect(text).toContain('mhlo.sharding = "{devices=[1,2,2]0,2,1,3 last_tile_dim_replicate}"');
  expect(text).toContain('-> (tensor<8x6xf32> {mhlo.sharding = "{devices=[2,2]0,1,2,3}"})');
  // The compiled program computes one [4, 3] block of the output per device.
  const exe = g.lower(a, w).compile();
  expect(exe.devices.length).toBe(4);
  expect(exe.outputTypes.map((t) => t.shape)).toEqual([[4, 3]]);
  const out = g(a, w) as ShardedArray;
  expect(out.addressableShards.map((s) => s.data.shape)).toEqual([[4, 3], [4, 3], [4, 3], [4, 3]]);
  const want = jit(f)(a, w);
  const got = out.dataSync();
  want.dataSync().forEach((v, i) => expect(Math.abs((got[i] as number) - (v as number))).toBeLessThan(1e-6));
  // The same through jit's own options.
  const viaJit = jit(f, { inShardings: [new NamedSharding(mesh, P('x', null)), new NamedSharding(mesh, P(null, 'y'))], outShardings: new NamedSharding(mesh, P('x', 'y')) });
  expect(viaJit(a, w).tolistSync()).toEqual(out.tolistSync());
  expect(() => jit(f, { outShardings: new NamedSharding(mesh, P()), staticArgnums: 1 } as never)).toThrow('staticArgnums cannot be combined with inShardings/outShardings');
});

test('withShardingConstraint inside a sharded jit, replicated outputs by default', () => {
  const s = new NamedSharding(mesh, P('x', 'y'));
  const g = shardedJit((u: Array) => withShardingConstraint(u.mul(2), new NamedSharding(mesh, P(null, 'x'))).sum(0), { inShardings: [s] });
  expect(g.lower(a).asText()).toContain('call_target_name = "Sharding", mhlo.sharding = "{devices=[1,2,2]0,1,2,3 last_tile_dim_replicate}"');
  const out = g(a) as ShardedArray;
  expect(out.tolistSync()).toEqual([224, 240, 256, 272]);
  expect(out.addressableShards.map((sh) => sh.data.shape)).toEqual([[4], [4], [4], [4]]);
});

test('mismatched shardings', () => {
  const devices = getBackend('cpu').devices;
  const other = new Mesh([devices[2]!, devices[3]!], [2], ['x']);
  const mine = new Mesh([devices[0]!, devices[1]!], [2], ['x']);
  const g = shardedJit((u: Array, w: Array) => u.add(w), { inShardings: [new NamedSharding(mine, P('x')), new NamedSharding(other, P('x'))] });
  expect(() => g(jnp.ones([4]), jnp.ones([4]))).toThrow('Received incompatible devices for jitted computation');
});
