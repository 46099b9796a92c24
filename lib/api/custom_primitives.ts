// The primitives behind customJvp and customVjp (JAX's custom_jvp_call, custom_vjp_call and
// custom_lin): each holds the user function as a closed jaxpr (constants as leading operands) and
// its rules as JS functions on flat arrays. Evaluation and lowering run the function; jvp runs the
// rule (custom_jvp) or fwd plus a custom_lin, linear in the tangents, whose transpose runs bwd;
// batching batches the function and wraps the rules in vmap.
import type { Array } from '../core/array.js';
import type { ShapedArray } from '../core/aval.js';
import type { ClosedJaxpr } from '../core/jaxpr.js';
import { Primitive, UndefinedPrimal, type Params } from '../core/primitive.js';
import { evalJaxpr, hasTangent, zerosLike, type Tangent } from '../interpreters/ad.js';
import { axisSizeOf, batchFlat, matchAxis, moveaxis, unmappedAval, type BatchDim } from '../interpreters/batching.js';
import { traceToJaxpr } from '../interpreters/partial_eval.js';
import { avalStr, typematch, withoutConsts } from '../lax/control/common.js';
import { reduceSum } from '../lax/reduce.js';
import type { LoweringContext, Value } from '../lowering/context.js';
import { lowerJaxprBody } from '../lowering/module.js';

/** A rule held by an equation: a function on flat arrays, printed by its user function's name (as JAX prints `jvp=f_jvp`). */
export class Rule<F> {
  constructor(
    readonly name: string,
    readonly call: F,
  ) {}
  toString(): string {
    return this.name;
  }
}

export type JvpFn = (primals: Array[], tangents: Tangent[]) => [Array[], Tangent[]];
export type FwdFn = (primals: Array[]) => [Array[], Array[]];
export type BwdFn = (residuals: Array[], cotangents: Tangent[]) => Tangent[];

const callJaxprOf = (params: Params) => params.call_jaxpr as ClosedJaxpr;
const numConstsOf = (params: Params) => params.num_consts as number;
const nonNull = <T>(xs: (T | null)[]): T[] => xs.filter((x): x is T => x !== null);

function closedOverError(kind: 'custom_jvp' | 'custom_vjp'): Error {
  const rules = kind === 'custom_jvp' ? 'custom_jvp rule' : 'custom_vjp fwd and bwd rules';
  return new TypeError(
    `Detected differentiation of a ${kind} function with respect to a closed-over value. That isn't supported because the custom ` +
      `${kind === 'custom_jvp' ? 'JVP' : 'VJP'} rule only specifies how to differentiate the ${kind} function with respect to explicit input parameters. ` +
      `Try passing the closed-over value into the ${kind} function as an argument, and adapting the ${rules}.`,
  );
}

/** The rules both call primitives share: abstract evaluation, eager evaluation and lowering of the function's jaxpr. */
function callRules(name: string) {
  return {
    abstractEval: (avals: ShapedArray[], params: Params): ShapedArray[] => {
      const jaxpr = callJaxprOf(params);
      if (avals.length !== jaxpr.inAvals.length || !avals.every((a, i) => typematch(a, jaxpr.inAvals[i]!))) {
        throw new TypeError(`${name} called with operands ${avals.map(avalStr).join(' ')}; its function takes ${jaxpr.inAvals.map(avalStr).join(' ')}`);
      }
      return jaxpr.outAvals;
    },
    impl: (args: Array[], params: Params) => evalJaxpr(callJaxprOf(params).jaxpr, args),
    // Inlined, as JAX lowers these calls: the rules play no part in the compiled program.
    lower: (ctx: LoweringContext, args: Value[], params: Params) => lowerJaxprBody(ctx, callJaxprOf(params).jaxpr, args),
  };
}

// ---- batching helpers ----

/** `closed` on operands batched along `dims` (0 or null), every output batched at 0; constants folded in. */
function batchCallJaxpr(closed: ClosedJaxpr, dims: BatchDim[], size: number): ClosedJaxpr {
  const traced = traceToJaxpr((...xs) => {
    const [outs, outDims] = batchFlat((...ts) => evalJaxpr(closed.jaxpr, ts), xs, dims, size);
    return outs.map((o, i) => matchAxis(o, outDims[i] ?? null, 0, size));
  }, closed.inAvals.map((a, i) => unmappedAval(a, dims[i] ?? null, size)));
  return withoutConsts(traced);
}

/** `fn` on flat arrays batched along `dims` (0 or null), every output moved to 0. */
function batchAt0(fn: (...xs: Array[]) => Array[], xs: Array[], dims: BatchDim[], size: number): Array[] {
  const [outs, outDims] = batchFlat(fn, xs, dims, size);
  return outs.map((o, i) => matchAxis(o, outDims[i] ?? null, 0, size));
}

/** Operands with their batch axes moved to 0 (the call primitives' batch rules keep every batch axis there). */
function toFront(args: Array[], dims: BatchDim[]): [Array[], BatchDim[]] {
  return [args.map((x, i) => (dims[i] === null ? x : moveaxis(x, dims[i]!, 0))), dims.map((d) => (d === null ? null : 0))];
}

// ---- custom_jvp_call ----

/** custom_jvp_call[call_jaxpr, jvp, num_consts](*consts, *args): the function; under jvp, its rule. */
export const customJvpCall: Primitive = new Primitive(
  'custom_jvp_call',
  {
    ...callRules('custom_jvp_call'),
    // The rule, with zero tangents instantiated (symbolic_zeros=False, as JAX's default).
    jvp: (primals, tangents, params) => {
      const n = numConstsOf(params);
      if (tangents.slice(0, n).some((t) => t !== null)) throw closedOverError('custom_jvp');
      const args = primals.slice(n);
      const ts = tangents.slice(n).map((t, i) => t ?? (hasTangent(args[i]!.dtype) ? zerosLike(args[i]!.aval) : null));
      return (params.jvp as Rule<JvpFn>).call(args, ts);
    },
    // The function and the rule both batched, every output at 0 so the two agree.
    batch: (args, dims, params) => {
      const size = axisSizeOf(args, dims);
      const [moved, front] = toFront(args, dims);
      const n = numConstsOf(params);
      const argDims = front.slice(n);
      const rule = params.jvp as Rule<JvpFn>;
      const jvp = new Rule<JvpFn>(rule.name, (primals, tangents) => {
        const nz = tangents.map((t) => t !== null);
        const outs = batchAt0(
          (...xs) => {
            let k = primals.length;
            const [o, to] = rule.call(xs.slice(0, primals.length), nz.map((z) => (z ? xs[k++]! : null)));
            return [...o, ...to.map((t, i) => t ?? zerosLike(o[i]!.aval))];
          },
          [...primals, ...nonNull(tangents)],
          [...argDims, ...argDims.filter((_, i) => nz[i])],
          size,
        );
        const m = outs.length / 2;
        return [outs.slice(0, m), outs.slice(m)];
      });
      const callJaxpr = batchCallJaxpr(callJaxprOf(params), front, size);
      const outs = customJvpCall.bind(moved, { ...params, call_jaxpr: callJaxpr, jvp });
      return [outs, outs.map(() => 0)];
    },
  },
  { multipleResults: true },
);

// ---- custom_vjp_call and custom_lin ----

/** custom_lin[num_res, bwd, out_avals, in_tangent](*residuals, *tangents): linear in the tangents; its transpose is bwd. */
export const customLin: Primitive = new Primitive(
  'custom_lin',
  {
    abstractEval: (_avals, params) => (params.out_avals as ShapedArray[]).filter((a) => hasTangent(a.dtype)),
    impl: () => {
      throw new TypeError("can't apply forward-mode autodiff (jvp) to a custom_vjp function.");
    },
    lower: () => {
      throw new TypeError("can't apply forward-mode autodiff (jvp) to a custom_vjp function.");
    },
    // Batched only when forward mode is vmapped (jacfwd, hessian): JAX's batcher raises too.
    batch: () => {
      throw new TypeError("can't apply forward-mode autodiff (jvp) to a custom_vjp function.");
    },
    transpose: (cts, args, params) => {
      const numRes = params.num_res as number;
      const res = args.slice(0, numRes);
      if (res.some((r) => r instanceof UndefinedPrimal)) throw new Error('jaxts internal error: custom_lin transposed with respect to a residual');
      let k = 0;
      const full = (params.out_avals as ShapedArray[]).map((a) => (hasTangent(a.dtype) ? (cts[k++] ?? zerosLike(a)) : null));
      const cotangents = (params.bwd as Rule<BwdFn>).call(res as Array[], full);
      const inTangent = params.in_tangent as boolean[];
      return [...res.map(() => null), ...cotangents.filter((_, i) => inTangent[i])];
    },
  },
  { multipleResults: true },
);

/** custom_vjp_call[call_jaxpr, fwd, bwd, num_consts](*consts, *args): the function; under jvp, fwd and a custom_lin. */
export const customVjpCall: Primitive = new Primitive(
  'custom_vjp_call',
  {
    ...callRules('custom_vjp_call'),
    jvp: (primals, tangents, params) => {
      const n = numConstsOf(params);
      if (tangents.slice(0, n).some((t) => t !== null)) throw closedOverError('custom_vjp');
      const args = primals.slice(n);
      const [outs, res] = (params.fwd as Rule<FwdFn>).call(args);
      const inTangent = args.map((a) => hasTangent(a.dtype));
      const ts = args.flatMap((a, i) => (inTangent[i] ? [tangents[n + i] ?? zerosLike(a.aval)] : []));
      const outAvals = callJaxprOf(params).outAvals;
      const lin = customLin.bind([...res, ...ts], { num_res: res.length, bwd: params.bwd, out_avals: outAvals, in_tangent: inTangent, symbolic_zeros: false });
      let k = 0;
      return [outs, outAvals.map((a) => (hasTangent(a.dtype) ? lin[k++]! : null))];
    },
    // The function and fwd batched (every output and residual at 0); bwd batched, summing the
    // cotangents of unbatched operands over the batch axis (JAX's batch_custom_vjp_bwd).
    batch: (args, dims, params) => {
      const size = axisSizeOf(args, dims);
      const [moved, front] = toFront(args, dims);
      const n = numConstsOf(params);
      const argDims = front.slice(n);
      const inAvals = callJaxprOf(params).inAvals.slice(n);
      const fwd = params.fwd as Rule<FwdFn>;
      const bwd = params.bwd as Rule<BwdFn>;
      let numOuts = 0;
      const batchedFwd = new Rule<FwdFn>(fwd.name, (primals) => {
        const outs = batchAt0(
          (...xs) => {
            const [o, r] = fwd.call(xs);
            numOuts = o.length;
            return [...o, ...r];
          },
          primals,
          argDims,
          size,
        );
        return [outs.slice(0, numOuts), outs.slice(numOuts)];
      });
      const batchedBwd = new Rule<BwdFn>(bwd.name, (res, cts) => {
        const given = cts.map((c) => c !== null);
        const inTangent = inAvals.map((a) => hasTangent(a.dtype));
        const [vals, outDims] = batchFlat(
          (...xs) => {
            let k = res.length;
            const cs = bwd.call(xs.slice(0, res.length), given.map((g) => (g ? xs[k++]! : null)));
            return nonNull(cs.map((c, i) => (inTangent[i] ? (c ?? zerosLike(inAvals[i]!)) : null)));
          },
          [...res, ...nonNull(cts)],
          [...res.map(() => 0), ...nonNull(cts).map(() => 0)],
          size,
        );
        let k = 0;
        return inAvals.map((_, i) => {
          if (!inTangent[i]) return null;
          const v = vals[k]!;
          const d = outDims[k++] ?? null;
          if (argDims[i] !== null) return matchAxis(v, d, 0, size);
          return d === null ? v : reduceSum.bind1([v], { axes: [d] });
        });
      });
      const callJaxpr = batchCallJaxpr(callJaxprOf(params), front, size);
      const outs = customVjpCall.bind(moved, { ...params, call_jaxpr: callJaxpr, fwd: batchedFwd, bwd: batchedBwd });
      return [outs, outs.map(() => 0)];
    },
  },
  { multipleResults: true },
);

