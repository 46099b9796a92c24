// Argument checks shared by the samplers added after the core ones (transformed.ts,
// gamma_family.ts, binomial.ts): JAX's _check_broadcast_shapes and _check_all_safe_to_cast, and
// the common form `sampler(key, ...params, shape?, dtype?)`.
import type { Array, ArrayLike } from '../core/array.js';
import { resultType, type DType } from '../core/dtypes.js';
import { jit } from '../api/jit.js';
import { asarray } from '../numpy/convert.js';
import { broadcastShapes, checkParamShapes, floatDType, parseArgs } from './common.js';
import { checkKey, checkShape } from './keys.js';

export type Shape = number | readonly number[];

/** A sample shape and a dtype, given positionally or in the trailing options object. */
export interface ShapeDTypeOptions {
  shape?: Shape | null;
  dtype?: DType;
}

/** JAX's _check_broadcast_shapes: `shape` (which the parameters must broadcast to) or their broadcast. */
export function sampleShape(name: string, shape: Shape | null | undefined, ...params: Array[]): number[] {
  if (shape === undefined || shape === null) return broadcastShapes(...params.map((p) => p.shape));
  const s = checkShape(name, shape);
  checkParamShapes(name, s, ...params.map((p) => p.shape));
  return s;
}

/** JAX's _check_all_safe_to_cast: promoting a parameter with `dtype` must give `dtype` (JS numbers are weak). */
export function checkSafeCast(name: string, dtype: DType, ...params: Array[]): void {
  for (const p of params) {
    if (p.dtype === dtype) continue;
    if (resultType({ dtype: p.dtype, weakType: p.weakType }, dtype).dtype !== dtype) {
      throw new TypeError(`In arguments to ${name}, cannot safely cast argument of type ${p.dtype} to ${dtype}`);
    }
  }
}

/** A required parameter, with Python's message when it is missing. */
export function required<T>(name: string, param: string, value: T | undefined): T {
  if (value === undefined) throw new TypeError(`${name}() missing 1 required positional argument: '${param}'`);
  return value;
}

/** The arguments after the key: parameters, shape and dtype positionally, then an options object. */
export type SamplerArg<O> = ArrayLike | Shape | null | DType | O | undefined;

/**
 * A float sampler `(key, ...params, shape?, dtype?)` whose shape defaults to the parameters'
 * broadcast; `impl(key, ...params, shape, dtype)` is jitted with the parameters as arguments.
 */
export function paramSampler<O extends ShapeDTypeOptions>(
  name: string,
  params: readonly string[],
  impl: (k: Array, ...rest: never[]) => Array,
  options: { defaults?: Record<string, () => Array>; allowComplex?: boolean } = {},
): (key: ArrayLike, ...args: SamplerArg<O>[]) => Array {
  const compiled = jit(impl as (...a: unknown[]) => Array, { staticArgnums: [params.length + 1, params.length + 2], name });
  return (key, ...args) => {
    const o = parseArgs<Record<string, unknown>>([...params, 'shape', 'dtype'], args);
    const k = checkKey(name, key);
    const dtype = floatDType(name, o.dtype as DType | undefined, options.allowComplex);
    const values = params.map((p) => {
      const v = o[p] as ArrayLike | undefined;
      return v === undefined && options.defaults?.[p] ? options.defaults[p]!() : asarray(required(name, p, v));
    });
    const shape = sampleShape(name, o.shape as Shape | null | undefined, ...values);
    checkSafeCast(name, dtype, ...values);
    return compiled(k, ...values, shape, dtype);
  };
}
