// Argument handling shared by the samplers: options objects, dtype and shape checks with JAX's
// messages, and small vmap-safe helpers.
import { Array, type ArrayLike } from '../core/array.js';
import { broadcastShapesOrNull, shapeStr } from '../core/aval.js';
import { canonicalizeDType, checkDType, defaultFloatDType, iinfo, isFloating, isSignedInteger, itemsize, type DType } from '../core/dtypes.js';
import * as lax from '../lax/index.js';
import { asarray } from '../numpy/convert.js';
import { full } from '../numpy/creation.js';

/** A trailing options object (not an Array, a JS array, a dtype name or a number). */
export function isOptions(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !(v instanceof Array) && !globalThis.Array.isArray(v);
}

/**
 * Splits positional arguments from a trailing options object: the result holds each positional
 * name given positionally or by option (positional wins), plus every other option.
 */
export function parseArgs<T extends object>(names: readonly (keyof T & string)[], args: readonly unknown[]): Partial<T> {
  const out: Record<string, unknown> = {};
  let i = 0;
  for (; i < args.length && i < names.length; i++) {
    if (isOptions(args[i])) break;
    if (args[i] !== undefined) out[names[i]!] = args[i];
  }
  const options = args.slice(i).find(isOptions);
  if (options) for (const [k, v] of Object.entries(options)) if (v !== undefined && !(k in out)) out[k] = v;
  return out as Partial<T>;
}

/** The float dtype a sampler returns: the requested one canonicalized, float32/float64 by default. */
export function floatDType(name: string, dtype: DType | undefined, allowComplex = false): DType {
  const d = dtype === undefined ? defaultFloatDType() : canonicalizeDType(checkDType(dtype, name));
  if (!(isFloating(d) || (allowComplex && d.startsWith('complex')))) {
    throw new TypeError(`dtype argument to \`${name}\` must be a float${allowComplex ? ' or complex' : ''} dtype, got ${d}`);
  }
  return d;
}

/** NumPy broadcasting of shapes with JAX's message. */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  const out = broadcastShapesOrNull(shapes);
  if (!out) throw new TypeError(`Incompatible shapes for broadcasting: shapes=[${shapes.map((x) => shapeStr(x)).join(', ')}]`);
  return out;
}

/** JAX's _check_shape: parameter shapes broadcast to exactly `shape`. */
export function checkParamShapes(name: string, shape: readonly number[], ...paramShapes: (readonly number[])[]): void {
  if (!paramShapes.length) return;
  const result = broadcastShapes(shape, ...paramShapes);
  if (result.length !== shape.length || result.some((d, i) => d !== shape[i])) {
    throw new TypeError(
      `${name} parameter shapes must be broadcast-compatible with shape argument, and the result of broadcasting the shapes must equal the shape argument, but got result ${shapeStr(result)} for shape argument ${shapeStr(shape)}.`,
    );
  }
}

/** `x` converted to `dtype` with a strong type (lax.convert_element_type). */
export function convert(x: ArrayLike, dtype: DType): Array {
  const a = x instanceof Array ? x : asarray(x);
  return a.dtype === dtype && !a.weakType ? a : lax.convertElementType.bind1([a], { new_dtype: dtype, weak_type: false });
}

/** `x[..., i, ...]` along `axis` as a masked max-reduction (a gather-free, vmap-safe static index). */
export function pick(x: Array, axis: number, i: number): Array {
  const index = lax.iota.bind1([], { dtype: 'int32', shape: x.shape, dimension: axis });
  const fill = isFloating(x.dtype) ? -Infinity : isSignedInteger(x.dtype) ? iinfo(x.dtype).min : 0;
  const masked = lax.selectN.bind1([lax.eq.bind1([index, full(x.shape, i, { dtype: 'int32' })]), full(x.shape, fill, { dtype: x.dtype }), x]);
  return lax.reduceMax.bind1([masked], { axes: [axis] });
}

/** The unsigned integer dtype of `d`'s width. */
export const uintOf = (d: DType): DType => `uint${itemsize(d) * 8}` as DType;
