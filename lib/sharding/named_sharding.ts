// NamedSharding: an array laid out on a mesh by a PartitionSpec, and its HLO sharding text.
import type { Device } from '../runtime/device.js';
import type { Mesh } from './mesh.js';
import type { PartitionSpec } from './partition_spec.js';
import type { ShardLayout } from './sharded_array.js';

export class NamedSharding {
  constructor(
    readonly mesh: Mesh,
    readonly spec: PartitionSpec,
  ) {
    const used = spec.entries.flatMap((_, d) => spec.axesOf(d));
    for (const name of used) mesh.axisSize(name); // unknown names throw
    if (new Set(used).size !== used.length) throw new Error(`A mesh axis appears twice in ${spec}`);
  }

  /** The devices, in the mesh's (partition) order. */
  get devices(): readonly Device[] {
    return this.mesh.devices;
  }

  /** How many blocks each dimension of an `ndim`-array is split into. */
  tiles(ndim: number): number[] {
    if (this.spec.entries.length > ndim) throw new Error(`${this.spec} has more entries than the array has dimensions (${ndim})`);
    return globalThis.Array.from({ length: ndim }, (_, d) => this.spec.axesOf(d).reduce((n, a) => n * this.mesh.axisSize(a), 1));
  }

  /** The block each device (in mesh order) holds. */
  layout(ndim: number): ShardLayout {
    const tiles = this.tiles(ndim);
    const blocks = this.mesh.devices.map((_, p) => {
      const coords = this.mesh.coords(p);
      return tiles.map((_, d) =>
        this.spec.axesOf(d).reduce((index, name) => index * this.mesh.axisSize(name) + coords[this.mesh.axisNames.indexOf(name)]!, 0),
      );
    });
    return { tiles, blocks };
  }

  /** The shape of each device's block of an array of `shape`, with JAX's divisibility error. */
  shardShape(shape: readonly number[]): number[] {
    const tiles = this.tiles(shape.length);
    return shape.map((size, d) => {
      if (size % tiles[d]! !== 0) {
        throw new Error(
          `One of pjit arguments with pytree key path args was given the sharding of ${this}, which implies that the global size of its dimension ${d} should be divisible by ${tiles[d]}, but it is equal to ${size} (full shape: ${JSON.stringify(shape)})`,
        );
      }
      return size / tiles[d]!;
    });
  }

  /**
   * XLA's HloSharding text for an `ndim`-array, with devices named by their partition (their
   * position in the mesh): `{replicated}`, `{devices=[2,1]0,1}`, or with replicas
   * `{devices=[2,1,2]0,1,2,3 last_tile_dim_replicate}`.
   */
  hloSharding(ndim: number): string {
    const { tiles, blocks } = this.layout(ndim);
    const n = this.mesh.size;
    const tileCount = tiles.reduce((a, b) => a * b, 1);
    if (tileCount === 1) return '{replicated}';
    const replicas = n / tileCount;
    const order = new globalThis.Array<number>(n);
    const seen = new Map<number, number>();
    blocks.forEach((b, p) => {
      const flat = b.reduce((acc, c, d) => acc * tiles[d]! + c, 0);
      const r = seen.get(flat) ?? 0;
      seen.set(flat, r + 1);
      order[flat * replicas + r] = p;
    });
    const dims = replicas > 1 ? [...tiles, replicas] : tiles;
    return `{devices=[${dims.join(',')}]${order.join(',')}${replicas > 1 ? ' last_tile_dim_replicate' : ''}}`;
  }

  toString(): string {
    return `NamedSharding(mesh=${this.mesh}, spec=${this.spec})`;
  }
}
