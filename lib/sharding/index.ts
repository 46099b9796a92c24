// Many devices: meshes, shardings, sharded arrays, sharded jit (re-exported from the package root).
export { Mesh, makeMesh } from './mesh.js';
export { NamedSharding } from './named_sharding.js';
export { P, PartitionSpec, type SpecEntry } from './partition_spec.js';
export { ShardedArray, type Shard, type ShardLayout } from './sharded_array.js';
export { devicePut, shardedJit, shardingOf, type ShardedJitOptions, type ShardedJitted } from './sharded_jit.js';
export { withShardingConstraint } from './constraint.js';
