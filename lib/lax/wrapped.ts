// JAX's lax functions normalize their arguments in Python before binding the primitive (negative
// axes, negative start indices). jaxts exports such primitives as objects that bind like the
// primitive but normalize first, so `lax.squeeze.bind1([x], { dimensions: [-1] })` means what
// `lax.squeeze(x, (-1,))` means in JAX, while jaxprs record the primitive with normalized
// arguments (re-binding an equation never normalizes twice). Rules bind the primitive itself.
import type { Array } from '../core/array.js';
import { Primitive, type Params } from '../core/primitive.js';

/** What a wrapper does before binding: the operands and params to bind. */
export type Normalize = (args: Array[], params: Params) => { args: Array[]; params: Params };

/** `prim` with JAX's wrapper `normalize` applied on every bind through the returned object. */
export function withWrapper<P extends Primitive>(prim: P, normalize: Normalize): P {
  const wrapped = Object.create(prim) as P;
  const bind = (args: Array[], params: Params = {}): Array[] => {
    const n = normalize(args, params);
    return prim.bind(n.args, n.params);
  };
  Object.defineProperties(wrapped, {
    bind: { value: bind },
    bind1: { value: (args: Array[], params: Params = {}): Array => bind(args, params)[0]! },
  });
  return wrapped;
}
