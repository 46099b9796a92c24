// The element types jaxts maps to PJRT buffer types, with their host representation.
// Numbering is PJRT_Buffer_Type's (not xla::PrimitiveType's).

export type ElementType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'float16'
  | 'bfloat16'
  | 'float32'
  | 'float64'
  | 'complex64'
  | 'complex128';

/** The TypedArray that holds an element type on the host (complex: interleaved re/im; bfloat16: raw bits). */
export type HostArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

interface ElementInfo {
  pjrt: number;
  bytes: number;
  /** MLIR element type spelling, e.g. `f32`, `i1`, `ui8`, `complex<f32>`. */
  mlir: string;
  host: { new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): HostArray; BYTES_PER_ELEMENT: number };
  /** Host elements per array element (2 for complex). */
  lanes: number;
}

const INFO: Record<ElementType, ElementInfo> = {
  bool: { pjrt: 1, bytes: 1, mlir: 'i1', host: Uint8Array, lanes: 1 },
  int8: { pjrt: 2, bytes: 1, mlir: 'i8', host: Int8Array, lanes: 1 },
  int16: { pjrt: 3, bytes: 2, mlir: 'i16', host: Int16Array, lanes: 1 },
  int32: { pjrt: 4, bytes: 4, mlir: 'i32', host: Int32Array, lanes: 1 },
  int64: { pjrt: 5, bytes: 8, mlir: 'i64', host: BigInt64Array, lanes: 1 },
  uint8: { pjrt: 6, bytes: 1, mlir: 'ui8', host: Uint8Array, lanes: 1 },
  uint16: { pjrt: 7, bytes: 2, mlir: 'ui16', host: Uint16Array, lanes: 1 },
  uint32: { pjrt: 8, bytes: 4, mlir: 'ui32', host: Uint32Array, lanes: 1 },
  uint64: { pjrt: 9, bytes: 8, mlir: 'ui64', host: BigUint64Array, lanes: 1 },
  float16: { pjrt: 10, bytes: 2, mlir: 'f16', host: Uint16Array, lanes: 1 },
  float32: { pjrt: 11, bytes: 4, mlir: 'f32', host: Float32Array, lanes: 1 },
  float64: { pjrt: 12, bytes: 8, mlir: 'f64', host: Float64Array, lanes: 1 },
  bfloat16: { pjrt: 13, bytes: 2, mlir: 'bf16', host: Uint16Array, lanes: 1 },
  complex64: { pjrt: 14, bytes: 8, mlir: 'complex<f32>', host: Float32Array, lanes: 2 },
  complex128: { pjrt: 15, bytes: 16, mlir: 'complex<f64>', host: Float64Array, lanes: 2 },
};

export const ELEMENT_TYPES = Object.keys(INFO) as ElementType[];

const BY_PJRT = new Map<number, ElementType>(ELEMENT_TYPES.map((t) => [INFO[t].pjrt, t]));
const BY_MLIR = new Map<string, ElementType>(ELEMENT_TYPES.map((t) => [INFO[t].mlir, t]));

export function isElementType(name: unknown): name is ElementType {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(INFO, name);
}

export function checkElementType(name: unknown, what: string): ElementType {
  if (!isElementType(name)) {
    throw new TypeError(`${what}: unknown dtype ${JSON.stringify(name)}; expected one of ${ELEMENT_TYPES.join(', ')}`);
  }
  return name;
}

export const pjrtTypeOf = (t: ElementType): number => INFO[t].pjrt;
export const byteSizeOf = (t: ElementType): number => INFO[t].bytes;
export const mlirTypeOf = (t: ElementType): string => INFO[t].mlir;

export function elementTypeOfPjrt(code: number): ElementType {
  const t = BY_PJRT.get(code);
  if (!t) throw new TypeError(`PJRT element type ${code} is not supported by jaxts`);
  return t;
}

export function elementTypeOfMlir(spelling: string): ElementType | undefined {
  return BY_MLIR.get(spelling);
}

/** A view of `bytes` as the host TypedArray of `t` (no copy). */
export function hostView(t: ElementType, bytes: ArrayBuffer, byteOffset = 0, byteLength = bytes.byteLength - byteOffset): HostArray {
  const info = INFO[t];
  return new info.host(bytes, byteOffset, byteLength / info.host.BYTES_PER_ELEMENT);
}

/** The host TypedArray class expected for `t` and the number of host lanes per element. */
export function hostLayoutOf(t: ElementType): { ctor: ElementInfo['host']; lanes: number } {
  return { ctor: INFO[t].host, lanes: INFO[t].lanes };
}
