// A compiled program on a backend: argument checks, execution on one or several devices,
// serialization.
import type { NativeExecutable } from './addon.js';
import type { Backend } from './backend.js';
import type { CompileOptions } from './compile_options.js';
import type { Device } from './device.js';
import { DeviceBuffer } from './device_buffer.js';
import { elementTypeOfPjrt } from './element_types.js';
import type { ProgramSignature, TensorType } from './mlir_signature.js';

export interface ExecuteOptions {
  /** Argument positions whose buffers the program may reuse (the program must alias them). */
  donate?: number[];
}

/** Outputs of one dispatch, available at once; `done` settles when the devices finish. */
export interface Dispatch<T> {
  outputs: T;
  done: Promise<void>;
}

const MAGIC = 'JAXTSEXE1';

interface SerializedHeader {
  platform: string;
  /** Hash of the program text and compile options: one live copy per key (see Backend.deserialize). */
  programKey?: string;
  pluginIdentity: string;
  signature?: ProgramSignature;
  options: CompileOptions;
}

const describe = (t: { dtype: string; shape: readonly number[] }): string => `${t.dtype}[${t.shape.join(',')}]`;

export class Executable {
  readonly backend: Backend;
  /** The parameter and result types of `@main`, when known. */
  readonly signature: ProgramSignature | undefined;
  readonly options: CompileOptions;
  /** The devices this program runs on: one argument list per device. */
  readonly devices: readonly Device[];
  readonly outputTypes: readonly TensorType[];
  /** @internal */
  readonly native: NativeExecutable;

  /** @internal Use `backend.compile`. */
  constructor(
    backend: Backend,
    native: NativeExecutable,
    signature: ProgramSignature | undefined,
    options: CompileOptions,
    /** @internal */ readonly programKey?: string,
  ) {
    this.backend = backend;
    this.native = native;
    this.signature = signature;
    this.options = options;
    this.devices = native.addressableDevices.map((i) => backend.devices[i]!);
    const dims = native.outputDims;
    this.outputTypes = native.outputTypes.map((t, i) => ({ dtype: elementTypeOfPjrt(t), shape: dims[i]! }));
  }

  get numOutputs(): number {
    return this.outputTypes.length;
  }

  /** An identifier of the compiled program from the plugin, or null. */
  get fingerprint(): string | null {
    return this.native.fingerprint;
  }

  /** Runs on this executable's single device. Outputs return at once; they fill in asynchronously. */
  execute(args: readonly DeviceBuffer[], options: ExecuteOptions = {}): DeviceBuffer[] {
    if (this.devices.length !== 1) {
      throw new Error(`execute: this program runs on ${this.devices.length} devices; use executeSharded with one argument list per device`);
    }
    this.checkArgLists([args]);
    // No completion promise: failures surface when the outputs are read.
    const natives = args.map((a) => a.native);
    const outputs = options.donate ? this.native.execute([natives], { donate: options.donate, completion: false })[0][0]! : this.native.executeOne(natives);
    return outputs.map((native, o) => new DeviceBuffer(native, this.outputTypes[o]!.dtype, this.outputTypes[o]!.shape, this.devices[0]!));
  }

  /** As `execute`, with a Promise that settles when the device has finished. */
  dispatch(args: readonly DeviceBuffer[], options: ExecuteOptions = {}): Dispatch<DeviceBuffer[]> {
    if (this.devices.length !== 1) {
      throw new Error(`execute: this program runs on ${this.devices.length} devices; use executeSharded with one argument list per device`);
    }
    const { outputs, done } = this.dispatchSharded([args], options);
    return { outputs: outputs[0]!, done };
  }

  /** Runs and waits for completion. */
  async run(args: readonly DeviceBuffer[], options: ExecuteOptions = {}): Promise<DeviceBuffer[]> {
    const { outputs, done } = this.dispatch(args, options);
    await done;
    return outputs;
  }

  /** Runs and blocks the JS thread until the device has finished. */
  executeSync(args: readonly DeviceBuffer[], options: ExecuteOptions = {}): DeviceBuffer[] {
    this.checkArgLists([args]);
    const [outputs] = this.native.execute([args.map((a) => a.native)], { donate: options.donate, wait: true });
    return this.wrapOutputs(outputs)[0]!;
  }

  /** Runs with one argument list per device (replicated or partitioned programs). */
  // No completion promises: a synchronous training loop never yields to the event loop, so
  // watchers would pile up until it ends. Failures surface when the outputs are read.
  executeSharded(argLists: readonly (readonly DeviceBuffer[])[], options: ExecuteOptions = {}): DeviceBuffer[][] {
    this.checkArgLists(argLists);
    const [outputs] = this.native.execute(argLists.map((list) => list.map((a) => a.native)), { donate: options.donate, completion: false });
    return this.wrapOutputs(outputs);
  }

  dispatchSharded(argLists: readonly (readonly DeviceBuffer[])[], options: ExecuteOptions = {}): Dispatch<DeviceBuffer[][]> {
    this.checkArgLists(argLists);
    const [outputs, completions] = this.native.execute(
      argLists.map((list) => list.map((a) => a.native)),
      options.donate ? { donate: options.donate } : undefined,
    );
    const pending = completions.filter((c): c is Promise<void> => c !== undefined);
    const done = pending.length === 1 ? pending[0]! : Promise.all(pending).then(() => undefined);
    // Failures also reach the outputs' readback; an unawaited `done` must not crash the process.
    done.catch(() => undefined);
    return { outputs: this.wrapOutputs(outputs), done };
  }

  /** Bytes that `backend.deserialize` turns back into this executable (same plugin build only). */
  serialize(): Uint8Array {
    const header: SerializedHeader = {
      platform: this.backend.platform,
      pluginIdentity: this.backend.pluginIdentity,
      programKey: this.programKey,
      signature: this.signature,
      options: this.options,
    };
    const json = new TextEncoder().encode(JSON.stringify(header));
    const body = this.native.serialize();
    const out = new Uint8Array(MAGIC.length + 4 + json.length + body.length);
    out.set(new TextEncoder().encode(MAGIC), 0);
    new DataView(out.buffer).setUint32(MAGIC.length, json.length, true);
    out.set(json, MAGIC.length + 4);
    out.set(body, MAGIC.length + 4 + json.length);
    return out;
  }

  /** @internal Splits bytes made by `serialize`. */
  static parseSerialized(bytes: Uint8Array): { header: SerializedHeader; body: Uint8Array } {
    const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
    if (bytes.length < MAGIC.length + 4 || magic !== MAGIC) {
      throw new TypeError('deserialize: these bytes were not made by Executable.serialize()');
    }
    const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MAGIC.length, true);
    const start = MAGIC.length + 4;
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(start, start + length))) as SerializedHeader;
    return { header, body: bytes.subarray(start + length) };
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    this.disposed = true;
    this.backend.forget(this);
    this.native.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  private disposed = false;

  private checkArgLists(argLists: readonly (readonly DeviceBuffer[])[]): void {
    if (this.disposed) throw new Error('execute: this executable has been disposed');
    if (argLists.length !== this.devices.length) {
      throw new RangeError(`execute: the program runs on ${this.devices.length} device(s) but ${argLists.length} argument lists were given`);
    }
    const params = this.signature?.params;
    argLists.forEach((args, d) => {
      const where = this.devices.length > 1 ? ` for device ${d}` : '';
      if (params && args.length !== params.length) {
        throw new TypeError(
          `execute: the program takes ${params.length} argument(s) (${params.map(describe).join(', ')}) but ${args.length} were given${where}`,
        );
      }
      args.forEach((arg, i) => {
        if (!(arg instanceof DeviceBuffer)) throw new TypeError(`execute: argument ${i}${where} is not a DeviceBuffer`);
        if (arg.isDisposed) throw new Error(`execute: argument ${i}${where} has been disposed`);
        const want = params?.[i];
        if (want && (want.dtype !== arg.dtype || want.shape.length !== arg.shape.length || want.shape.some((n, k) => n !== arg.shape[k]))) {
          throw new TypeError(`execute: argument ${i}${where} is ${describe(arg)} but the program expects ${describe(want)}`);
        }
        if (arg.device.backend !== this.backend) throw new Error(`execute: argument ${i}${where} lives on another backend (${arg.device})`);
        if (!this.options.portable && arg.device !== this.devices[d]) {
          throw new Error(`execute: argument ${i}${where} lives on ${arg.device} but the program runs on ${this.devices[d]}`);
        }
      });
    });
  }

  private wrapOutputs(outputs: ReturnType<NativeExecutable['execute']>[0]): DeviceBuffer[][] {
    return outputs.map((row, d) =>
      row.map((native, o) => new DeviceBuffer(native, this.outputTypes[o]!.dtype, this.outputTypes[o]!.shape, this.devices[d]!)),
    );
  }
}
