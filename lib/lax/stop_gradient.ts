// stop_gradient: the identity, whose tangent is zero at every level of nested differentiation.
import { Array } from '../core/array.js';
import { isInexact } from '../core/dtypes.js';
import { Primitive } from '../core/primitive.js';
import { map as treeMap } from '../core/pytree.js';

export const stopGradientP: Primitive = new Primitive('stop_gradient', {
  abstractEval: ([x]) => [x!],
  impl: ([x]) => [x!],
  lower: (_ctx, [x]) => [x!],
  jvp: ([x]) => [[stopGradientP.bind1([x!])], [null]],
  batch: ([x], [d]) => [[stopGradientP.bind1([x!])], [d ?? null]],
});

/** `lax.stopGradient(x)`: x (a pytree), treated as a constant by differentiation. JS numbers are constants already. */
export function stopGradient<T>(x: T): T {
  return treeMap((leaf: unknown) => (leaf instanceof Array && isInexact(leaf.dtype) ? stopGradientP.bind1([leaf]) : leaf), x);
}
