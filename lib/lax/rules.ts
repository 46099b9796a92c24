// Shared shape/dtype rules for primitive definitions (JAX's `standard_unop` / `naryop` logic).
import { ShapedArray, sameShape, shortDType } from '../core/aval.js';
import type { DType } from '../core/dtypes.js';

export type DTypeClass = (d: DType) => boolean;

const describe = (avals: ShapedArray[]): string => avals.map((a) => a.str()).join(', ');

/** Checks that `aval`'s dtype belongs to `accepted`; the error names the op and the dtype. */
export function checkDTypes(op: string, avals: ShapedArray[], accepted: DTypeClass, what: string): void {
  for (const a of avals) {
    if (!accepted(a.dtype)) throw new TypeError(`${op} does not accept dtype ${a.dtype}. Accepted dtypes are subtypes of ${what}.`);
  }
}

/** lax n-ary elementwise ops: equal shapes and equal dtypes (lax never promotes or broadcasts). */
export function naryAval(op: string, avals: ShapedArray[], outDType?: DType): ShapedArray {
  const [first] = avals;
  if (!first) throw new TypeError(`${op}: expected at least one operand`);
  if (avals.some((a) => a.dtype !== first.dtype)) {
    throw new TypeError(`lax.${op} requires arguments to have the same dtypes, got ${avals.map((a) => a.dtype).join(', ')}.`);
  }
  if (avals.some((a) => !sameShape(a.shape, first.shape))) {
    throw new TypeError(`lax.${op} requires arguments to have the same shape, got ${describe(avals)}.`);
  }
  return new ShapedArray(first.shape, outDType ?? first.dtype, avals.every((a) => a.weakType));
}

export function checkAxes(op: string, axes: readonly number[], ndim: number): void {
  const seen = new Set<number>();
  for (const a of axes) {
    if (!Number.isInteger(a) || a < 0 || a >= ndim) throw new RangeError(`${op}: axis ${a} is out of bounds for array of rank ${ndim}`);
    if (seen.has(a)) throw new RangeError(`${op}: duplicate axis ${a} in ${JSON.stringify(axes)}`);
    seen.add(a);
  }
}

export { shortDType };
