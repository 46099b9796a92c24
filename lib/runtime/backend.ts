// A backend: one PJRT plugin with one client and its devices, as JAX's `xla_client.Client`.
import { createHash } from 'node:crypto';
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { addon, type NativeClient, type NativeNamedValue, type NativePlugin } from './addon.js';
import { encodeCompileOptions, normalizeCompileOptions, type CompileOptions } from './compile_options.js';
import { Device } from './device.js';
import { DeviceBuffer } from './device_buffer.js';
import { checkElementType, hostLayoutOf, pjrtTypeOf, type ElementType } from './element_types.js';
import { Executable } from './executable.js';
import { diskKey, readCached, writeCached } from './executable_cache.js';
import { parseMainSignature, type ProgramSignature } from './mlir_signature.js';

export type Platform = 'cpu' | 'cuda' | 'tpu';

export interface BackendOptions {
  /** CPU: the number of host devices (JAX's `--xla_force_host_platform_device_count`). Default 1. */
  cpuDeviceCount?: number;
  /** GPU: preallocate most of the device memory up front (the plugin's own default). Default false. */
  preallocate?: boolean;
  /** GPU: the fraction of device memory the allocator may use. */
  memoryFraction?: number;
  /** Extra raw PJRT create options (plugins reject names they do not know). */
  createOptions?: NativeNamedValue[];
  /** This process's place in a distributed run (set by `distributed.initialize`). */
  process?: ProcessInfo;
}

/** A process of a distributed run, as the GPU plugin's create options describe it. */
export interface ProcessInfo {
  processId: number;
  numProcesses: number;
  /** The accelerators this process drives; null: all it sees. */
  localDeviceIds: number[] | null;
}

export interface CompileRequest extends CompileOptions {
  /** Reuse a program compiled earlier from the same text and options (in memory and on disk). Default true. */
  cache?: boolean;
  /** Parameter/result types, when the text's `@main` signature should not be parsed. */
  signature?: ProgramSignature;
}

/** The create options each platform's plugin accepts (unknown names are rejected). */
export function clientCreateOptions(platform: Platform, options: BackendOptions): NativeNamedValue[] {
  const out: NativeNamedValue[] = [];
  if (platform === 'cpu') {
    const count = options.cpuDeviceCount ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`cpuDeviceCount must be a positive integer, got ${count}`);
    out.push({ name: 'cpu_device_count', type: 'int64', value: count }); // always explicit: the plugin defaults to 4
  } else if (platform === 'cuda') {
    out.push({ name: 'preallocate', type: 'bool', value: options.preallocate ?? false });
    if (options.memoryFraction !== undefined) {
      if (!(options.memoryFraction > 0 && options.memoryFraction <= 1)) {
        throw new RangeError(`memoryFraction must be in (0, 1], got ${options.memoryFraction}`);
      }
      out.push({ name: 'memory_fraction', type: 'float', value: options.memoryFraction });
    }
    if (options.process) {
      // The GPU plugin's names for a process of a multi-process run (one process: the defaults).
      out.push({ name: 'node_id', type: 'int64', value: options.process.processId });
      out.push({ name: 'num_nodes', type: 'int64', value: options.process.numProcesses });
      if (options.process.localDeviceIds) out.push({ name: 'visible_devices', type: 'int64list', value: options.process.localDeviceIds });
    }
  }
  return out.concat(options.createOptions ?? []);
}

type HostData = ArrayBufferView;

/**
 * JAX's CUDA plugins find ptxas and libdevice in the pip `nvidia-*` wheels beside them
 * (`<site-packages>/nvidia/cu13` or `nvidia/cuda_nvcc`); outside Python nobody tells XLA
 * where that is, so point `--xla_gpu_cuda_data_dir` there unless the user already did.
 */
function pointXlaAtCudaTools(pluginPath: string): void {
  const flags = process.env.XLA_FLAGS ?? '';
  if (flags.includes('--xla_gpu_cuda_data_dir')) return;
  const nvidia = path.resolve(path.dirname(pluginPath), '..', '..', 'nvidia');
  const dataDir = ['cu13', 'cuda_nvcc'].map((d) => path.join(nvidia, d)).find((d) => existsSync(path.join(d, 'bin')));
  if (dataDir) process.env.XLA_FLAGS = `${flags} --xla_gpu_cuda_data_dir=${dataDir}`.trim();
}

export class Backend {
  readonly platform: Platform;
  readonly pluginPath: string;
  readonly devices: readonly Device[];
  /** @internal */
  readonly native: NativeClient;
  /** @internal */
  readonly plugin: NativePlugin;
  /** XLA compilations run and programs loaded from the disk cache by this backend. */
  readonly compileStats = { compiles: 0, diskHits: 0 };
  private readonly compiled = new Map<string, Promise<Executable>>();
  private readonly cacheKeys = new WeakMap<Executable, string>();
  private readonly deserialized = new Map<string, Executable>();
  private readonly deserializedIds = new WeakMap<Executable, string>();

  /** @internal Use `Backend.create` or `getBackend`. */
  constructor(platform: Platform, plugin: NativePlugin, client: NativeClient) {
    this.platform = platform;
    this.plugin = plugin;
    this.pluginPath = plugin.path;
    this.native = client;
    this.devices = client.devices().map((info) => new Device(this, info));
  }

  /** Loads the plugin at `pluginPath` (dlopened once per process) and creates a client. */
  static create(platform: Platform, pluginPath: string, options: BackendOptions = {}): Backend {
    // XLA logs at INFO level to stderr by default; keep warnings and errors only, unless the user chose.
    process.env.TF_CPP_MIN_LOG_LEVEL ??= '1';
    if (platform === 'cuda') pointXlaAtCudaTools(pluginPath);
    // One dlopen per file, whatever path or symlink names it.
    const plugin = addon().loadPlugin(existsSync(pluginPath) ? realpathSync(pluginPath) : pluginPath);
    const client = plugin.createClient(clientCreateOptions(platform, options));
    return new Backend(platform, plugin, client);
  }

  /** The plugin's PJRT C API version. */
  get apiVersion(): { major: number; minor: number } {
    const { major, minor } = this.plugin.apiVersion;
    return { major, minor };
  }

  /** Plugin attributes such as `xla_version` and `stablehlo_current_version`. */
  get attributes(): Record<string, string | number | number[] | boolean> {
    return this.plugin.attributes();
  }

  get platformVersion(): string {
    return this.native.platformVersion;
  }

  /** Identifies the plugin build; serialized executables only load on the same one. */
  get pluginIdentity(): string {
    this.identity ??= `${this.platform}:${this.apiVersion.major}.${this.apiVersion.minor}:${this.platformVersion}:${JSON.stringify(this.attributes)}:${statSync(this.pluginPath).size}`;
    return this.identity;
  }
  private identity: string | undefined;

  /** Resolves a device given as a Device, an index into `devices`, or undefined (device 0). */
  device(device: Device | number | undefined, what: string): Device {
    if (device === undefined) return this.devices[0]!;
    if (typeof device === 'number') {
      const found = this.devices[device];
      if (!Number.isInteger(device) || !found) {
        throw new RangeError(`${what}: device index ${device} is out of range; the ${this.platform} backend has ${this.devices.length} device(s)`);
      }
      return found;
    }
    if (device.backend !== this) throw new Error(`${what}: ${device} belongs to the ${device.platform} backend, not this ${this.platform} one`);
    return device;
  }

  /**
   * Copies host data to a device. `data` is the dtype's TypedArray (see `hostLayoutOf`:
   * Uint8Array for bool, Uint16Array bits for float16/bfloat16, interleaved Float32Array for
   * complex64) or raw bytes as a Uint8Array/DataView.
   */
  bufferFromHost(data: HostData, dtype: ElementType, shape: readonly number[], device?: Device | number): DeviceBuffer {
    const t = checkElementType(dtype, 'bufferFromHost');
    const target = this.device(device, 'bufferFromHost');
    if (!ArrayBuffer.isView(data)) throw new TypeError('bufferFromHost: data must be a TypedArray or DataView');
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new TypeError(`bufferFromHost: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    const { ctor, lanes } = hostLayoutOf(t);
    const isRawBytes = data instanceof Uint8Array || data instanceof DataView;
    if (!isRawBytes && !(data instanceof ctor)) {
      throw new TypeError(`bufferFromHost: ${t} data must be a ${ctor.name} (or raw bytes in a Uint8Array), got a ${data.constructor.name}`);
    }
    const size = shape.reduce((a, b) => a * b, 1);
    if (!isRawBytes || data instanceof ctor) {
      const length = (data as unknown as { length: number }).length;
      if (length !== size * lanes && !(isRawBytes && data.byteLength === size * lanes * ctor.BYTES_PER_ELEMENT)) {
        throw new RangeError(`bufferFromHost: ${t}[${shape.join(',')}] needs ${size * lanes} ${ctor.name} elements, got ${length}`);
      }
    }
    const native = this.native.bufferFromHost(data, pjrtTypeOf(t), [...shape], target.index);
    return new DeviceBuffer(native, t, [...shape], target);
  }

  /** Compiles StableHLO text (cached in memory and on disk by text and options). */
  compile(mlir: string, request: CompileRequest = {}): Promise<Executable> {
    const { cache = true, signature, ...options } = request;
    const normalized = normalizeCompileOptions(options);
    const bytes = encodeCompileOptions(normalized);
    const key = this.cacheKey(mlir, bytes);
    const hit = cache ? this.compiled.get(key) : undefined;
    if (hit) return hit;
    const sig = signature ?? parseMainSignature(mlir);
    const fromDisk = cache ? this.loadFromDisk(key) : undefined;
    const pending = fromDisk
      ? Promise.resolve(fromDisk)
      : this.native.compile(mlir, bytes).then((native) => this.stored(key, new Executable(this, native, sig, normalized, key), cache));
    if (!fromDisk) this.compileStats.compiles++;
    if (cache) {
      this.compiled.set(key, pending);
      pending.then((e) => this.cacheKeys.set(e, key), () => this.compiled.delete(key));
    }
    return pending;
  }

  /** As `compile`, blocking the JS thread. */
  compileSync(mlir: string, request: CompileRequest = {}): Executable {
    const { cache = true, signature, ...options } = request;
    const normalized = normalizeCompileOptions(options);
    const bytes = encodeCompileOptions(normalized);
    const key = this.cacheKey(mlir, bytes);
    let executable = cache ? this.loadFromDisk(key) : undefined;
    if (!executable) {
      this.compileStats.compiles++;
      executable = this.stored(key, new Executable(this, this.native.compileSync(mlir, bytes), signature ?? parseMainSignature(mlir), normalized, key), cache);
    }
    if (cache) {
      this.compiled.set(key, Promise.resolve(executable));
      this.cacheKeys.set(executable, key);
    }
    return executable;
  }

  private loadFromDisk(key: string): Executable | undefined {
    const bytes = readCached(diskKey(this.pluginIdentity, key));
    if (!bytes) return undefined;
    try {
      const executable = this.deserialize(bytes);
      this.compileStats.diskHits++;
      return executable;
    } catch {
      return undefined; // stale or foreign entry: compile afresh
    }
  }

  private stored(key: string, executable: Executable, cache: boolean): Executable {
    if (cache) writeCached(diskKey(this.pluginIdentity, key), executable.serialize());
    return executable;
  }

  /** Loads an executable made by `Executable.serialize()` on the same plugin build (the live copy when already loaded). */
  deserialize(bytes: Uint8Array): Executable {
    const { header, body } = Executable.parseSerialized(bytes);
    if (header.platform !== this.platform || header.pluginIdentity !== this.pluginIdentity) {
      throw new Error(
        `deserialize: the executable was compiled by another plugin build (${header.pluginIdentity}); this backend is ${this.pluginIdentity}`,
      );
    }
    // XLA's CPU runtime cannot hold two live copies of one deserialized program (the second
    // fails at execution with "Function ... not found"): hand out the live copy instead.
    const id = header.programKey ?? createHash('sha256').update(body).digest('hex');
    const live = this.deserialized.get(id);
    if (live && !live.isDisposed) return live;
    const executable = new Executable(this, this.native.deserialize(body), header.signature, header.options, header.programKey);
    this.deserialized.set(id, executable);
    this.deserializedIds.set(executable, id);
    return executable;
  }

  /** @internal Called by Executable.dispose so that the cache never hands out a disposed program. */
  forget(executable: Executable): void {
    const key = this.cacheKeys.get(executable);
    if (key) this.compiled.delete(key);
    const id = this.deserializedIds.get(executable);
    if (id && this.deserialized.get(id) === executable) this.deserialized.delete(id);
  }

  /** Drops the compiled-program cache (the executables stay valid where still referenced). */
  clearCache(): void {
    this.compiled.clear();
  }

  toString(): string {
    return `Backend(${this.platform}, ${this.devices.length} device(s), PJRT ${this.apiVersion.major}.${this.apiVersion.minor})`;
  }

  private cacheKey(mlir: string, options: Uint8Array): string {
    return createHash('sha256').update(options).update('\0').update(mlir).digest('hex');
  }
}
