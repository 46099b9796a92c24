// Turning JS values into arrays, and the dtype/broadcasting glue numpy functions share.
import { Array, type ArrayLike, type NestedList, type TypedArray } from '../core/array.js';
import { ArrayImpl } from '../core/array_impl.js';
import { broadcastShapesOrNull, ShapedArray, shapeStr } from '../core/aval.js';
import { canonicalizeDType, checkDType, defaultFloatDType, defaultIntDType, resultType, scalarDType, type DType } from '../core/dtypes.js';
import { toRawHost } from '../core/host.js';
import * as lax from '../lax/index.js';

/** `jnp.asarray`: arrays pass through (converted if `dtype` differs); JS values become constants. */
export function asarray(x: ArrayLike, dtypeOrOptions?: DType | null | { dtype?: DType | null }): Array {
  // jnp.asarray(x, dtype) or jnp.asarray(x, { dtype })
  const dtype = dtypeOrOptions !== null && typeof dtypeOrOptions === 'object' ? dtypeOrOptions.dtype : dtypeOrOptions;
  if (x instanceof Array) return dtype ? astype(x, dtype) : x;
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') {
    const { dtype: inferred, weak } = scalarDType(x);
    const d = dtype ? canonicalizeDType(checkDType(dtype, 'asarray')) : inferred;
    return new ArrayImpl(new ShapedArray([], d, weak && !dtype), toRawHost(d, [x]));
  }
  if (globalThis.Array.isArray(x)) return fromNested(x, dtype ?? undefined);
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return fromTyped(x, dtype ?? undefined);
  throw new TypeError(`asarray: cannot convert ${typeof x === 'object' ? (x as object).constructor?.name ?? 'object' : typeof x} to an array`);
}

/** A TypedArray's dtype, as NumPy's for the same element type (Uint8ClampedArray: uint8). */
function typedDType(x: TypedArray): DType {
  if (x instanceof Float32Array) return 'float32';
  if (x instanceof Float64Array) return 'float64';
  if (x instanceof Int32Array) return 'int32';
  if (x instanceof Uint8Array || x instanceof Uint8ClampedArray) return 'uint8';
  if (x instanceof Int8Array) return 'int8';
  if (x instanceof Int16Array) return 'int16';
  if (x instanceof Uint16Array) return 'uint16';
  if (x instanceof Uint32Array) return 'uint32';
  if (x instanceof BigInt64Array) return 'int64';
  return 'uint64';
}

/** A flat TypedArray as a 1-D array (copied; 64-bit types canonicalised as JAX does without x64). */
function fromTyped(x: TypedArray, dtype?: DType): Array {
  const natural = typedDType(x);
  const d = canonicalizeDType(dtype ? checkDType(dtype, 'array') : natural);
  const aval = new ShapedArray([x.length], d, false);
  if (d === natural && !(x instanceof Uint8ClampedArray)) return new ArrayImpl(aval, x.slice());
  return new ArrayImpl(aval, toRawHost(d, globalThis.Array.from(x as globalThis.ArrayLike<number | bigint>)));
}

function fromNested(list: NestedList, dtype?: DType): Array {
  const shape: number[] = [];
  for (let level: unknown = list; globalThis.Array.isArray(level); level = level[0]) shape.push(level.length);
  const flat: (number | boolean | bigint)[] = [];
  const walk = (x: unknown, dim: number) => {
    if (dim === shape.length) {
      if (globalThis.Array.isArray(x)) throw new TypeError(`array: inhomogeneous nested list; expected a rectangular shape ${shapeStr(shape)}`);
      if (x instanceof Array) throw new TypeError('array: lists of Arrays are not supported; use jnp.stack');
      flat.push(x as number | boolean | bigint);
      return;
    }
    if (!globalThis.Array.isArray(x) || x.length !== shape[dim]) {
      throw new TypeError(`array: inhomogeneous nested list; expected a rectangular shape ${shapeStr(shape)}`);
    }
    for (const item of x) walk(item, dim + 1);
  };
  walk(list, 0);
  let d: DType;
  if (dtype) d = canonicalizeDType(checkDType(dtype, 'array'));
  else if (flat.length === 0) d = defaultFloatDType();
  else if (flat.every((v) => typeof v === 'boolean')) d = 'bool';
  else if (flat.every((v) => typeof v !== 'number' || Number.isInteger(v))) d = defaultIntDType();
  else d = defaultFloatDType();
  return new ArrayImpl(new ShapedArray(shape, d, false), toRawHost(d, flat));
}

/** `x.astype(dtype)`: lax.convert_element_type with a strong result. */
export function astype(x: ArrayLike, dtype: DType): Array {
  const a = asarray(x);
  const d = canonicalizeDType(checkDType(dtype, 'astype'));
  if (a.dtype === d && !a.weakType) return a;
  return lax.convertElementType.bind1([a], { new_dtype: d, weak_type: false });
}

/** Converts to `dtype` keeping weak types (for promotion). */
export function convertTo(x: Array, dtype: DType, weak: boolean): Array {
  if (x.dtype === dtype && x.weakType === weak) return x;
  // Host constants (JS scalars) convert on the host: no device work, and literals stay literals in jaxprs.
  if (x instanceof ArrayImpl && x.hostData && x.size === 1 && !x.dtype.startsWith('complex') && !dtype.startsWith('complex')) {
    return new ArrayImpl(new ShapedArray(x.shape, dtype, weak), toRawHost(dtype, [x.item()]));
  }
  return lax.convertElementType.bind1([x], { new_dtype: dtype, weak_type: weak });
}

/** NumPy broadcasting of shapes; the error names the op and all shapes. */
export function broadcastShapes(op: string, ...shapes: (readonly number[])[]): number[] {
  const out = broadcastShapesOrNull(shapes);
  if (!out) throw new TypeError(`${op}: incompatible shapes for broadcasting: ${shapes.map((x) => shapeStr(x)).join(', ')}`);
  return out;
}

export function broadcastTo(x: Array, shape: readonly number[], op = 'broadcast_to'): Array {
  if (x.ndim === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  const offset = shape.length - x.ndim;
  if (offset < 0) throw new TypeError(`${op}: cannot broadcast ${shapeStr(x.shape)} to the lower-rank shape ${shapeStr(shape)}`);
  broadcastShapes(op, x.shape, shape);
  if (!broadcastShapes(op, x.shape, shape).every((d, i) => d === shape[i])) {
    throw new TypeError(`${op}: cannot broadcast ${shapeStr(x.shape)} to ${shapeStr(shape)}`);
  }
  return lax.broadcastInDim.bind1([x], { shape: [...shape], broadcast_dimensions: x.shape.map((_, i) => i + offset) });
}

/** Promotes and broadcasts operands as NumPy does, with JAX's weak-type rules. */
export function promoteArgs(op: string, args: ArrayLike[], toDType?: (d: DType) => DType): Array[] {
  const arrays = args.map((a) => asarray(a));
  const { dtype, weak } = resultType(...arrays.map((a) => ({ dtype: a.dtype, weakType: a.weakType })));
  const target = toDType ? toDType(dtype) : dtype;
  const keepWeak = weak && target !== 'bool'; // jnp.sin(2) is a weak float, as in JAX
  const shape = broadcastShapes(op, ...arrays.map((a) => a.shape));
  return arrays.map((a) => broadcastTo(convertTo(a, target, keepWeak), shape, op));
}
