// An array whose data lives in pieces on several devices (pmap's outputs): one shard per device
// along one axis, or the same value on each (replicated). Reading it, or using it in an ordinary
// (single-device) operation, assembles the whole value; pmap takes the shards as they are.
import { ArrayImpl } from '../core/array_impl.js';
import { ShapedArray } from '../core/aval.js';
import { userView } from '../core/host.js';
import type { Device } from '../runtime/device.js';
import type { DeviceBuffer } from '../runtime/device_buffer.js';
import { hostView, type HostArray } from '../runtime/element_types.js';

const EMPTY = new Uint8Array(0);

/** One device's piece of a sharded array, as `jax.Shard`. */
export interface Shard {
  device: Device;
  /** The `[start, stop)` range this shard holds along each dimension. */
  index: [number, number][];
  data: ArrayImpl;
}

/**
 * How the shards tile the array: `tiles[d]` equal blocks along dimension d, and shard i holds the
 * block at coordinates `blocks[i]` (shards holding the same block are replicas).
 */
export interface ShardLayout {
  tiles: number[];
  blocks: number[][];
}

/** The layout of `n` shards split along `axis` (null: n replicas) of an `ndim`-array. */
export function axisLayout(ndim: number, axis: number | null, n: number): ShardLayout {
  const tiles = globalThis.Array.from({ length: ndim }, (_, d) => (d === axis ? n : 1));
  return { tiles, blocks: globalThis.Array.from({ length: n }, (_, i) => tiles.map((_, d) => (d === axis ? i : 0))) };
}

/** Copies the block of `blockShape` at `start` between a whole array's bytes and a block's bytes. */
export function copyBlock(whole: Uint8Array, shape: readonly number[], block: Uint8Array, start: readonly number[], blockShape: readonly number[], itemBytes: number, intoWhole: boolean): void {
  const ndim = shape.length;
  if (ndim === 0 || blockShape.some((d) => d === 0)) {
    if (ndim === 0) (intoWhole ? whole : block).set((intoWhole ? block : whole).subarray(0, itemBytes));
    return;
  }
  const strides = new globalThis.Array<number>(ndim).fill(itemBytes);
  for (let d = ndim - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!;
  const run = blockShape[ndim - 1]! * itemBytes;
  const rows = prod(blockShape.slice(0, -1));
  const index = new globalThis.Array<number>(ndim - 1).fill(0);
  for (let r = 0; r < rows; r++) {
    let offset = start[ndim - 1]! * itemBytes;
    for (let d = 0; d < ndim - 1; d++) offset += (start[d]! + index[d]!) * strides[d]!;
    if (intoWhole) whole.set(block.subarray(r * run, (r + 1) * run), offset);
    else block.set(whole.subarray(offset, offset + run), r * run);
    for (let d = ndim - 2; d >= 0; d--) {
      if (++index[d]! < blockShape[d]!) break;
      index[d] = 0;
    }
  }
}

const asBytes = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** The raw (device-layout) bytes of `pieces`, each holding a block of `axis`, joined along it. */
export function joinAlong(pieces: Uint8Array[], pieceShape: readonly number[], axis: number): Uint8Array {
  const outer = prod(pieceShape.slice(0, axis));
  const total = pieces.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  const block = outer === 0 ? 0 : pieces[0]!.byteLength / outer;
  let offset = 0;
  for (let o = 0; o < outer; o++) {
    for (const p of pieces) {
      out.set(p.subarray(o * block, (o + 1) * block), offset);
      offset += block;
    }
  }
  return out;
}

/** Raw bytes of `data` (of `shape`) split into `n` equal blocks along `axis`. */
export function splitAlong(data: ArrayBufferView, shape: readonly number[], axis: number, n: number): Uint8Array[] {
  const bytes = asBytes(data);
  const outer = prod(shape.slice(0, axis));
  const pieces = globalThis.Array.from({ length: n }, () => new Uint8Array(bytes.byteLength / n));
  const row = outer === 0 ? 0 : bytes.byteLength / outer;
  const block = row / n;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) pieces[i]!.set(bytes.subarray(o * row + i * block, o * row + (i + 1) * block), o * block);
  }
  return pieces;
}

export class ShardedArray extends ArrayImpl {
  readonly #shards: ArrayImpl[];
  readonly #axis: number | null | undefined;
  readonly #layout: ShardLayout;
  readonly #gathered = new Map<Device, DeviceBuffer>();
  #released = false;

  /**
   * @internal From per-device buffers: equal blocks of `axis` in device order, (axis null) the
   * same value on each device, or tiles as `layout` says.
   */
  constructor(aval: ShapedArray, buffers: DeviceBuffer[], layout: number | null | ShardLayout) {
    super(aval, EMPTY);
    const general = typeof layout === 'object' && layout !== null;
    this.#layout = general ? layout : axisLayout(aval.ndim, layout, buffers.length);
    this.#axis = general ? undefined : layout;
    this.#shards = buffers.map((b) => new ArrayImpl(new ShapedArray(b.shape, aval.dtype, aval.weakType), b));
  }

  /** The axis split across the shards in device order (pmap's layout), null when replicated, undefined for other tilings. */
  get shardAxis(): number | null | undefined {
    return this.#axis;
  }

  /** How the shards tile the array. */
  get layout(): ShardLayout {
    return this.#layout;
  }

  /** The devices holding the shards, in order. */
  get devices(): Device[] {
    return this.#shards.map((s) => s.device);
  }

  /** The shards, one per device, as `jax.Array.addressable_shards`. */
  get addressableShards(): Shard[] {
    this.live('addressableShards');
    const { tiles, blocks } = this.#layout;
    return this.#shards.map((data, i) => ({
      device: data.device,
      index: this.shape.map((size, d): [number, number] => [(blocks[i]![d]! * size) / tiles[d]!, ((blocks[i]![d]! + 1) * size) / tiles[d]!]),
      data,
    }));
  }

  /** @internal The per-device buffers. */
  shardBuffers(): DeviceBuffer[] {
    this.live('use');
    return this.#shards.map((s) => s.buffer());
  }

  override get isDisposed(): boolean {
    return this.#released;
  }

  override get device(): Device {
    return this.#shards[0]!.device;
  }

  override get hostData(): HostArray | undefined {
    return undefined;
  }

  /** The whole value on `device` (assembled once per device and kept). */
  override buffer(device?: Device): DeviceBuffer {
    this.live('use');
    const target = device ?? this.device;
    if (this.#layout.tiles.every((t) => t === 1)) {
      const own = this.#shards.find((s) => s.device === target);
      if (own) return own.buffer();
    }
    let hit = this.#gathered.get(target);
    if (!hit) {
      hit = target.backend.bufferFromHost(this.rawHost(), this.dtype, this.shape, target);
      this.#gathered.set(target, hit);
    }
    return hit;
  }

  /** One shard per distinct block (replicas are read once). */
  private distinct(): number[] {
    const seen = new Set<string>();
    return this.#layout.blocks.flatMap((b, i) => (seen.has(b.join()) ? [] : (seen.add(b.join()), [i])));
  }

  private assemble(pieces: Map<number, Uint8Array>): Uint8Array {
    if (this.#layout.tiles.every((t) => t === 1)) return pieces.values().next().value!;
    if (this.#axis !== null && this.#axis !== undefined) return joinAlong([...pieces.values()], this.#shards[0]!.shape, this.#axis);
    const blockShape = this.#shards[0]!.shape;
    const total = [...pieces.values()].reduce((n, p) => n + p.byteLength, 0);
    const whole = new Uint8Array(total);
    const itemBytes = this.size === 0 ? 1 : total / this.size;
    for (const [i, bytes] of pieces) {
      const start = this.#layout.blocks[i]!.map((b, d) => b * blockShape[d]!);
      copyBlock(whole, this.shape, bytes, start, blockShape, itemBytes, true);
    }
    return whole;
  }

  private rawHost(): Uint8Array {
    return this.assemble(new Map(this.distinct().map((i) => [i, asBytes(this.#shards[i]!.buffer().toHostSync())])));
  }

  private async rawHostAsync(): Promise<Uint8Array> {
    const ids = this.distinct();
    const bytes = await Promise.all(ids.map(async (i) => asBytes(await this.#shards[i]!.buffer().toHost())));
    return this.assemble(new Map(ids.map((i, k) => [i, bytes[k]!])));
  }

  private typed(bytes: Uint8Array): HostArray {
    const aligned = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
    return userView(this.dtype, hostView(this.dtype, aligned.buffer as ArrayBuffer, aligned.byteOffset, aligned.byteLength));
  }

  override async data(): Promise<HostArray> {
    this.live('data');
    return this.typed(await this.rawHostAsync());
  }

  override dataSync(): HostArray {
    this.live('dataSync');
    return this.typed(this.rawHost());
  }

  override async blockUntilReady(): Promise<this> {
    await Promise.all(this.#shards.map((s) => s.blockUntilReady()));
    return this;
  }

  override blockUntilReadySync(): this {
    for (const s of this.#shards) s.blockUntilReadySync();
    return this;
  }

  override dispose(): void {
    if (this.#released) return;
    this.#released = true;
    for (const s of this.#shards) s.dispose();
    for (const b of this.#gathered.values()) b.dispose();
    this.#gathered.clear();
  }

  override toString(): string {
    if (this.#released) return `Array(<disposed>, dtype=${this.dtype})`;
    return super.toString();
  }

  private live(what: string): void {
    if (this.#released) throw new Error(`${what}: this array has been disposed (shape ${JSON.stringify(this.shape)}, dtype ${this.dtype})`);
  }
}
