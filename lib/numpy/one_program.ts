// JAX wraps most jnp functions in `jit`, so an eager call runs the whole composite as one XLA
// program. Its edge results can differ from running the same ops one program each: XLA's
// algebraic simplifier rewrites `x / broadcast(y)` into `x * broadcast(1 / y)` (so inf / max is
// inf * 0 = NaN once 1 / max flushes to zero), and a fused compare can see a subnormal that a
// lone `x == 0` program flushes to zero. Functions whose edges depend on this run through a
// cached `jit` when called eagerly, and inline (op by op into the caller's trace) otherwise.
import { jit } from '../api/jit.js';
import { Array, type ArrayLike } from '../core/array.js';
import { paramsKey } from '../core/primitive.js';
import { isEager } from '../core/trace.js';
import { asarray } from './convert.js';

/**
 * `fn` as one compiled program per signature when called eagerly; `fn` itself under a trace.
 * Arguments at `staticArgnums` (options) are compile-time constants, keyed as primitive params
 * are (so NaN, ±Infinity and -0 key apart, which plain JSON would not).
 */
export function asOneProgram<P extends unknown[], R>(name: string, fn: (...args: P) => R, staticArgnums: number[] = []): (...args: P) => R {
  let statics: unknown[] = [];
  // On a cache miss jit traces synchronously inside the call, so `statics` are this call's.
  const withStatics = (_key: string, ...arrays: Array[]): R => {
    const args: unknown[] = [];
    let [s, k] = [0, 0];
    for (let i = 0; i < arrays.length + statics.length; i++) args.push(staticArgnums.includes(i) && s < statics.length ? statics[s++] : arrays[k++]);
    return fn(...(args as P));
  };
  // created on first use: jit's module graph includes lib/numpy, so not at import time
  let compiled: ((...args: unknown[]) => R) | undefined;
  return (...args: P): R => {
    if (!isEager()) return fn(...args);
    // JS scalars become weakly typed arguments, as Python scalars do under JAX's jit
    const arrays = args.filter((_, i) => !staticArgnums.includes(i)).map((a) => (a instanceof Array ? a : asarray(a as ArrayLike)));
    if (!staticArgnums.length) {
      compiled ??= jit(fn as unknown as (...args: unknown[]) => R, { name });
      return compiled(...arrays);
    }
    compiled ??= jit(withStatics as (...args: unknown[]) => R, { name, staticArgnums: [0] });
    statics = args.filter((_, i) => staticArgnums.includes(i));
    return compiled(`${args.length}|${paramsKey({ statics })}`, ...arrays);
  };
}
