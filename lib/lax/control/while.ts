// while_loop and fori_loop: the `while` primitive runs a body jaxpr while a cond jaxpr holds,
// lowered to stablehlo.while with the constants threaded through the loop as JAX does. Forward
// mode only: the trip count is dynamic, so reverse mode has nothing to store residuals in. Under
// vmap its predicate may be batched (one per example): the loop then runs until all are done.
import type { Array } from '../../core/array.js';
import { ShapedArray } from '../../core/aval.js';
import { isSignedInteger } from '../../core/dtypes.js';
import { ClosedJaxpr, Jaxpr, Var, dce, type JaxprEqn } from '../../core/jaxpr.js';
import { Primitive, type Params } from '../../core/primitive.js';
import { unflatten } from '../../core/pytree.js';
import { Tracer } from '../../core/trace.js';
import { fullOf, zerosLike } from '../../interpreters/ad.js';
import { axisSizeOf, matchAxis, type BatchDim, type BatchResult } from '../../interpreters/batching.js';
import { partialEvalJaxpr, type EqnSplit } from '../../interpreters/partial_eval_ad.js';
import { i64Array, type LoweringContext, type Value } from '../../lowering/context.js';
import { lowerJaxprBody } from '../../lowering/module.js';
import { convertElementType } from '../convert.js';
import { add, lt } from '../elementwise.js';
import { applyEagerly, atZero, avalStr, type AsArrays, batchBody, carryFixpoint, flattenArrays, jvpJaxpr, leafArray, promoteWeakInit, ranges, rewire, scalarArray, traceFn, typematch } from './common.js';
import { checkWhileCarry } from './errors.js';
import { scan } from './scan.js';

interface WhileParams {
  cond_jaxpr: ClosedJaxpr;
  body_jaxpr: ClosedJaxpr;
  cond_nconsts: number;
  body_nconsts: number;
}

const whileParams = (params: Params) => params as unknown as WhileParams;

/** while[cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts](*cond_consts, *body_consts, *init) */
export const whileP: Primitive = new Primitive(
  'while',
  {
    abstractEval: (avals, params) => {
      const { cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts } = whileParams(params);
      const carry = avals.slice(cond_nconsts + body_nconsts);
      const cIn = [...avals.slice(0, cond_nconsts), ...carry];
      const bIn = avals.slice(cond_nconsts);
      if (cond_jaxpr.inAvals.length !== cIn.length || !cIn.every((a, i) => typematch(a, cond_jaxpr.inAvals[i]!))) {
        throw new TypeError(`while_loop cond function input type error: takes ${cond_jaxpr.inAvals.map(avalStr).join(' ')}, called with ${cIn.map(avalStr).join(' ')}`);
      }
      if (body_jaxpr.inAvals.length !== bIn.length || !bIn.every((a, i) => typematch(a, body_jaxpr.inAvals[i]!))) {
        throw new TypeError(`while_loop body function input type error: takes ${body_jaxpr.inAvals.map(avalStr).join(' ')}, called with ${bIn.map(avalStr).join(' ')}`);
      }
      const pred = cond_jaxpr.outAvals;
      // A predicate with axes is a batched one (vmap's): its shape is a prefix of every carry's.
      const prefixOfCarry = (p: ShapedArray) => carry.every((c) => p.shape.every((d, i) => c.shape[i] === d));
      if (pred.length !== 1 || pred[0]!.dtype !== 'bool' || !prefixOfCarry(pred[0]!)) {
        throw new TypeError(`cond_fun must return a boolean scalar, but got output type(s) [${pred.map((a) => `ShapedArray(${avalStr(a)})`).join(', ')}].`);
      }
      return body_jaxpr.outAvals;
    },
    impl: (args, params) => applyEagerly(whileP, args, params, [whileParams(params).cond_jaxpr, whileParams(params).body_jaxpr]),
    lower: lowerWhile,
    jvp: whileJvp,
    transpose: () => {
      throw new Error(
        'Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values. ' +
          'Try using lax.scan, or using fori_loop with static start/stop.',
      );
    },
    partialEval: whilePartialEval,
    batch: whileBatch,
  },
  { multipleResults: true },
);

// ---- lowering ----

const BOOL = new ShapedArray([], 'bool');

/** Whether any element of a batched predicate holds. */
function anyOf(ctx: LoweringContext, pred: Value): Value {
  const body = ctx.region([BOOL, BOOL], (inner, [a, b]) => [inner.op1('stablehlo.or', [a!, b!], BOOL)]);
  const axes = pred.aval.shape.map((_, i) => i);
  return ctx.op1('stablehlo.reduce', [pred, ctx.constant(false, BOOL)], BOOL, { dimensions: i64Array(axes) }, [body]);
}

/**
 * Every operand is loop-carried; the cond region reads its constants and the carry, the body its
 * constants and the carry, and returns the constants unchanged. A batched predicate (from vmap)
 * loops while any element holds, and the body keeps the old carry where its element is done,
 * as JAX's _while_lowering.
 */
function lowerWhile(ctx: LoweringContext, args: Value[], params: Params): Value[] {
  const { cond_jaxpr, body_jaxpr, cond_nconsts: nc, body_nconsts: nb } = whileParams(params);
  const batched = cond_jaxpr.outAvals[0]!.ndim > 0;
  const avals = args.map((a) => a.aval);
  const pred = (inner: LoweringContext, xs: Value[]) => lowerJaxprBody(inner, cond_jaxpr.jaxpr, [...xs.slice(0, nc), ...xs.slice(nc + nb)])[0]!;
  const condRegion = ctx.region(avals, (inner, xs) => [batched ? anyOf(inner, pred(inner, xs)) : pred(inner, xs)]);
  const bodyRegion = ctx.region(avals, (inner, xs) => {
    const carry = xs.slice(nc + nb);
    let next = lowerJaxprBody(inner, body_jaxpr.jaxpr, xs.slice(nc));
    if (batched) {
      const p = pred(inner, xs);
      const dims = i64Array(p.aval.shape.map((_, i) => i));
      next = next.map((n, i) => {
        const spread = inner.op1('stablehlo.broadcast_in_dim', [p], new ShapedArray(n.aval.shape, 'bool'), { broadcast_dimensions: dims });
        return inner.op1('stablehlo.select', [spread, n, carry[i]!], n.aval);
      });
    }
    return [...xs.slice(0, nc + nb), ...next];
  });
  return ctx.op('stablehlo.while', args, avals, {}, [condRegion, bodyRegion]).slice(nc + nb);
}

// ---- forward mode ----

function whileJvp(primals: Array[], tangents: (Array | null)[], params: Params): [Array[], (Array | null)[]] {
  const { cond_jaxpr, body_jaxpr, cond_nconsts: nc, body_nconsts: nb } = whileParams(params);
  const nz = tangents.map((t) => t !== null);
  const bconstNz = nz.slice(nc, nc + nb);
  const carryNz = carryFixpoint(nz.slice(nc + nb), (carry) => jvpJaxpr(body_jaxpr, [...bconstNz, ...carry], carry).outNonzero);
  const { jaxpr } = jvpJaxpr(body_jaxpr, [...bconstNz, ...carryNz], carryNz);
  const nK = carryNz.length;
  const nbDot = bconstNz.filter(Boolean).length;
  const nKDot = carryNz.filter(Boolean).length;
  // [bconsts, carry, bconsts_dot, carry_dot] → [bconsts, bconsts_dot, carry, carry_dot]
  const body = rewire(jaxpr, ranges([0, nb], [nb + nK, nbDot], [nb, nK], [nb + nK + nbDot, nKDot]), ranges([0, nK + nKDot]));
  const carry = primals.slice(nc + nb);
  const carryDot = carryNz.flatMap((on, i) => (on ? [tangents[nc + nb + i] ?? zerosLike(carry[i]!.aval)] : []));
  const c = cond_jaxpr.jaxpr;
  const condAug = new ClosedJaxpr(new Jaxpr([], [...c.inVars, ...carryDot.map((t) => new Var(t.aval))], c.eqns, c.outs), []);
  const outs = whileP.bind(
    [...primals.slice(0, nc + nb), ...tangents.slice(nc, nc + nb).filter((t): t is Array => t !== null), ...carry, ...carryDot],
    { cond_jaxpr: condAug, body_jaxpr: body, cond_nconsts: nc, body_nconsts: nb + nbDot },
  );
  let k = nK;
  return [outs.slice(0, nK), carryNz.map((on) => (on ? outs[k++]! : null))];
}

/**
 * Known carries come from a loop over the known part of the body; the unknown ones from the
 * whole loop, staged (JAX's _while_partial_eval: linearize works, transposing it is the error).
 */
function whilePartialEval(eqn: JaxprEqn, inUnknown: boolean[]): EqnSplit | undefined {
  const { cond_jaxpr, body_jaxpr, cond_nconsts: nc, body_nconsts: nb } = whileParams(eqn.params);
  const cconstUk = inUnknown.slice(0, nc);
  const bconstUk = inUnknown.slice(nc, nc + nb);
  const carryUk = carryFixpoint(inUnknown.slice(nc + nb), (carry) => partialEvalJaxpr(body_jaxpr, [...bconstUk, ...carry], carry).outUnknown);
  if (carryUk.every(Boolean)) return undefined;
  const condSplit = partialEvalJaxpr(cond_jaxpr, [...cconstUk, ...carryUk]);
  if (condSplit.outUnknown[0]) return undefined;
  const numKnown = carryUk.filter((u) => !u).length;
  const bodySplit = partialEvalJaxpr(body_jaxpr, [...bconstUk, ...carryUk], carryUk);
  const only = (j: ClosedJaxpr, n: number) => new ClosedJaxpr(dce(new Jaxpr([], j.jaxpr.inVars, j.jaxpr.eqns, j.jaxpr.outs.slice(0, n))), []);
  const known: JaxprEqn = {
    primitive: whileP,
    inputs: eqn.inputs.filter((_, i) => !inUnknown[i] && !(i >= nc + nb && carryUk[i - nc - nb])),
    params: { cond_jaxpr: only(condSplit.known, 1), body_jaxpr: only(bodySplit.known, numKnown), cond_nconsts: cconstUk.filter((u) => !u).length, body_nconsts: bconstUk.filter((u) => !u).length },
    outVars: eqn.outVars.filter((_, i) => !carryUk[i]),
  };
  const unknown: JaxprEqn = { ...eqn, outVars: eqn.outVars.map((v, i) => (carryUk[i] ? v : new Var(v.aval))) };
  return { known: [known], unknown, outUnknown: carryUk };
}

// ---- batching ----

/**
 * JAX's _while_loop_batching_rule: carries are batched where the init is or the body makes them
 * (a fixpoint). If the predicate is then batched, every carry is batched at 0 and the loop runs
 * until every element is done, each element's carry frozen once its predicate fails (see the
 * lowering); otherwise batched carries have their batch axis right after the predicate's axes.
 */
function whileBatch(args: Array[], dims: BatchDim[], params: Params): BatchResult {
  const { cond_jaxpr, body_jaxpr, cond_nconsts: nc, body_nconsts: nb } = whileParams(params);
  const size = axisSizeOf(args, dims);
  const cconstDims = dims.slice(0, nc);
  const bconstDims = dims.slice(nc, nc + nb);
  const initDims = dims.slice(nc + nb);
  const carryBat = carryFixpoint(
    initDims.map((d) => d !== null),
    (carry) => batchBody(body_jaxpr, [...bconstDims, ...atZero(carry)], size, carry).outBatched,
  );
  const predBat = batchBody(cond_jaxpr, [...cconstDims, ...atZero(carryBat)], size).outBatched[0]!;
  const at = predBat ? 0 : cond_jaxpr.outAvals[0]!.ndim;
  const carryDims: BatchDim[] = carryBat.map((b) => (predBat || b ? at : null));
  const body = batchBody(body_jaxpr, [...bconstDims, ...carryDims], size, carryDims.map((d) => d !== null), at).jaxpr;
  const cond = batchBody(cond_jaxpr, [...cconstDims, ...carryDims], size, predBat, 0).jaxpr;
  const init = args.slice(nc + nb).map((x, i) => (carryDims[i] === null ? x : matchAxis(x, initDims[i] ?? null, carryDims[i]!, size)));
  const outs = whileP.bind([...args.slice(0, nc + nb), ...init], { ...params, cond_jaxpr: cond, body_jaxpr: body });
  return [outs, carryDims];
}

// ---- the public functions ----

/**
 * `lax.whileLoop(condFn, bodyFn, init)`: `while (condFn(val)) val = bodyFn(val)` as one compiled
 * loop. The carry is a pytree of fixed structure, shapes and dtypes. Differentiable in forward
 * mode only (use scan, or foriLoop with static bounds, for reverse mode).
 */
export function whileLoop<const T>(condFn: (val: NoInfer<AsArrays<T>>) => Array | boolean, bodyFn: (val: NoInfer<AsArrays<T>>) => NoInfer<AsArrays<T> | Readonly<AsArrays<T>> | T>, init: T): AsArrays<T> {
  if (typeof condFn !== 'function' || typeof bodyFn !== 'function') throw new TypeError('lax.while_loop: body_fun and cond_fun arguments should be callable.');
  let [initFlat, argTree] = flattenArrays([init], 'lax.while_loop');
  const carryTree = argTree.children()[0]!;
  const traceBoth = () => {
    const avals = initFlat.map((a) => a.aval);
    const c = traceFn(condFn as (...a: never[]) => unknown, argTree, avals, 'while_loop cond_fun');
    const b = traceFn(bodyFn as (...a: never[]) => unknown, argTree, avals, 'while_loop body_fun');
    const pred = c.jaxpr.outAvals;
    if (!c.outTree.isLeaf() || pred.length !== 1) throw new TypeError(`cond_fun must return a boolean scalar, but got pytree ${c.outTree}.`);
    if (pred[0]!.dtype !== 'bool' || pred[0]!.ndim !== 0) throw new TypeError(`cond_fun must return a boolean scalar, but got output type(s) [ShapedArray(${avalStr(pred[0]!)})].`);
    return { c, b };
  };
  let { c, b } = traceBoth();
  // A weakly typed init (a JS number) takes the type the body gives it, and the functions are retraced.
  const promoted = b.outTree.equals(carryTree) ? promoteWeakInit(initFlat, b.jaxpr.outAvals) : undefined;
  if (promoted) {
    initFlat = promoted;
    ({ c, b } = traceBoth());
  }
  checkWhileCarry(carryTree, initFlat.map((a) => a.aval), b.outTree, b.jaxpr.outAvals);
  if (!initFlat.length) return unflatten(carryTree, []); // nothing to compute
  const outs = whileP.bind([...c.consts, ...b.consts, ...initFlat], {
    cond_jaxpr: c.jaxpr,
    body_jaxpr: b.jaxpr,
    cond_nconsts: c.consts.length,
    body_nconsts: b.consts.length,
  });
  return unflatten(carryTree, outs);
}

const isStatic = (x: Array | number): boolean => typeof x === 'number' || !(x instanceof Tracer);

/**
 * `lax.foriLoop(lower, upper, bodyFn, init)`: `for (i = lower; i < upper; i++) val = bodyFn(i, val)`.
 * With bounds known at trace time (JS numbers or concrete arrays) it is a scan, so reverse mode
 * works; with traced bounds it is a while loop.
 */
export function foriLoop<const T>(lower: Array | number, upper: Array | number, bodyFn: (i: Array, val: NoInfer<AsArrays<T>>) => NoInfer<AsArrays<T> | Readonly<AsArrays<T>> | T>, init: T, options: { unroll?: number | boolean } = {}): AsArrays<T> {
  if (typeof bodyFn !== 'function') throw new TypeError('lax.fori_loop: body_fun argument should be callable.');
  const body = bodyFn as unknown as (i: Array, x: unknown) => unknown;
  const lo = leafArray(lower, 'lax.fori_loop');
  const hi = leafArray(upper, 'lax.fori_loop');
  let dtype = lo.dtype;
  if (lo.dtype !== hi.dtype) {
    // Weak integers (JS numbers) take the other bound's dtype, as JAX allows.
    const both = isSignedInteger(lo.dtype) && isSignedInteger(hi.dtype);
    if (both && lo.weakType && !hi.weakType) dtype = hi.dtype;
    else if (both && !lo.weakType && hi.weakType) dtype = lo.dtype;
    else throw new TypeError(`lower and upper arguments to fori_loop must have equal types, got ${lo.dtype} and ${hi.dtype}`);
  }
  if (isStatic(lower) && isStatic(upper)) {
    const start = Number(lo.item());
    const length = Math.max(Number(hi.item()) - start, 0);
    const [carry] = scan<unknown, null, null>(
      (c) => {
        const [i, x] = c as [Array, unknown];
        return [[add.bind1([i, scalarArray(1)]), body(i, x)], null] as const;
      },
      [scalarArray(start), init],
      null,
      { length, unroll: options.unroll ?? false },
    );
    return (carry as [Array, unknown])[1] as AsArrays<T>;
  }
  if (options.unroll !== undefined && options.unroll !== false && options.unroll !== 1) {
    throw new Error('Can only use `unroll` in `fori_loop` if the loop bounds are statically known.');
  }
  const cast = (x: Array) => (x.dtype === dtype ? x : convertElementType.bind1([x], { new_dtype: dtype, weak_type: false }));
  const [, , result] = whileLoop<unknown>(
    (c) => lt.bind1([(c as Array[])[0]!, (c as Array[])[1]!]),
    (c) => {
      const [i, u, x] = c as [Array, Array, unknown];
      return [add.bind1([i, fullOf(i.aval, 1)]), u, body(i, x)];
    },
    [cast(lo), cast(hi), init],
  ) as [Array, Array, unknown];
  return result as AsArrays<T>;
}

