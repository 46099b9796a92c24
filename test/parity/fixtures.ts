// Loads the fixtures scripts/parity/generate.py writes: a manifest per family
// (test/parity/fixtures/<family>.json) and its arrays, concatenated .npy records
// (<family>.npys) addressed by byte offset. Inputs become Arrays bit for bit as JAX had them.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ArrayImpl } from '../../lib/core/array_impl.js';
import { ShapedArray } from '../../lib/core/aval.js';
import type { DType } from '../../lib/core/dtypes.js';
import { userView } from '../../lib/core/host.js';
import { byteSizeOf, type HostArray } from '../../lib/runtime/element_types.js';
import type { Array } from '../../lib/index.js';
import { ROOT, type Family } from './caselist.js';
import { descrItemsize, readNpy } from './npy.js';

export const FIXTURES_DIR = path.join(ROOT, 'test/parity/fixtures');

/** An array in the family's .npys file; bfloat16 is stored as its uint16 bits. */
export interface ArrayRecord {
  offset: number;
  dtype: DType;
  shape: number[];
  weak: boolean;
  /** Outputs: JAX's per-dtype tolerance (atol = rtol), 0 for exact. */
  tol?: number;
}

/** What a case returned: an array, a dtype (result_type), a JS scalar, or (shape mode) an abstract value. */
export type OutputRecord =
  | ArrayRecord
  | { dtype_value: string }
  | { value: number | boolean }
  | { dtype: DType; shape: number[]; weak: boolean };

export interface CaseFixture {
  hash: string;
  x64: boolean;
  inputs: ArrayRecord[];
  outputs?: OutputRecord[];
  /** JAX raised this; jaxts must throw too. */
  error?: string;
}

export interface Meta {
  jax: string;
  jaxlib: string;
  jax_threefry_partitionable: boolean;
  platform: string;
  [key: string]: unknown;
}

export class Fixtures {
  readonly cases: Record<string, CaseFixture>;
  readonly meta: Meta;
  readonly #blob: Uint8Array;
  readonly #host = new Map<number, HostArray>();

  private constructor(manifest: { meta: Meta; cases: Record<string, CaseFixture> }, blob: Uint8Array) {
    this.cases = manifest.cases;
    this.meta = manifest.meta;
    this.#blob = blob;
  }

  /** The fixtures of a family, or null when they were never generated. */
  static load(family: Family): Fixtures | null {
    const manifest = path.join(FIXTURES_DIR, `${family}.json`);
    if (!existsSync(manifest)) return null;
    return new Fixtures(JSON.parse(readFileSync(manifest, 'utf8')), readFileSync(path.join(FIXTURES_DIR, `${family}.npys`)));
  }

  /** The raw elements in jaxts's host layout for the dtype (16-bit floats as bits, complex interleaved). */
  host(rec: ArrayRecord): HostArray {
    let data = this.#host.get(rec.offset);
    if (!data) {
      const { npy } = readNpy(this.#blob, rec.offset);
      if (descrItemsize(npy.descr) !== byteSizeOf(rec.dtype) || npy.shape.join() !== rec.shape.join()) {
        throw new Error(`fixture array at ${rec.offset} is ${npy.descr}${JSON.stringify(npy.shape)}, manifest says ${rec.dtype}${JSON.stringify(rec.shape)}`);
      }
      data = hostArray(rec.dtype, npy.data);
      this.#host.set(rec.offset, data);
    }
    return data;
  }

  /** A fresh concrete Array holding the record's bits, with its weak type. */
  array(rec: ArrayRecord): Array {
    return new ArrayImpl(new ShapedArray(rec.shape, rec.dtype, rec.weak), this.host(rec).slice());
  }

  /** The values as the user sees them (16-bit floats widened, complex interleaved). */
  values(rec: ArrayRecord): HostArray {
    return userView(rec.dtype, this.host(rec));
  }
}

function hostArray(dtype: DType, bytes: Uint8Array): HostArray {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  switch (dtype) {
    case 'bool': case 'uint8': return new Uint8Array(buffer);
    case 'int8': return new Int8Array(buffer);
    case 'int16': return new Int16Array(buffer);
    case 'int32': return new Int32Array(buffer);
    case 'int64': return new BigInt64Array(buffer);
    case 'uint16': case 'float16': case 'bfloat16': return new Uint16Array(buffer);
    case 'uint32': return new Uint32Array(buffer);
    case 'uint64': return new BigUint64Array(buffer);
    case 'float32': case 'complex64': return new Float32Array(buffer);
    case 'float64': case 'complex128': return new Float64Array(buffer);
  }
}
