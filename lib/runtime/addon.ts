// The native addon's typed face. Everything here is a direct mirror of src/: no semantics.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PjrtError } from './errors.js';

export interface NativeNamedValue {
  name: string;
  type: 'string' | 'int64' | 'int64list' | 'float' | 'bool';
  value: string | number | number[] | boolean;
}

export interface NativeDeviceInfo {
  index: number;
  id: number;
  kind: string;
  processIndex: number;
  localHardwareId: number;
  description: string;
}

export type NativeMemoryStats = Record<string, number>;

export interface NativePlugin {
  readonly path: string;
  readonly apiVersion: { major: number; minor: number; tableSize: number };
  attributes(): Record<string, string | number | number[] | boolean>;
  createClient(options: NativeNamedValue[]): NativeClient;
}

export interface NativeClient {
  readonly platformName: string;
  readonly platformVersion: string;
  devices(): NativeDeviceInfo[];
  memoryStats(deviceIndex: number): NativeMemoryStats | null;
  bufferFromHost(data: ArrayBufferView, pjrtType: number, dims: number[], deviceIndex: number): NativeBuffer;
  compile(code: string | Uint8Array, compileOptions: Uint8Array): Promise<NativeExecutable>;
  compileSync(code: string | Uint8Array, compileOptions: Uint8Array): NativeExecutable;
  deserialize(bytes: Uint8Array, compileOptions?: Uint8Array): NativeExecutable;
  dispose(): void;
}

export interface NativeBuffer {
  readonly type: number;
  readonly dims: number[];
  readonly deviceIndex: number;
  readonly onDeviceSizeInBytes: number;
  readonly isDisposed: boolean;
  toHost(): Promise<ArrayBuffer>;
  toHostSync(): ArrayBuffer;
  ready(): Promise<void>;
  readySync(): void;
  dispose(): void;
}

export interface NativeExecutable {
  readonly numOutputs: number;
  readonly outputTypes: number[];
  readonly outputDims: number[][];
  readonly addressableDevices: number[];
  readonly fingerprint: string | null;
  readonly name: string;
  execute(
    argLists: NativeBuffer[][],
    options?: { donate?: number[]; wait?: boolean; completion?: boolean },
  ): [NativeBuffer[][], (Promise<void> | undefined)[]];
  /** One device, no donation, no completion promise. */
  executeOne(args: NativeBuffer[]): NativeBuffer[];
  serialize(): Uint8Array;
  dispose(): void;
}

export interface NativeAddon {
  loadPlugin(path: string): NativePlugin;
  setErrorClass(ctor: typeof PjrtError): void;
  readonly knownPjrtMinorVersion: number;
}

// dist/runtime/addon.js and lib/runtime/addon.ts both sit two levels below the package root.
const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

let loaded: NativeAddon | undefined;

/** The addon, loaded on first use (so that importing jaxts never fails on its own). */
export function addon(): NativeAddon {
  if (loaded) return loaded;
  const candidates = [
    process.env.JAXTS_ADDON_PATH,
    path.join(packageRoot, 'build', 'Release', 'jaxts.node'),
    path.join(packageRoot, 'build', 'Debug', 'jaxts.node'),
  ].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `jaxts: the native addon is not built (looked in ${candidates.join(', ')}). ` +
        `Run \`npm run build:addon\` in ${packageRoot} (it needs g++, make and python3).`,
    );
  }
  const native = createRequire(import.meta.url)(found) as NativeAddon;
  native.setErrorClass(PjrtError);
  loaded = native;
  return native;
}
