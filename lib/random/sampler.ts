// Samplers that loop until every draw is accepted (gamma, poisson) are primitives, as JAX's
// random_gamma_p is: vmap cannot see through a while loop, so the primitive's batching rule moves
// the mapped axis in front and the implementation treats leading key axes as independent
// problems, each stopping on its own (which is what JAX's batched while loop computes).
// The implementation is written with lax ops and lowered by tracing it.
import type { Array } from '../core/array.js';
import type { ShapedArray } from '../core/aval.js';
import type { ClosedJaxpr } from '../core/jaxpr.js';
import { Primitive, paramsKey, type Params } from '../core/primitive.js';
import { axisSizeOf, matchAxis } from '../interpreters/batching.js';
import { traceToJaxpr } from '../interpreters/partial_eval.js';
import { lowerJaxprBody } from '../lowering/module.js';
import * as lax from '../lax/index.js';
import * as jnp from '../numpy/index.js';

/**
 * A primitive over `(keys [...B, 2], ...operands [...B, ...])` with one result of `outAval`'s
 * rule; `impl` computes it from lax ops for any leading key axes B.
 */
export function samplerPrimitive(
  name: string,
  outAval: (avals: ShapedArray[], params: Params) => ShapedArray,
  impl: (args: Array[], params: Params) => Array,
  /** The tangent of the result given the operands' tangents (default: none, as for integer results). */
  tangent?: (primals: Array[], tangents: (Array | null)[], ans: Array, params: Params) => Array | null,
): Primitive {
  const traced = new Map<string, ClosedJaxpr>();
  const prim: Primitive = new Primitive(name, {
    abstractEval: (avals, params) => [outAval(avals, params)],
    lower: (ctx, args, params) => {
      const avals = args.map((a) => a.aval);
      const key = `${paramsKey(params)}|${avals.map((a) => a.str()).join(';')}`;
      let closed = traced.get(key);
      if (!closed) traced.set(key, (closed = traceToJaxpr((...xs) => [impl(xs, params)], avals)));
      if (closed.consts.length) throw new Error(`jaxts internal error: ${name}'s implementation captured array constants`);
      return lowerJaxprBody(ctx, closed.jaxpr, args);
    },
    jvp: (primals, tangents, params) => {
      const ans = prim.bind1(primals, params);
      return [[ans], [tangent && tangents.some((t) => t !== null) ? tangent(primals, tangents, ans, params) : null]];
    },
    batch: (args, dims, params) => {
      const size = axisSizeOf(args, dims);
      return [[prim.bind1(args.map((x, i) => matchAxis(x, dims[i] ?? null, 0, size)), params)], [0]];
    },
  });
  return prim;
}

/**
 * `while (any(cond)) carry = body(carry)` where `cond` gives one flag per problem (shape
 * `[...B]`, the leading axes of every carry): a problem whose flag is false keeps its carry.
 */
export function batchedWhile(cond: (carry: Array[]) => Array, body: (carry: Array[]) => Array[], init: Array[]): Array[] {
  const any = (flags: Array): Array => (flags.ndim ? jnp.any(flags) : flags);
  return lax.whileLoop(
    (carry: Array[]) => any(cond(carry)),
    (carry: Array[]) => {
      const flags = cond(carry);
      const next = body(carry);
      if (!flags.ndim) return next; // one problem: the loop condition is its flag
      return next.map((x, i) => {
        const keep = lax.broadcastInDim.bind1([flags], { shape: x.shape, broadcast_dimensions: flags.shape.map((_, d) => d) });
        return lax.selectN.bind1([keep, carry[i]!, x]);
      });
    },
    init,
  ) as Array[];
}
