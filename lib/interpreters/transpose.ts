// Reverse mode: the backward pass over a linear jaxpr (JAX's backward_pass, autodidax's
// eval_jaxpr_transposed), and vjp = linearize then transpose. Each primitive supplies its own
// transpose rule; `null` cotangents are symbolic zeros and skip their equations entirely.
import type { Array } from '../core/array.js';
import type { ShapedArray } from '../core/aval.js';
import { ClosedJaxpr, Literal, Var, type Atom, type Jaxpr, type JaxprEqn } from '../core/jaxpr.js';
import { UndefinedPrimal } from '../core/primitive.js';
import { addTangents, instantiate, literalArray, openJaxpr, type Tangent } from './ad.js';
import { traceToJaxpr } from './partial_eval.js';
import { linearizeFlat, type LinearOut } from './partial_eval_ad.js';

/**
 * Cotangents of the undefined inputs of `jaxpr` (constVars then inVars, given by `args`), which it
 * is linear in, from the cotangents of its outputs. Equations that do not touch an undefined
 * input are evaluated forward first (they compute residuals).
 */
export function backwardPass(jaxpr: Jaxpr, args: (Array | UndefinedPrimal)[], cotangents: Tangent[]): Tangent[] {
  const binders = [...jaxpr.constVars, ...jaxpr.inVars];
  const primal = new Map<Var, Array>();
  const linear = new Set<Var>();
  binders.forEach((v, i) => {
    const a = args[i]!;
    if (a instanceof UndefinedPrimal) linear.add(v);
    else primal.set(v, a);
  });
  const isLinear = (a: Atom) => a instanceof Var && linear.has(a);
  const readPrimal = (a: Atom): Array | UndefinedPrimal => {
    if (a instanceof Literal) return literalArray(a);
    return linear.has(a) ? new UndefinedPrimal(a.aval) : primal.get(a)!;
  };

  const linearEqns: JaxprEqn[] = [];
  for (const eqn of jaxpr.eqns) {
    if (eqn.inputs.some(isLinear)) {
      eqn.outVars.forEach((v) => linear.add(v));
      linearEqns.push(eqn);
    } else {
      const outs = eqn.primitive.bind(eqn.inputs.map((a) => readPrimal(a) as Array), eqn.params);
      eqn.outVars.forEach((v, i) => primal.set(v, outs[i]!));
    }
  }

  const ct = new Map<Var, Array>();
  const writeCt = (a: Atom, value: Tangent) => {
    if (value && a instanceof Var && linear.has(a)) ct.set(a, addTangents(ct.get(a) ?? null, value)!);
  };
  jaxpr.outs.forEach((a, i) => writeCt(a, cotangents[i] ?? null));
  for (let i = linearEqns.length - 1; i >= 0; i--) {
    const eqn = linearEqns[i]!;
    const cts = eqn.outVars.map((v) => {
      const c = ct.get(v) ?? null;
      ct.delete(v);
      return c;
    });
    if (cts.every((c) => c === null)) continue;
    const rule = eqn.primitive.rules.transpose;
    if (!rule) throw new Error(`Transpose rule (for reverse-mode differentiation) for '${eqn.primitive.name}' not implemented`);
    const ctsIn = rule(cts, eqn.inputs.map(readPrimal), eqn.params);
    eqn.inputs.forEach((a, k) => writeCt(a, ctsIn[k] ?? null));
  }
  return binders.filter((v, i) => args[i] instanceof UndefinedPrimal).map((v) => ct.get(v) ?? null);
}

const transposeCache = new WeakMap<ClosedJaxpr, Map<string, ClosedJaxpr>>();

/**
 * The transpose of a call's jaxpr (constants as leading inputs) as a jaxpr of its defined inputs
 * and its nonzero output cotangents, returning (instantiated) cotangents of its undefined inputs.
 */
export function transposeJaxpr(closed: ClosedJaxpr, undefinedIn: boolean[], ctNonzero: boolean[]): ClosedJaxpr {
  let byMask = transposeCache.get(closed);
  if (!byMask) transposeCache.set(closed, (byMask = new Map()));
  const key = `${undefinedIn.map(Number).join('')}|${ctNonzero.map(Number).join('')}`;
  const hit = byMask.get(key);
  if (hit) return hit;
  const jaxpr = openJaxpr(closed);
  const inAvals = jaxpr.inAvals;
  const undefinedAvals = inAvals.filter((_, i) => undefinedIn[i]);
  const definedAvals = inAvals.filter((_, i) => !undefinedIn[i]);
  const ctAvals: ShapedArray[] = jaxpr.outAvals.filter((_, i) => ctNonzero[i]);
  const transposed = traceToJaxpr((...xs) => {
    let d = 0;
    const args = inAvals.map((a, i) => (undefinedIn[i] ? new UndefinedPrimal(a) : xs[d++]!));
    let c = definedAvals.length;
    const cts = ctNonzero.map((nz) => (nz ? xs[c++]! : null));
    return backwardPass(jaxpr, args, cts).map((t, i) => instantiate(t, undefinedAvals[i]!));
  }, [...definedAvals, ...ctAvals]);
  byMask.set(key, transposed);
  return transposed;
}

export interface VjpResult {
  primalsOut: Array[];
  aux: unknown;
  /** Cotangents of the inputs (null: zero, or no tangent space) from cotangents of the outputs. */
  vjp: (cotangents: Tangent[]) => Tangent[];
}

/** vjp = linearize, then transpose the linear jaxpr (as JAX does: no separate reverse rules). */
export function vjpFlat(fn: (...xs: Array[]) => [Array[], unknown], primals: Array[]): VjpResult {
  const lin = linearizeFlat(fn, primals);
  const jaxpr = lin.jaxpr.jaxpr;
  const vjp = (cotangents: Tangent[]): Tangent[] => {
    const linearCts: Tangent[] = jaxpr.outs.map(() => null);
    lin.outs.forEach((o: LinearOut, i) => {
      if (o.kind === 'linear') linearCts[o.index] = cotangents[i] ?? null;
    });
    const args = [...lin.jaxpr.consts, ...jaxpr.inVars.map((v) => new UndefinedPrimal(v.aval))];
    const cts = backwardPass(jaxpr, args, linearCts);
    let k = 0;
    return lin.inTangent.map((has) => (has ? cts[k++]! : null));
  };
  return { primalsOut: lin.primalsOut, aux: lin.aux, vjp };
}
