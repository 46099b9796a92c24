// A concrete array: data on a device (or, for constants not yet used, on the host).
import { inspect } from 'node:util';
import type { Device } from '../runtime/device.js';
import type { DeviceBuffer } from '../runtime/device_buffer.js';
import type { HostArray } from '../runtime/element_types.js';
import { Array } from './array.js';
import { ShapedArray } from './aval.js';
import { formatArray } from './format.js';
import { userView } from './host.js';
import { trackArray, untrackArray, type Entry } from './memory.js';

/** Where arrays go when nothing says otherwise; set by the runtime layer. */
let defaultDevice: (() => Device) | undefined;
export function setDefaultDevice(get: () => Device): void {
  defaultDevice = get;
}

export class ArrayImpl extends Array {
  readonly #aval: ShapedArray;
  #buffer: DeviceBuffer | undefined;
  #host: HostArray | undefined;
  #disposed = false;
  #tracked: Entry | undefined;

  /** @internal From a device buffer, or host data in the dtype's device layout. */
  constructor(aval: ShapedArray, source: DeviceBuffer | HostArray) {
    super();
    this.#aval = aval;
    if (ArrayBuffer.isView(source)) this.#host = source;
    else {
      this.#buffer = source;
      this.#tracked = trackArray(this, source);
    }
  }

  get aval(): ShapedArray {
    return this.#aval;
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** The device holding the data (the default device for host constants). */
  override get device(): Device {
    return this.#buffer?.device ?? defaultDevice!();
  }

  /** @internal The device buffer, uploading host constants on first use. */
  buffer(device?: Device): DeviceBuffer {
    this.checkLive('use');
    if (this.#buffer && (!device || this.#buffer.device === device)) return this.#buffer;
    const target = device ?? defaultDevice!();
    if (this.#host) {
      const uploaded = target.backend.bufferFromHost(this.#host, this.dtype, this.shape, target);
      if (this.#buffer === undefined) {
        this.#buffer = uploaded;
        this.#tracked = trackArray(this, uploaded);
      }
      return uploaded;
    }
    // On another device: copy through the host (device-to-device transfers come later).
    const raw = this.#buffer!.toHostSync();
    return target.backend.bufferFromHost(raw, this.dtype, this.shape, target);
  }

  /** @internal Host data of a constant that has not been uploaded, if any. */
  get hostData(): HostArray | undefined {
    return this.#host;
  }

  /** The values, row-major (float16/bfloat16 widened to Float32Array; complex interleaved). */
  override async data(): Promise<HostArray> {
    this.checkLive('data');
    if (this.#host) return userView(this.dtype, this.#host);
    return userView(this.dtype, await this.#buffer!.toHost());
  }

  override dataSync(): HostArray {
    this.checkLive('dataSync');
    if (this.#host) return userView(this.dtype, this.#host);
    return userView(this.dtype, this.#buffer!.toHostSync());
  }

  override async tolist(): Promise<unknown> {
    return toNested(this.dtype, await this.data(), this.shape);
  }

  override tolistSync(): unknown {
    return toNested(this.dtype, this.dataSync(), this.shape);
  }

  /** The single element of a size-1 array as a JS value. */
  override item(): number | boolean | bigint {
    if (this.size !== 1) throw new TypeError(`item(): can only convert an array of size 1 to a JS scalar, got shape ${JSON.stringify(this.shape)}`);
    return scalarOf(this.dtype, this.dataSync(), 0);
  }

  /** Waits until the array's value is computed. */
  override async blockUntilReady(): Promise<this> {
    if (this.#buffer) await this.#buffer.ready();
    return this;
  }

  /** Blocks the JS thread until the array's value is computed. */
  override blockUntilReadySync(): this {
    this.#buffer?.readySync();
    return this;
  }

  /** Frees the device memory now. Idempotent; later use is an error. */
  override dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#buffer) {
      untrackArray(this.#tracked);
      this.#buffer.dispose();
    }
    this.#buffer = undefined;
    this.#host = undefined;
  }

  override [Symbol.dispose](): void {
    this.dispose();
  }

  override toString(): string {
    if (this.#disposed) return `Array(<disposed>, dtype=${this.dtype})`;
    return formatArray(this.dataSync(), this.aval);
  }

  [inspect.custom](): string {
    return this.toString();
  }

  private checkLive(what: string): void {
    if (this.#disposed) throw new Error(`${what}: this array has been disposed (shape ${JSON.stringify(this.shape)}, dtype ${this.dtype})`);
  }
}

function scalarOf(dtype: string, data: HostArray, i: number): number | boolean | bigint {
  if (dtype === 'bool') return data[i] !== 0;
  if (dtype.startsWith('complex')) return data[2 * i] as number; // real part; complex scalars come later
  return data[i]!;
}

function toNested(dtype: string, data: HostArray, shape: readonly number[]): unknown {
  let offset = 0;
  const build = (dim: number): unknown => {
    if (dim === shape.length) return scalarOf(dtype, data, offset++);
    return globalThis.Array.from({ length: shape[dim]! }, () => build(dim + 1));
  };
  return build(0);
}

/** Wraps a device buffer as an array of `aval`. */
export function fromBuffer(buffer: DeviceBuffer, aval: ShapedArray): ArrayImpl {
  return new ArrayImpl(aval, buffer);
}

export { ShapedArray };
