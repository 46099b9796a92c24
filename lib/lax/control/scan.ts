// scan and map: the `scan` primitive runs a body jaxpr over the leading axis of its `xs`, threading
// a carry and stacking the per-step outputs `ys`. It lowers to one stablehlo.while over an index
// with dynamic slices of xs and dynamic updates of ys, as JAX's scan lowers; jvp, partial
// evaluation (residuals stacked as ys, loop invariants hoisted) and transposition (a reverse scan)
// make grad of a scanned RNN work.
import { Array } from '../../core/array.js';
import { ShapedArray } from '../../core/aval.js';
import { ClosedJaxpr, Var, dce, type Atom, type JaxprEqn } from '../../core/jaxpr.js';
import { Primitive, UndefinedPrimal, type Params } from '../../core/primitive.js';
import { unflatten, type TreeDef } from '../../core/pytree.js';
import { addTangents, instantiate, zerosLike } from '../../interpreters/ad.js';
import { axisSizeOf, batchFlat, matchAxis, moveaxis, type BatchDim, type BatchResult } from '../../interpreters/batching.js';
import { traceToJaxpr } from '../../interpreters/partial_eval.js';
import { partialEvalJaxpr, type EqnSplit } from '../../interpreters/partial_eval_ad.js';
import { backwardPass } from '../../interpreters/transpose.js';
import { i64Array, type LoweringContext, type Value } from '../../lowering/context.js';
import { lowerJaxprBody } from '../../lowering/module.js';
import { reshape } from '../shape.js';
import { concatenate, sliceInDim } from '../slicing.js';
import { applyEagerly, atZero, avalStr, type AsArrays, batchBody, carryFixpoint, flattenArrays, inlineJaxpr, jvpJaxpr, promoteWeakInit, ranges, rewire, traceFn, typematch, withoutConsts } from './common.js';
import { checkCarryType } from './errors.js';

interface ScanParams {
  /** consts, carry, x slices → carry, y slices */
  jaxpr: ClosedJaxpr;
  num_consts: number;
  num_carry: number;
  length: number;
  reverse: boolean;
  /** Iterations per trip of the compiled loop (the rest run after it). */
  unroll: number;
}

const scanParams = (params: Params) => params as unknown as ScanParams;
const stacked = (length: number, a: ShapedArray) => new ShapedArray([length, ...a.shape], a.dtype, a.weakType);
const unstacked = (a: ShapedArray) => new ShapedArray(a.shape.slice(1), a.dtype, a.weakType);

/** scan[jaxpr, num_consts, num_carry, length, reverse, unroll](*consts, *init, *xs) → (*carry, *ys) */
export const scanP: Primitive = new Primitive(
  'scan',
  {
    abstractEval: (avals, params) => {
      const { jaxpr, num_consts: nC, num_carry: nK, length } = scanParams(params);
      const inAvals = jaxpr.inAvals;
      if (avals.length !== inAvals.length) throw new TypeError(`scan number of arguments doesn't match the number of jaxpr arguments: ${avals.length} vs ${inAvals.length}`);
      avals.forEach((a, i) => {
        const expected = i < nC + nK ? inAvals[i]! : stacked(length, inAvals[i]!);
        if (!typematch(a, expected)) {
          const what = i < nC ? 'constant' : i < nC + nK ? 'carry' : 'xs';
          throw new TypeError(`scan ${what} input ${i} has type ${avalStr(a)}, but the body takes ${avalStr(inAvals[i]!)}${i >= nC + nK ? ` stacked to length ${length}` : ''}`);
        }
      });
      const outs = jaxpr.outAvals;
      for (let k = 0; k < nK; k++) {
        if (!typematch(outs[k]!, inAvals[nC + k]!)) throw new TypeError(`scan carry output ${k} has type ${avalStr(outs[k]!)} but the carry input has type ${avalStr(inAvals[nC + k]!)}`);
      }
      return [...outs.slice(0, nK), ...outs.slice(nK).map((a) => stacked(length, a))];
    },
    impl: (args, params) => applyEagerly(scanP, args, params, [scanParams(params).jaxpr]),
    lower: lowerScan,
    jvp: scanJvp,
    transpose: scanTranspose,
    partialEval: scanPartialEval,
    batch: scanBatch,
  },
  { multipleResults: true },
);

// ---- lowering ----

const I32 = new ShapedArray([], 'int32');
const BOOL = new ShapedArray([], 'bool');

const compareLt = (ctx: LoweringContext, a: Value, b: Value) =>
  ctx.op1('stablehlo.compare', [a, b], BOOL, { comparison_direction: '#stablehlo<comparison_direction LT>', compare_type: '#stablehlo<comparison_type SIGNED>' });

/** One iteration at position `idx`: slice each x, run the body, write each y. */
function step(ctx: LoweringContext, jaxpr: ClosedJaxpr, idx: Value, consts: Value[], xs: Value[], carry: Value[], ys: Value[]): [Value[], Value[]] {
  const zero = ctx.constant(0, I32);
  const starts = (ndim: number) => [idx, ...globalThis.Array.from({ length: ndim - 1 }, () => zero)];
  const slices = xs.map((x) => {
    const one = new ShapedArray([1, ...x.aval.shape.slice(1)], x.aval.dtype);
    const window = ctx.op1('stablehlo.dynamic_slice', [x, ...starts(x.aval.ndim)], one, { slice_sizes: i64Array(one.shape) });
    return ctx.op1('stablehlo.reshape', [window], unstacked(x.aval));
  });
  const outs = lowerJaxprBody(ctx, jaxpr.jaxpr, [...consts, ...carry, ...slices]);
  const nK = carry.length;
  const newYs = ys.map((y, k) => {
    const update = ctx.op1('stablehlo.reshape', [outs[nK + k]!], new ShapedArray([1, ...y.aval.shape.slice(1)], y.aval.dtype));
    return ctx.op1('stablehlo.dynamic_update_slice', [y, update, ...starts(y.aval.ndim)], y.aval);
  });
  return [outs.slice(0, nK), newYs];
}

/**
 * A stablehlo.while over trips of `unroll` iterations (operands: consts, xs, the trip counter,
 * carry, ys, as JAX threads them), then the remaining iterations unrolled after it. Position k of
 * the iteration order is k forward and length-1-k in reverse.
 */
function lowerScan(ctx: LoweringContext, args: Value[], params: Params, outAvals: ShapedArray[]): Value[] {
  const { jaxpr, num_consts: nC, num_carry: nK, length, reverse, unroll } = scanParams(params);
  const consts = args.slice(0, nC);
  const xs = args.slice(nC + nK);
  let carry = args.slice(nC, nC + nK);
  let ys = outAvals.slice(nK).map((a) => ctx.constant(0, a));
  let trips = unroll === 0 ? 0 : Math.floor(length / unroll);
  if (unroll !== 1 && trips === 1 && length % unroll === 0) trips = 0; // fully unrolled
  const perTrip = trips ? unroll : 1;
  const position = (c: LoweringContext, k: Value) => (reverse ? c.op1('stablehlo.subtract', [c.constant(length - 1, I32), k], I32) : k);
  if (trips > 0) {
    const operands = [...consts, ...xs, ctx.constant(0, I32), ...carry, ...ys];
    const avals = operands.map((v) => v.aval);
    const nX = xs.length;
    const split = (vs: Value[]) => ({ cs: vs.slice(0, nC), xv: vs.slice(nC, nC + nX), i: vs[nC + nX]!, carry: vs.slice(nC + nX + 1, nC + nX + 1 + nK), ys: vs.slice(nC + nX + 1 + nK) });
    const condRegion = ctx.region(avals, (inner, vs) => [compareLt(inner, split(vs).i, inner.constant(trips, I32))]);
    const bodyRegion = ctx.region(avals, (inner, vs) => {
      const v = split(vs);
      let [c, y] = [v.carry, v.ys];
      const base = perTrip === 1 ? v.i : inner.op1('stablehlo.multiply', [v.i, inner.constant(perTrip, I32)], I32);
      for (let j = 0; j < perTrip; j++) {
        const k = j === 0 ? base : inner.op1('stablehlo.add', [base, inner.constant(j, I32)], I32);
        [c, y] = step(inner, jaxpr, position(inner, k), v.cs, v.xv, c, y);
      }
      const next = inner.op1('stablehlo.add', [v.i, inner.constant(1, I32)], I32);
      return [...v.cs, ...v.xv, next, ...c, ...y];
    });
    const outs = ctx.op('stablehlo.while', operands, avals, {}, [condRegion, bodyRegion]);
    carry = outs.slice(nC + nX + 1, nC + nX + 1 + nK);
    ys = outs.slice(nC + nX + 1 + nK);
  }
  for (let k = trips * perTrip; k < length; k++) {
    [carry, ys] = step(ctx, jaxpr, ctx.constant(reverse ? length - 1 - k : k, I32), consts, xs, carry, ys);
  }
  return [...carry, ...ys];
}

// ---- forward mode ----

function scanJvp(primals: Array[], tangents: (Array | null)[], params: Params): [Array[], (Array | null)[]] {
  const p = scanParams(params);
  const { jaxpr, num_consts: nC, num_carry: nK } = p;
  const nX = primals.length - nC - nK;
  const nY = jaxpr.outAvals.length - nK;
  const nz = tangents.map((t) => t !== null);
  const constNz = nz.slice(0, nC);
  const xsNz = nz.slice(nC + nK);
  const mask = (carry: boolean[]) => [...constNz, ...carry, ...xsNz];
  const inst = (carry: boolean[]) => [...carry, ...globalThis.Array.from({ length: nY }, () => false)];
  // Carries with nonzero tangents: those given, and those the body makes nonzero (a fixpoint).
  const carryNz = carryFixpoint(nz.slice(nC, nC + nK), (carry) => jvpJaxpr(jaxpr, mask(carry), inst(carry)).outNonzero.slice(0, nK));
  const { jaxpr: jvp, outNonzero } = jvpJaxpr(jaxpr, mask(carryNz), inst(carryNz));
  const count = (xs: boolean[]) => xs.filter(Boolean).length;
  const [nCd, nKd, nXd] = [count(constNz), count(carryNz), count(xsNz)];
  const nYd = count(outNonzero) - nKd;
  const n = nC + nK + nX;
  // [consts, carry, xs, consts_dot, carry_dot, xs_dot] → [consts, consts_dot, carry, carry_dot, xs, xs_dot]
  const body = rewire(
    jvp,
    ranges([0, nC], [n, nCd], [nC, nK], [n + nCd, nKd], [nC + nK, nX], [n + nCd + nKd, nXd]),
    ranges([0, nK], [nK + nY, nKd], [nK, nY], [nK + nY + nKd, nYd]),
  );
  const dots = (from: number, on: boolean[]) => on.flatMap((o, i) => (o ? [tangents[from + i] ?? zerosLike(primals[from + i]!.aval)] : []));
  const outs = scanP.bind(
    [...primals.slice(0, nC), ...dots(0, constNz), ...primals.slice(nC, nC + nK), ...dots(nC, carryNz), ...primals.slice(nC + nK), ...dots(nC + nK, xsNz)],
    { ...params, jaxpr: body, num_consts: nC + nCd, num_carry: nK + nKd },
  );
  const carryOut = outs.slice(0, nK);
  const carryDot = outs.slice(nK, nK + nKd);
  const ysOut = outs.slice(nK + nKd, nK + nKd + nY);
  const ysDot = outs.slice(nK + nKd + nY);
  let [a, b] = [0, 0];
  return [[...carryOut, ...ysOut], outNonzero.map((on, i) => (!on ? null : i < nK ? carryDot[a++]! : ysDot[b++]!))];
}

// ---- partial evaluation ----

/**
 * Splits a scan whose inputs are partly unknown (JAX's _scan_partial_eval): a known scan computes
 * the known carries and ys and stacks the residuals the unknown part needs as extra ys; residuals
 * that depend only on known constants are computed once, before the loop, and residuals that are
 * known xs are read from xs directly. The unknown part is staged as a scan taking the loop-invariant
 * residuals as constants and the stacked ones as xs.
 */
function scanPartialEval(eqn: JaxprEqn, inUnknown: boolean[]): EqnSplit | undefined {
  const p = scanParams(eqn.params);
  const { jaxpr, num_consts: nC, num_carry: nK, length } = p;
  const nY = jaxpr.outAvals.length - nK;
  const constUk = inUnknown.slice(0, nC);
  const xsUk = inUnknown.slice(nC + nK);
  const falses = (n: number) => globalThis.Array.from({ length: n }, () => false);
  const trues = (n: number) => globalThis.Array.from({ length: n }, () => true);
  const splitFor = (carry: boolean[]) => partialEvalJaxpr(jaxpr, [...constUk, ...carry, ...xsUk], [...carry, ...falses(nY)]);
  const carryUk = carryFixpoint(inUnknown.slice(nC, nC + nK), (carry) => splitFor(carry).outUnknown.slice(0, nK));
  const split = splitFor(carryUk);
  const unknownIn = [...constUk, ...carryUk, ...xsUk];
  const known = (xs: Atom[], mask: boolean[]) => xs.filter((_, i) => !mask[i]);
  const unknownOf = (xs: Atom[], mask: boolean[]) => xs.filter((_, i) => mask[i]);
  const numRes = split.numResiduals;
  const numKnownOuts = split.outUnknown.filter((u) => !u).length;
  const nKC = known(eqn.inputs.slice(0, nC), constUk).length;
  const nKK = carryUk.filter((u) => !u).length;
  const nKX = xsUk.filter((u) => !u).length;

  // The known body again, with only its constants known: what it can compute is loop-invariant.
  const hoist = partialEvalJaxpr(split.known, [...falses(nKC), ...trues(nKK + nKX)], [...trues(numKnownOuts), ...falses(numRes)]);
  const invariant = hoist.outUnknown.slice(numKnownOuts).map((u) => !u);
  const pre = inlineJaxpr(hoist.known.jaxpr, known(eqn.inputs.slice(0, nC), constUk));
  const invariantAtoms = pre.outs.slice(0, invariant.filter(Boolean).length);
  const hoistedAtoms = pre.outs.slice(invariantAtoms.length);

  // The loop body: hoisted values as constants; residuals that are just known xs are not stacked again.
  const loop = hoist.unknown.jaxpr;
  const knownXs = known(eqn.inputs.slice(nC + nK), xsUk);
  const xsStart = hoist.numResiduals + nKK;
  const resOuts = loop.outs.slice(numKnownOuts);
  const fromXs = resOuts.map((o) => {
    const k = o instanceof Var ? loop.inVars.indexOf(o) : -1;
    return k >= xsStart ? knownXs[k - xsStart]! : undefined;
  });
  const keptOuts = [...ranges([0, numKnownOuts]), ...resOuts.flatMap((_, r) => (fromXs[r] === undefined ? [numKnownOuts + r] : []))];
  const body = new ClosedJaxpr(dce(rewire(hoist.unknown, ranges([0, loop.inVars.length]), keptOuts).jaxpr), []);
  const stackedRes = keptOuts.slice(numKnownOuts).map((o) => new Var(stacked(length, loop.outs[o]!.aval)));
  const knownOutVars = eqn.outVars.filter((_, i) => !split.outUnknown[i]);
  const eqns: JaxprEqn[] = [...pre.eqns];
  if (body.outAvals.length) {
    eqns.push({
      primitive: scanP,
      inputs: [...hoistedAtoms, ...known(eqn.inputs.slice(nC, nC + nK), carryUk), ...knownXs],
      params: { ...eqn.params, jaxpr: body, num_consts: hoistedAtoms.length, num_carry: nKK },
      outVars: [...knownOutVars, ...stackedRes],
    });
  }

  // Residuals as the unknown body takes them: loop invariants as constants, the others as xs.
  let s = 0;
  const extensiveAtoms = resOuts.map((_, e) => fromXs[e] ?? stackedRes[s++]!);
  const intensive = invariantAtoms;
  // Unknown body: [res, uk consts, uk carry, uk xs] → [intensive res, uk consts | uk carry | uk xs, extensive res]
  const nUC = constUk.filter(Boolean).length;
  const nUK = carryUk.filter(Boolean).length;
  const nUX = xsUk.filter(Boolean).length;
  const intensiveIdx = invariant.flatMap((inv, r) => (inv ? [r] : []));
  const extensiveIdx = invariant.flatMap((inv, r) => (inv ? [] : [r]));
  const unknownBody = rewire(split.unknown, [...intensiveIdx, ...ranges([numRes, nUC + nUK + nUX]), ...extensiveIdx], ranges([0, split.unknown.outAvals.length]));
  const unknownEqn: JaxprEqn = {
    primitive: scanP,
    inputs: [...intensive, ...unknownOf(eqn.inputs, unknownIn), ...extensiveAtoms],
    params: { ...eqn.params, jaxpr: unknownBody, num_consts: intensive.length + nUC, num_carry: nUK },
    outVars: eqn.outVars.filter((_, i) => split.outUnknown[i]),
  };
  return { known: eqns, unknown: unknownEqn, outUnknown: split.outUnknown };
}

// ---- reverse mode ----

/**
 * The transpose of a scan linear in its carries and in some constants and xs (the others are
 * residuals): a scan in the other direction carrying the cotangents of the carries and
 * accumulating those of the linear constants, with the cotangents of the linear xs as its ys.
 */
function scanTranspose(cts: (Array | null)[], args: (Array | UndefinedPrimal)[], params: Params): (Array | null)[] {
  const p = scanParams(params);
  const { jaxpr, num_consts: nC, num_carry: nK } = p;
  const inAvals = jaxpr.inAvals;
  const isLin = (a: Array | UndefinedPrimal) => a instanceof UndefinedPrimal;
  const constLin = args.slice(0, nC).map(isLin);
  const xsLin = args.slice(nC + nK).map(isLin);
  const ires = args.slice(0, nC).filter((a): a is Array => !isLin(a));
  const eres = args.slice(nC + nK).filter((a): a is Array => !isLin(a));
  const ctConstAvals = inAvals.slice(0, nC).filter((_, i) => constLin[i]);
  const carryAvals = inAvals.slice(nC, nC + nK);
  const ctCarry = cts.slice(0, nK).map((c, i) => instantiate(c, carryAvals[i]!));
  const ctYs = cts.slice(nK);
  const ysNz = ctYs.map((c) => c !== null);
  const yAvals = jaxpr.outAvals.slice(nK).filter((_, i) => ysNz[i]);
  const eresAvals = inAvals.slice(nC + nK).filter((_, i) => !xsLin[i]);
  const linXsAvals = inAvals.slice(nC + nK).filter((_, i) => xsLin[i]);
  const body = withoutConsts(
    traceToJaxpr(
      (...vs) => {
        let k = 0;
        const take = (n: number) => vs.slice(k, (k += n));
        const [res, ctConsts, ctC, ctY, xsRes] = [take(ires.length), take(ctConstAvals.length), take(nK), take(yAvals.length), take(eres.length)];
        let [r, e, y] = [0, 0, 0];
        // Carries are linear even where a known zero was passed in (a jvp's instantiated tangent).
        const primals = inAvals.map((a, i) =>
          i < nC ? (constLin[i] ? new UndefinedPrimal(a) : res[r++]!) : i < nC + nK ? new UndefinedPrimal(a) : xsLin[i - nC - nK] ? new UndefinedPrimal(a) : xsRes[e++]!,
        );
        const outCts = [...ctC, ...ysNz.map((nz) => (nz ? ctY[y++]! : null))];
        const inCts = backwardPass(jaxpr.jaxpr, primals, outCts);
        const nLC = ctConstAvals.length;
        const consts = ctConsts.map((acc, i) => addTangents(acc, inCts[i] ?? null)!);
        const carry = inCts.slice(nLC, nLC + nK).map((c, i) => instantiate(c, carryAvals[i]!));
        const xs = inCts.slice(nLC + nK).map((c, i) => instantiate(c, linXsAvals[i]!));
        return [...consts, ...carry, ...xs];
      },
      [...ires.map((a) => a.aval), ...ctConstAvals, ...carryAvals, ...yAvals, ...eresAvals],
    ),
  );
  const outs = scanP.bind(
    [...ires, ...ctConstAvals.map((a) => zerosLike(a)), ...ctCarry, ...ctYs.filter((c): c is Array => c !== null), ...eres],
    { ...params, jaxpr: body, num_consts: ires.length, num_carry: ctConstAvals.length + nK, reverse: !p.reverse },
  );
  let [c, x] = [0, ctConstAvals.length + nK];
  const ctInit = outs.slice(ctConstAvals.length, ctConstAvals.length + nK);
  return [
    ...constLin.map((lin) => (lin ? outs[c++]! : null)),
    ...ctInit.map((ct, i) => (isLin(args[nC + i]!) ? ct : null)),
    ...xsLin.map((lin) => (lin ? outs[x++]! : null)),
  ];
}

// ---- batching ----

/**
 * JAX's _scan_batching_rule: carries are batched where the init is or the body makes them (a
 * fixpoint), with their batch axis at 0; batched consts move their axis to 0 and batched xs to 1
 * (axis 0 is the scanned one), so that the body sees every batched value at 0; batched ys come
 * out stacked with their batch axis at 1.
 */
function scanBatch(args: Array[], dims: BatchDim[], params: Params): BatchResult {
  const { jaxpr, num_consts: nC, num_carry: nK } = scanParams(params);
  const size = axisSizeOf(args, dims);
  const nY = jaxpr.outAvals.length - nK;
  const isBatched = (d: BatchDim | undefined) => d !== null && d !== undefined;
  const constBat = dims.slice(0, nC).map(isBatched);
  const xsBat = dims.slice(nC + nK).map(isBatched);
  const batchFor = (carry: boolean[]) => batchBody(jaxpr, atZero([...constBat, ...carry, ...xsBat]), size, [...carry, ...globalThis.Array.from({ length: nY }, () => false)]);
  const carryBat = carryFixpoint(dims.slice(nC, nC + nK).map(isBatched), (carry) => batchFor(carry).outBatched.slice(0, nK));
  const { jaxpr: body, outBatched } = batchFor(carryBat);
  const operands = args.map((x, i) => {
    const d = dims[i] ?? null;
    if (i < nC) return d === null ? x : moveaxis(x, d, 0);
    if (i < nC + nK) return carryBat[i - nC] ? matchAxis(x, d, 0, size) : x;
    return d === null ? x : moveaxis(x, d, 1);
  });
  const outs = scanP.bind(operands, { ...params, jaxpr: body });
  return [outs, [...atZero(carryBat), ...outBatched.slice(nK).map((b) => (b ? 1 : null))]];
}

// ---- the public functions ----

export interface ScanOptions {
  /** The number of iterations; required when `xs` is null, else it must match xs' leading axis. */
  length?: number;
  /** Iterate from the end of xs to its start (ys are still aligned with xs). */
  reverse?: boolean;
  /** Iterations per trip of the compiled loop: an integer, true (all), false (1), or 0 (all). */
  unroll?: number | boolean;
}

function scanLength(xs: Array[], length: number | undefined): number {
  const lengths = xs.map((x) => {
    if (x.ndim === 0) throw new TypeError(`scan got value with no leading axis to scan over: ${String(x)}.`);
    return x.shape[0]!;
  });
  if (length !== undefined) {
    if (!Number.isInteger(length) || length < 0) throw new TypeError(`The \`length\` argument to \`scan\` expects a concrete \`int\` value, got ${length}.`);
    if (!lengths.every((l) => l === length)) throw new RangeError(`scan got \`length\` argument of ${length} which disagrees with leading axis sizes [${lengths.join(', ')}].`);
    return length;
  }
  const unique = [...new Set(lengths)];
  if (unique.length > 1) throw new RangeError(`scan got values with different leading axis sizes: ${lengths.join(', ')}.`);
  if (unique.length === 0) throw new RangeError('scan got no values to scan over and `length` not provided.');
  return unique[0]!;
}

/**
 * `lax.scan(f, init, xs, { length, reverse, unroll })` → `[carry, ys]`: `f(carry, x)` returns
 * `[carry, y]` for each `x` along xs' leading axis; ys stacks the y's. Carries, xs and ys are
 * pytrees; xs may be null with `length`. One compiled loop whatever the length; `f` is traced once.
 */
export function scan<const C, const X, Y>(f: (carry: NoInfer<AsArrays<C>>, x: NoInfer<AsArrays<X>>) => readonly [NoInfer<AsArrays<C> | Readonly<AsArrays<C>> | C>, Y], init: C, xs: X | null = null, options: ScanOptions = {}): [AsArrays<C>, AsArrays<Y>] {
  if (typeof f !== 'function') throw new TypeError('lax.scan: f argument should be callable.');
  let [initFlat, initTree] = flattenArrays(init, 'lax.scan');
  const [xsFlat] = flattenArrays(xs, 'lax.scan');
  const length = scanLength(xsFlat, options.length);
  const unroll = options.unroll === true ? Math.max(length, 1) : options.unroll === false || options.unroll === undefined ? 1 : options.unroll;
  if (!Number.isInteger(unroll) || unroll < 0) throw new RangeError('`unroll` must be a `bool` or a non-negative `int`.');
  const xAvals = xsFlat.map((x) => unstacked(x.aval));
  const argTree = flattenArrays([init, xs], 'lax.scan')[1];
  let yTree = initTree;
  const traceBody = () => {
    let carryTree = initTree;
    const traced = traceFn(
      ((carry: AsArrays<C>, x: AsArrays<X>) => {
        const out = f(carry, x);
        if (!globalThis.Array.isArray(out) || out.length !== 2) throw new TypeError(`scan body output must be a pair, got ${String(out)}.`);
        const [c, y] = out;
        const [cFlat, cTree] = flattenArrays(c, 'scan body carry output');
        const [yFlat, tree] = flattenArrays(y, 'scan body output');
        carryTree = cTree;
        yTree = tree;
        return [cFlat, yFlat];
      }) as (...a: never[]) => unknown,
      argTree,
      [...initFlat.map((a) => a.aval), ...xAvals],
      'scan',
    );
    return { traced, carryTree };
  };
  let { traced, carryTree } = traceBody();
  const numCarryOut = carryTree.numLeaves;
  // A weakly typed init (a JS number) takes the type the body gives it, and the body is retraced.
  const promoted = carryTree.equals(initTree) ? promoteWeakInit(initFlat, traced.jaxpr.outAvals.slice(0, numCarryOut)) : undefined;
  if (promoted) {
    initFlat = promoted;
    ({ traced, carryTree } = traceBody());
  }
  checkCarryType('scan body', initTree, initFlat.map((a) => a.aval), carryTree, traced.jaxpr.outAvals.slice(0, carryTree.numLeaves));
  // Pure functions: a scan with no outputs need not run.
  if (!traced.jaxpr.outAvals.length) return [unflatten(initTree, []), unflatten(yTree, [])];
  const outs = scanP.bind([...traced.consts, ...initFlat, ...xsFlat], {
    jaxpr: traced.jaxpr,
    num_consts: traced.consts.length,
    num_carry: initFlat.length,
    length,
    reverse: options.reverse ?? false,
    unroll,
  });
  return [unflatten(initTree, outs.slice(0, initFlat.length)), unflatten(yTree, outs.slice(initFlat.length))];
}

export interface MapOptions {
  /**
   * Examples per step: the loop runs over chunks of this many, each mapped with vmap, and the
   * remainder (length mod batchSize) is mapped with vmap after it, as JAX's batch_size.
   */
  batchSize?: number;
}

/**
 * `lax.map(f, xs, { batchSize })`: `f` applied to each slice of xs' leading axis (xs and the
 * results are pytrees), as a scan: one compiled loop. With `batchSize`, a scan over chunks.
 */
export function map<const X, Y>(f: (x: NoInfer<AsArrays<X>>) => Y, xs: X, options: MapOptions = {}): AsArrays<Y> {
  const { batchSize } = options;
  if (batchSize === undefined) return scan((carry: null, x: AsArrays<X>) => [carry, f(x)] as const, null, xs)[1];
  if (!Number.isInteger(batchSize) || batchSize < 0) throw new TypeError(`lax.map: batch_size must be a non-negative integer, got ${batchSize}`);
  const [leaves, xsTree] = flattenArrays(xs, 'lax.map');
  if (!leaves.length) return map(f, xs);
  const n = leaves[0]!.shape[0] ?? 0;
  const numBatches = batchSize === 0 ? 0 : Math.floor(n / batchSize);
  const batchElems = numBatches * batchSize;
  let yTree: TreeDef | undefined;
  // f mapped over the leading axis of each leaf (vmap), outputs batched at 0.
  const vmapped = (chunk: Array[]): Array[] => {
    const size = chunk[0]!.shape[0]!;
    const [outs, dims] = batchFlat(
      (...ts) => {
        const [ys, tree] = flattenArrays(f(unflatten(xsTree, ts)), 'lax.map output');
        yTree = tree;
        return ys;
      },
      chunk,
      chunk.map(() => 0),
      size,
    );
    return outs.map((y, i) => matchAxis(y, dims[i] ?? null, 0, size));
  };
  const rest = () => vmapped(leaves.map((x) => sliceInDim(x, batchElems, null)));
  if (numBatches === 0) {
    const ys = rest();
    return unflatten(yTree!, ys);
  }
  const chunks = leaves.map((x) => reshape.bind1([batchElems === n ? x : sliceInDim(x, 0, batchElems)], { new_sizes: [numBatches, batchSize, ...x.shape.slice(1)] }));
  const [, stackedYs] = scan((carry: null, chunk: Array[]) => [carry, vmapped(chunk)] as const, null, chunks);
  const remainder = batchElems < n ? rest() : undefined;
  const ys = (stackedYs as Array[]).map((y, i) => {
    const flat = reshape.bind1([y], { new_sizes: [batchElems, ...y.shape.slice(2)] });
    return remainder ? concatenate.bind1([flat, remainder[i]!], { dimension: 0 }) : flat;
  });
  return unflatten(yTree!, ys);
}
