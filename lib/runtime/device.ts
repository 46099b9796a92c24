// A device of a backend, as JAX's `jax.Device`.
import type { NativeDeviceInfo } from './addon.js';
import type { Backend } from './backend.js';

/** Memory statistics a plugin reports for a device (fields absent when not reported). */
export interface MemoryStats {
  bytesInUse: number;
  peakBytesInUse?: number;
  numAllocs?: number;
  largestAllocSize?: number;
  bytesLimit?: number;
  bytesReserved?: number;
  peakBytesReserved?: number;
  bytesReservableLimit?: number;
  largestFreeBlockBytes?: number;
}

const DEVICE_CLASS: Record<string, string> = { cpu: 'CpuDevice', cuda: 'CudaDevice', tpu: 'TpuDevice' };

export class Device {
  readonly backend: Backend;
  /** Position among the backend's addressable devices. */
  readonly index: number;
  /** Global device id. */
  readonly id: number;
  /** The device kind, e.g. `'cpu'` or `'NVIDIA H100 80GB HBM3'`. */
  readonly kind: string;
  readonly processIndex: number;
  readonly localHardwareId: number;

  /** @internal */
  constructor(backend: Backend, info: NativeDeviceInfo) {
    this.backend = backend;
    this.index = info.index;
    this.id = info.id;
    this.kind = info.kind;
    this.processIndex = info.processIndex;
    this.localHardwareId = info.localHardwareId;
  }

  get platform(): string {
    return this.backend.platform;
  }

  /** The plugin's memory statistics, or null when it reports none (the CPU plugin). */
  memoryStats(): MemoryStats | null {
    return this.backend.native.memoryStats(this.index) as MemoryStats | null;
  }

  toString(): string {
    return `${DEVICE_CLASS[this.platform] ?? 'Device'}(id=${this.id})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
