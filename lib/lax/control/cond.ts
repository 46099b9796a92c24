// cond and switch: the `cond` primitive applies one of its branches (closed jaxprs taking the
// same operands) chosen by an int32 index, lowered to stablehlo.case as JAX does. Under vmap a
// batched index becomes a select between every branch's outputs.
import { Array } from '../../core/array.js';
import { ShapedArray } from '../../core/aval.js';
import { isBool, isComplex, isInteger } from '../../core/dtypes.js';
import { ClosedJaxpr, Jaxpr, Var, type JaxprEqn } from '../../core/jaxpr.js';
import { Primitive, UndefinedPrimal, type Params } from '../../core/primitive.js';
import { unflatten } from '../../core/pytree.js';
import { constLike, evalJaxpr, fullOf, zerosLike } from '../../interpreters/ad.js';
import { axisSizeOf, matchAxis, moveaxis, type BatchDim, type BatchResult } from '../../interpreters/batching.js';
import { traceToJaxpr } from '../../interpreters/partial_eval.js';
import { partialEvalJaxpr, type EqnSplit } from '../../interpreters/partial_eval_ad.js';
import { transposeJaxpr } from '../../interpreters/transpose.js';
import { lowerJaxprBody } from '../../lowering/module.js';
import { convertElementType } from '../convert.js';
import { clamp, eq, ne, selectN } from '../elementwise.js';
import { broadcastInDim } from '../shape.js';
import { stopGradient } from '../stop_gradient.js';
import { applyEagerly, atZero, avalStr, type AsArrays, batchBody, flattenArrays, forwarding, jvpJaxpr, leafArray, mergeConsts, rewire, traceFn, typematch, withoutConsts } from './common.js';
import { checkBranchOutputs } from './errors.js';

const branchesOf = (params: Params) => params.branches as ClosedJaxpr[];
const avalsStr = (avals: readonly ShapedArray[]) => avals.map(avalStr).join(' ');

/** cond[branches](index, *operands): branches[index](*operands); the index is int32 and in range. */
export const condP: Primitive = new Primitive(
  'cond',
  {
    abstractEval: ([index, ...ops], params) => {
      const branches = branchesOf(params);
      if (!branches.length) throw new TypeError('cond requires at least one branch function');
      const [b0, ...rest] = branches;
      rest.forEach((b, i) => {
        if (b.inAvals.length !== b0!.inAvals.length || !b.inAvals.every((a, k) => typematch(a, b0!.inAvals[k]!))) {
          throw new TypeError(`cond branches 0 and ${i + 1} have mismatching input types: ${avalsStr(b0!.inAvals)} vs ${avalsStr(b.inAvals)}`);
        }
        if (b.outAvals.length !== b0!.outAvals.length || !b.outAvals.every((a, k) => typematch(a, b0!.outAvals[k]!))) {
          throw new TypeError(`cond branches 0 and ${i + 1} have mismatching output types: ${avalsStr(b0!.outAvals)} vs ${avalsStr(b.outAvals)}`);
        }
      });
      if (index!.dtype !== 'int32') throw new TypeError(`cond called with index of type ${index!.dtype} instead of int32`);
      if (index!.ndim !== 0) throw new TypeError(`cond called with an index of shape ${avalStr(index!)}; it must be a scalar`);
      if (ops.length !== b0!.inAvals.length) throw new TypeError(`cond called with ${ops.length} non-predicate operands, but branches take ${b0!.inAvals.length} inputs`);
      if (!ops.every((a, k) => typematch(a, b0!.inAvals[k]!))) {
        throw new TypeError(`cond branches take input types ${avalsStr(b0!.inAvals)}, called with operands of type ${avalsStr(ops)}`);
      }
      return b0!.outAvals;
    },
    impl: (args, params) => applyEagerly(condP, args, params, branchesOf(params)),
    // One region per branch; regions read the operands from the enclosing scope, as JAX's case does.
    lower: (ctx, [index, ...ops], params, outAvals) => {
      const regions = branchesOf(params).map((b) => ctx.region([], (inner) => lowerJaxprBody(inner, b.jaxpr, ops)));
      return ctx.op('stablehlo.case', [index!], outAvals, {}, regions);
    },
    // Each branch's JVP, with the output tangents that any branch makes nonzero instantiated in all.
    jvp: ([index, ...ops], [, ...opsDot], params) => {
      const branches = branchesOf(params);
      const nonzero = opsDot.map((t) => t !== null);
      const outNonzero = branches.map((b) => jvpJaxpr(b, nonzero).outNonzero).reduce((a, b) => a.map((x, i) => x || b[i]!));
      const jvps = branches.map((b) => jvpJaxpr(b, nonzero, outNonzero).jaxpr);
      const outs = condP.bind([index!, ...ops, ...opsDot.filter((t): t is Array => t !== null)], { ...params, branches: jvps });
      let k = outNonzero.length;
      return [outs.slice(0, k), outNonzero.map((nz) => (nz ? outs[k++]! : null))];
    },
    // Transpose each branch for the same linear operands and nonzero cotangents.
    transpose: (cts, [index, ...ops], params) => {
      if (index instanceof UndefinedPrimal) throw new Error('cond: cannot transpose with respect to the branch index');
      const linear = ops.map((o) => o instanceof UndefinedPrimal);
      const ctNonzero = cts.map((c) => c !== null);
      const branches = branchesOf(params).map((b) => withoutConsts(transposeJaxpr(b, linear, ctNonzero)));
      const defined = ops.filter((o): o is Array => !(o instanceof UndefinedPrimal));
      const outs = condP.bind([index, ...defined, ...cts.filter((c): c is Array => c !== null)], { ...params, branches });
      let k = 0;
      return [null, ...linear.map((l) => (l ? outs[k++]! : null))];
    },
    partialEval: condPartialEval,
    batch: condBatch,
  },
  { multipleResults: true },
);

// ---- batching ----

/** `pred` (batched along axis 0) broadcast over `like`'s shape, as JAX's _bcast_select does. */
const spreadPred = (pred: Array, like: Array) => (pred.ndim === like.ndim ? pred : broadcastInDim.bind1([pred], { shape: [...like.shape], broadcast_dimensions: [0] }));

/**
 * JAX's _cond_batching_rule. A batched index turns the cond into a select between every branch's
 * batched outputs (all branches run); an unbatched one keeps a cond of batched branches whose
 * outputs are batched (at 0) wherever any branch's are.
 */
function condBatch(args: Array[], dims: BatchDim[], params: Params): BatchResult {
  const branches = branchesOf(params);
  const size = axisSizeOf(args, dims);
  const [index, ...ops] = args;
  const [indexDim, ...opDims] = dims;
  if (indexDim !== null && indexDim !== undefined) {
    const idx = moveaxis(index!, indexDim, 0);
    const operands = ops.map((x, i) => matchAxis(x, opDims[i] ?? null, 0, size));
    const outs = branches.map((b, k) => {
      const { jaxpr } = batchBody(b, operands.map(() => 0), size, true);
      // Each branch sees its operands only where it is taken, so reverse mode sends no cotangent
      // through the branches not taken (JAX issue 1052).
      const taken = eq.bind1([idx, fullOf(idx.aval, k)]);
      return evalJaxpr(jaxpr.jaxpr, operands.map((x) => selectN.bind1([spreadPred(taken, x), stopGradient(x), x])));
    });
    const selected = outs[0]!.map((_, i) => selectN.bind1([spreadPred(idx, outs[0]![i]!), ...outs.map((o) => o[i]!)]));
    return [selected, selected.map(() => 0)];
  }
  const inDims = atZero(opDims.map((d) => d !== null));
  const operands = ops.map((x, i) => (opDims[i] === null ? x : moveaxis(x, opDims[i]!, 0)));
  const outBatched = branches.map((b) => batchBody(b, inDims, size).outBatched).reduce((a, b) => a.map((x, i) => x || b[i]!));
  const batched = branches.map((b) => batchBody(b, inDims, size, outBatched).jaxpr);
  return [condP.bind([index!, ...operands], { ...params, branches: batched }), atZero(outBatched)];
}

// ---- partial evaluation ----

/**
 * Residuals of all branches merged by type, reusing a slot across branches where types agree
 * (JAX's _merge_branch_residuals): the merged list and, per branch, where its residuals go.
 */
function mergeResiduals(perBranch: ShapedArray[][]): [ShapedArray[], number[][]] {
  const all: ShapedArray[] = [];
  const slots = new Map<string, number[]>();
  const indices = perBranch.map((avals) => {
    const used = new Map<string, number>();
    return avals.map((a) => {
      const n = used.get(a.key()) ?? 0;
      used.set(a.key(), n + 1);
      const list = slots.get(a.key()) ?? [];
      slots.set(a.key(), list);
      if (n === list.length) {
        list.push(all.length);
        all.push(a);
      }
      return list[n]!;
    });
  });
  return [all, indices];
}

/** A known branch made to output every merged residual: its own, and zeros in the other slots. */
function joinOutputs(known: ClosedJaxpr, numOuts: number, all: ShapedArray[], mine: number[]): ClosedJaxpr {
  return withoutConsts(
    traceToJaxpr((...xs) => {
      const outs = evalJaxpr(known.jaxpr, xs);
      const res = all.map((a, slot) => {
        const i = mine.indexOf(slot);
        return i >= 0 ? outs[numOuts + i]! : zerosLike(a);
      });
      return [...outs.slice(0, numOuts), ...res];
    }, known.inAvals),
  );
}

/** An unknown branch made to take every merged residual, reading only its own. */
function joinInputs(unknown: ClosedJaxpr, numRes: number, all: ShapedArray[], mine: number[]): ClosedJaxpr {
  const j = unknown.jaxpr;
  const resVars = all.map((a) => new Var(a));
  mine.forEach((slot, i) => (resVars[slot] = j.inVars[i]!));
  return new ClosedJaxpr(new Jaxpr([], [...resVars, ...j.inVars.slice(numRes)], j.eqns, j.outs), []);
}

/** Known operands → a cond of the known parts (with residuals); the unknown parts are staged as another cond. */
function condPartialEval(eqn: JaxprEqn, inUnknown: boolean[]): EqnSplit | undefined {
  const [indexUnknown, ...opsUnknown] = inUnknown;
  if (indexUnknown) return undefined;
  const branches = branchesOf(eqn.params);
  const outUnknown = branches.map((b) => partialEvalJaxpr(b, opsUnknown).outUnknown).reduce((a, b) => a.map((x, i) => x || b[i]!));
  const splits = branches.map((b) => partialEvalJaxpr(b, opsUnknown, outUnknown));
  const [allRes, slots] = mergeResiduals(splits.map((s) => s.unknown.inAvals.slice(0, s.numResiduals)));
  const numKnownOuts = outUnknown.filter((u) => !u).length;
  const resVars = allRes.map((a) => new Var(a));
  const [index, ...ops] = eqn.inputs;
  const known: JaxprEqn = {
    primitive: condP,
    inputs: [index!, ...ops.filter((_, i) => !opsUnknown[i])],
    params: { ...eqn.params, branches: splits.map((s, b) => joinOutputs(s.known, numKnownOuts, allRes, slots[b]!)) },
    outVars: [...eqn.outVars.filter((_, i) => !outUnknown[i]), ...resVars],
  };
  const unknown: JaxprEqn = {
    primitive: condP,
    inputs: [index!, ...resVars, ...ops.filter((_, i) => opsUnknown[i])],
    params: { ...eqn.params, branches: splits.map((s, b) => joinInputs(s.unknown, s.numResiduals, allRes, slots[b]!)) },
    outVars: eqn.outVars.filter((_, i) => outUnknown[i]),
  };
  return { known: [known], unknown, outUnknown };
}

// ---- the public functions ----

interface Branch {
  fn: (...operands: never[]) => unknown;
  name: string;
}

/** Traces the branches on the operands and binds cond; outputs a branch merely forwards are not routed through it. */
function condImpl(api: string, index: Array, branches: Branch[], operands: unknown[], checkOrder = branches.map((_, i) => i)): unknown {
  const [args, inTree] = flattenArrays(operands, api);
  const avals = args.map((a) => a.aval);
  const traced = branches.map((b) => traceFn(b.fn, inTree, avals, api));
  const outputs = (i: number) => ({ fn: branches[i]!.fn, name: branches[i]!.name, tree: traced[i]!.outTree, avals: traced[i]!.jaxpr.outAvals });
  for (const i of checkOrder.slice(1)) checkBranchOutputs(api, outputs(checkOrder[0]!), outputs(i));
  let [jaxprs, consts] = mergeConsts(traced);
  const inputs = [...consts, ...args];
  // Outputs every branch forwards from the same input need not pass through the cond (JAX prunes them).
  const fwds = jaxprs.map((j) => forwarding(j.jaxpr));
  const inFwd = fwds[0]!.map((f, i) => (f !== undefined && fwds.every((g) => g[i] === f) ? f : undefined));
  const kept = inFwd.flatMap((f, i) => (f === undefined ? [i] : []));
  jaxprs = jaxprs.map((j) => rewire(j, j.jaxpr.inVars.map((_, i) => i), kept));
  // Pure functions: a cond with nothing left to compute need not run.
  const outs = kept.length ? condP.bind([index, ...inputs], { branches: jaxprs }) : [];
  let k = 0;
  return unflatten(traced[0]!.outTree, inFwd.map((f) => (f === undefined ? outs[k++]! : inputs[f]!)));
}

/**
 * `lax.cond(pred, trueFn, falseFn, ...operands)`: `trueFn(...operands)` if `pred` else
 * `falseFn(...operands)`. Both branches are traced; operands and outputs are pytrees. A numeric
 * `pred` is compared with zero, as in JAX.
 */
export function cond<R>(pred: Array | number | boolean, trueFn: (...operands: never[]) => R, falseFn: (...operands: never[]) => R, ...operands: unknown[]): AsArrays<R> {
  if (typeof trueFn !== 'function' || typeof falseFn !== 'function') throw new TypeError('lax.cond: true_fun and false_fun arguments should be callable.');
  if (pred === null || pred === undefined) throw new TypeError('cond predicate is None');
  let p = leafArray(pred, 'lax.cond');
  if (p.ndim !== 0) throw new TypeError(`Pred must be a scalar, got ${String(pred)} of shape (${p.shape.join(', ')}${p.ndim === 1 ? ',' : ''}).`);
  if (isComplex(p.dtype)) throw new TypeError(`Pred type must be either boolean or number, got ${p.dtype}.`);
  if (!isBool(p.dtype)) p = ne.bind1([p, constLike(p, 0)]);
  const index = convertElementType.bind1([p], { new_dtype: 'int32', weak_type: false });
  // Index 0 is false, as JAX orders the branches; errors compare true_fun against false_fun.
  return condImpl('cond', index, [{ fn: falseFn, name: 'false_fun' }, { fn: trueFn, name: 'true_fun' }], operands, [1, 0]) as AsArrays<R>;
}

/**
 * `lax.switch(index, branches, ...operands)`: `branches[clamp(index, 0, n - 1)](...operands)`.
 * All branches are traced and must agree in output structure and types.
 */
function switch_<R>(index: Array | number, branches: readonly ((...operands: never[]) => R)[], ...operands: unknown[]): AsArrays<R> {
  if (!branches.every((b) => typeof b === 'function')) throw new TypeError('lax.switch: branches argument should be a sequence of callables.');
  const i = leafArray(index, 'lax.switch');
  if (i.ndim !== 0) throw new TypeError(`Branch index must be scalar, got ${String(index)} of shape (${i.shape.join(', ')}${i.ndim === 1 ? ',' : ''}).`);
  if (!isInteger(i.dtype)) throw new TypeError(`Index type must be an integer, got ${String(index)} as ${i.dtype}`);
  if (branches.length === 0) throw new RangeError('Empty branch sequence');
  if (branches.length === 1) return (branches[0] as (...a: unknown[]) => AsArrays<R>)(...operands);
  const i32 = convertElementType.bind1([i], { new_dtype: 'int32', weak_type: false });
  const bound = (v: number) => fullOf(new ShapedArray([], 'int32'), v);
  const clamped = clamp.bind1([bound(0), i32, bound(branches.length - 1)]);
  return condImpl(
    'switch',
    clamped,
    branches.map((fn, k) => ({ fn, name: k === 0 ? 'branch 0' : `branch${k}` })),
    operands,
  ) as AsArrays<R>;
}

export { switch_ as switch };
