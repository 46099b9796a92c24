// Shared shape/dtype rules for primitive definitions (JAX's `standard_unop` / `naryop` logic).
import { ShapedArray, sameShape, shapeStr, shortDType } from '../core/aval.js';
import type { DType } from '../core/dtypes.js';

export type DTypeClass = (d: DType) => boolean;

const describe = (avals: ShapedArray[]): string => avals.map((a) => a.str()).join(', ');

/** Checks that `aval`'s dtype belongs to `accepted`; the error names the op and the dtype. */
export function checkDTypes(op: string, avals: ShapedArray[], accepted: DTypeClass, what: string): void {
  for (const a of avals) {
    if (!accepted(a.dtype)) throw new TypeError(`${op} does not accept dtype ${a.dtype}. Accepted dtypes are subtypes of ${what}.`);
  }
}

/** Equal shapes and equal dtypes (select_n cases; lax never promotes, and broadcasts only in binary ops). */
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

/**
 * lax binary elementwise ops (JAX's `broadcasting_shape_rule`): equal dtypes; rank-0 operands
 * broadcast to anything, the others need equal ranks, and each dimension is the same in all of
 * them or 1 in some (size-1 dimensions broadcast).
 */
export function broadcastingAval(op: string, avals: ShapedArray[], outDType?: DType): ShapedArray {
  const first = naryDType(op, avals);
  const shapes = avals.map((a) => a.shape).filter((s) => s.length > 0);
  const weak = avals.every((a) => a.weakType);
  if (shapes.length === 0) return new ShapedArray([], outDType ?? first, weak);
  const ranks = [...new Set(shapes.map((s) => s.length))].sort((a, b) => a - b);
  if (ranks.length > 1) throw new TypeError(`${op}: arrays must have the same number of dimensions, got {${ranks.join(', ')}}`);
  const shape = shapes[0]!.map((_, i) => {
    const sizes = shapes.map((s) => s[i]!).filter((d) => d !== 1);
    if (sizes.some((d) => d !== sizes[0])) {
      throw new TypeError(`${op} got incompatible shapes for broadcasting: ${shapes.map((s) => shapeStr(s)).join(', ')}.`);
    }
    return sizes[0] ?? 1;
  });
  return new ShapedArray(shape, outDType ?? first, weak);
}

function naryDType(op: string, avals: ShapedArray[]): DType {
  const [first] = avals;
  if (!first) throw new TypeError(`${op}: expected at least one operand`);
  if (avals.some((a) => a.dtype !== first.dtype)) {
    throw new TypeError(`lax.${op} requires arguments to have the same dtypes, got ${avals.map((a) => a.dtype).join(', ')}.`);
  }
  return first.dtype;
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
