// A typed device buffer: bytes on one device with a dtype and a shape.
import type { NativeBuffer } from './addon.js';
import type { Device } from './device.js';
import { byteSizeOf, hostView, type ElementType, type HostArray } from './element_types.js';

export class DeviceBuffer {
  readonly dtype: ElementType;
  readonly shape: readonly number[];
  readonly device: Device;
  /** @internal */
  readonly native: NativeBuffer;

  /** @internal Use `backend.bufferFromHost` or an executable's outputs. */
  constructor(native: NativeBuffer, dtype: ElementType, shape: readonly number[], device: Device) {
    this.native = native;
    this.dtype = dtype;
    this.shape = shape;
    this.device = device;
  }

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  get nbytes(): number {
    return this.size * byteSizeOf(this.dtype);
  }

  get isDisposed(): boolean {
    return this.native.isDisposed;
  }

  /** The contents in row-major order (complex: interleaved re/im; float16/bfloat16: raw bits). */
  async toHost(): Promise<HostArray> {
    return hostView(this.dtype, await this.native.toHost());
  }

  /** As `toHost`, blocking the JS thread until the copy is done. */
  toHostSync(): HostArray {
    return hostView(this.dtype, this.native.toHostSync());
  }

  /** Settles when the buffer's contents are computed; rejects with the computation's error. */
  ready(): Promise<void> {
    return this.native.ready();
  }

  /** Blocks the JS thread until the contents are computed; throws the computation's error. */
  readySync(): void {
    this.native.readySync();
  }

  /** Frees the device memory (once pending work using it is done). Idempotent. */
  dispose(): void {
    this.native.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  toString(): string {
    return `DeviceBuffer(${this.dtype}[${this.shape.join(',')}] on ${this.device})`;
  }
}
