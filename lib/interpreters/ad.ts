// Forward-mode autodiff (JAX's ad.py, autodidax's JVPTrace): a JVP tracer carries a primal and
// its tangent. A `null` tangent is a symbolic zero: nothing is computed for inputs that do not
// matter, and integer/bool values (JAX's float0 tangents) always have one.
//
// lax files import the rule helpers below while this file imports a few lax primitives (zeros,
// sums): the cycle is safe because neither side calls the other at module evaluation time.
import { Array } from '../core/array.js';
import { ArrayImpl } from '../core/array_impl.js';
import { ShapedArray } from '../core/aval.js';
import { isInexact, type DType } from '../core/dtypes.js';
import { toRawHost } from '../core/host.js';
import { ClosedJaxpr, Jaxpr, Literal, Var, type Atom } from '../core/jaxpr.js';
import type { Params, Primitive, PrimitiveRules } from '../core/primitive.js';
import { map as treeMap } from '../core/pytree.js';
import { Trace, Tracer, withMainTrace, type MainTrace } from '../core/trace.js';
import { add } from '../lax/elementwise.js';
import { broadcastInDim } from '../lax/shape.js';
import { traceToJaxpr } from './partial_eval.js';

/** A tangent or cotangent; `null` is a symbolic zero. */
export type Tangent = Array | null;

/** Whether values of `dtype` have tangents (JAX gives integers and bools float0 tangents: here, always null). */
export const hasTangent = (dtype: DType): boolean => isInexact(dtype);

// ---- zeros and constants ----

/** An array of `aval` filled with `value`: a host scalar, broadcast (a literal in traced programs). */
export function fullOf(aval: ShapedArray, value: number | boolean): Array {
  const scalar = new ArrayImpl(new ShapedArray([], aval.dtype, aval.weakType), toRawHost(aval.dtype, [value]));
  if (aval.ndim === 0) return scalar;
  return broadcastInDim.bind1([scalar], { shape: [...aval.shape], broadcast_dimensions: [] });
}

export const zerosLike = (aval: ShapedArray): Array => fullOf(aval, 0);

/** `value` in `x`'s dtype and shape, weakly typed so it never changes the other operand's weak type. */
export const constLike = (x: Array, value: number): Array => fullOf(new ShapedArray(x.shape, x.dtype, true), value);

export const instantiate = (t: Tangent, aval: ShapedArray): Array => t ?? zerosLike(aval);

export function addTangents(a: Tangent, b: Tangent): Tangent {
  if (a === null) return b;
  if (b === null) return a;
  return add.bind1([a, b]);
}

/** A jaxpr literal as a (host) array. */
export const literalArray = (l: Literal): Array => new ArrayImpl(l.aval, toRawHost(l.aval.dtype, [l.value]));

/** Runs `jaxpr` on `args` (its constVars' values, then its inputs) through the current traces. */
export function evalJaxpr(jaxpr: Jaxpr, args: Array[]): Array[] {
  const env = new Map<Var, Array>();
  [...jaxpr.constVars, ...jaxpr.inVars].forEach((v, i) => env.set(v, args[i]!));
  const read = (a: Atom): Array => (a instanceof Literal ? literalArray(a) : env.get(a)!);
  for (const eqn of jaxpr.eqns) {
    const outs = eqn.primitive.bind(eqn.inputs.map(read), eqn.params);
    eqn.outVars.forEach((v, i) => env.set(v, outs[i]!));
  }
  return jaxpr.outs.map(read);
}

// ---- rule helpers for primitive stanzas (JAX's defjvp, defjvp_zero, deflinear) ----

/** One operand's tangent contribution: its tangent `t`, all primal operands, the primal result. */
export type TangentRule = (t: Array, args: Array[], ans: Array, params: Params) => Array;
export type JvpRule = NonNullable<PrimitiveRules['jvp']>;
export type TransposeRule = NonNullable<PrimitiveRules['transpose']>;

/** Sets the jvp (and transpose) rule of `prim`; returns `prim` so a stanza stays one expression. */
export function defrules<P extends Primitive>(prim: P, rules: { jvp?: JvpRule; transpose?: TransposeRule }): P {
  if (rules.jvp) prim.rules.jvp = rules.jvp;
  if (rules.transpose) prim.rules.transpose = rules.transpose;
  return prim;
}

/** A single-result primitive whose tangent is the sum of per-operand rules (null: not differentiable there). */
export function defjvp<P extends Primitive>(prim: P, ...rules: (TangentRule | null)[]): P {
  return defrules(prim, {
    jvp: (primals, tangents, params) => {
      const ans = prim.bind1(primals, params);
      let out: Tangent = null;
      tangents.forEach((t, i) => {
        const rule = rules[i];
        if (t && rule) out = addTangents(out, rule(t, primals, ans, params));
      });
      return [[ans], [out]];
    },
  });
}

/** Piecewise-constant (or integer-valued) primitives: zero tangents. */
export function defjvpZero<P extends Primitive>(prim: P): P {
  return defrules(prim, {
    jvp: (primals, _tangents, params) => {
      const outs = prim.bind(primals, params);
      return [outs, outs.map(() => null)];
    },
  });
}

/** A primitive linear in its single operand: the tangent is the primitive applied to the tangent. */
export function deflinear<P extends Primitive>(prim: P, transpose: (ct: Array, arg: UndefinedOrArray, params: Params) => Tangent): P {
  return defrules(prim, {
    jvp: ([x], [t], params) => [[prim.bind1([x!], params)], [t ? prim.bind1([t], params) : null]],
    transpose: ([ct], [arg], params) => [ct ? transpose(ct, arg!, params) : null],
  });
}

type UndefinedOrArray = Parameters<TransposeRule>[1][number];

// ---- the JVP trace ----

export class JVPTracer extends Tracer {
  readonly trace: JVPTrace;
  constructor(
    trace: JVPTrace,
    readonly primal: Array,
    readonly tangent: Tangent,
  ) {
    super();
    this.trace = trace;
  }
  get aval(): ShapedArray {
    return this.primal.aval;
  }
  // Values are the primal's: JS control flow on concrete values works under jvp/grad, as in JAX.
  override data(): ReturnType<Array['data']> {
    return this.primal.data();
  }
  override dataSync(): ReturnType<Array['dataSync']> {
    return this.primal.dataSync();
  }
  override tolist(): Promise<unknown> {
    return this.primal.tolist();
  }
  override tolistSync(): unknown {
    return this.primal.tolistSync();
  }
  override item(): number | boolean | bigint {
    return this.primal.item();
  }
}

export class JVPTrace extends Trace {
  pure(x: Array): JVPTracer {
    return new JVPTracer(this, x, null);
  }

  processPrimitive(primitive: Primitive, tracers: Array[], params: Params): Array[] {
    const ins = tracers as JVPTracer[];
    const primals = ins.map((t) => t.primal);
    const tangents = ins.map((t) => t.tangent);
    // No tangent in: the result is a constant of this trace, computed one level down.
    if (tangents.every((t) => t === null)) return primitive.bind(primals, params);
    const rule = primitive.rules.jvp;
    if (!rule) throw new Error(`Differentiation rule for '${primitive.name}' not implemented`);
    const [outs, outTangents] = rule(primals, tangents, params);
    return outs.map((p, i) => {
      const t = hasTangent(p.dtype) ? (outTangents[i] ?? null) : null;
      return t ? new JVPTracer(this, p, t) : p;
    });
  }
}

/** The primal and tangent of an output of the JVP trace `main` (constants have zero tangents). */
function unpack(main: MainTrace, x: Array): [Array, Tangent] {
  return x instanceof JVPTracer && x.trace.main === main ? [x.primal, x.tangent] : [x, null];
}

/** Replaces this trace's tracers in an auxiliary pytree by their primals (aux is not differentiated). */
export function lowerAux(main: MainTrace, aux: unknown): unknown {
  return treeMap((x: unknown) => (x instanceof Array ? unpack(main, x)[0] : x), aux);
}

/**
 * Forward mode on flat lists: `fn`'s outputs and their tangents at `primals` along `tangents`.
 * `fn` returns its outputs and an auxiliary pytree (returned with tangents stripped).
 */
export function jvpFlatAux(fn: (...xs: Array[]) => [Array[], unknown], primals: Array[], tangents: Tangent[]): [Array[], Tangent[], unknown] {
  return withMainTrace(JVPTrace, null, (main) => {
    const trace = new JVPTrace(main);
    const ins = primals.map((p, i) => (tangents[i] ? new JVPTracer(trace, p, tangents[i]!) : p));
    const [outs, aux] = fn(...ins);
    const pairs = outs.map((o) => unpack(main, o));
    return [pairs.map((p) => p[0]), pairs.map((p) => p[1]), lowerAux(main, aux)];
  });
}

export function jvpFlat(fn: (...xs: Array[]) => Array[], primals: Array[], tangents: Tangent[]): [Array[], Tangent[]] {
  const [outs, tangentsOut] = jvpFlatAux((...xs) => [fn(...xs), null], primals, tangents);
  return [outs, tangentsOut];
}

// ---- call primitives (jit's pjit) ----

/** Call primitives hold a closed jaxpr in `jaxpr` and take its constants, then its arguments, as operands. */
export const isCall = (params: Params): boolean => params.jaxpr instanceof ClosedJaxpr;

/** Params of a call derived from `params` (jvp, partial eval, transpose): donation and stats belong to the original. */
export const callParams = (params: Params, jaxpr: ClosedJaxpr): Params => ({ ...params, jaxpr, donated: [], stats: undefined });

/** A call's jaxpr with its constants as leading inputs, matching the call's operands. */
export function openJaxpr(closed: ClosedJaxpr): Jaxpr {
  const j = closed.jaxpr;
  return j.constVars.length ? new Jaxpr([], [...j.constVars, ...j.inVars], j.eqns, j.outs) : j;
}

export interface JvpJaxpr {
  /** Primal operands, then the nonzero tangents → primal outputs, then the nonzero output tangents. */
  jaxpr: ClosedJaxpr;
  outNonzero: boolean[];
}

const jvpCache = new WeakMap<ClosedJaxpr, Map<string, JvpJaxpr>>();

/** The JVP of a call's jaxpr for the operands whose tangents are nonzero (cached, so it compiles once). */
export function jvpJaxpr(closed: ClosedJaxpr, nonzero: boolean[]): JvpJaxpr {
  let byMask = jvpCache.get(closed);
  if (!byMask) jvpCache.set(closed, (byMask = new Map()));
  const key = nonzero.map(Number).join('');
  const hit = byMask.get(key);
  if (hit) return hit;
  const jaxpr = openJaxpr(closed);
  const avals = jaxpr.inAvals;
  let outNonzero: boolean[] = [];
  const traced = traceToJaxpr((...xs) => {
    let k = avals.length;
    const tangents = nonzero.map((nz) => (nz ? xs[k++]! : null));
    const [outs, outTangents] = jvpFlat((...ps) => evalJaxpr(jaxpr, ps), xs.slice(0, avals.length), tangents);
    outNonzero = outTangents.map((t) => t !== null);
    return [...outs, ...outTangents.filter((t): t is Array => t !== null)];
  }, [...avals, ...avals.filter((_, i) => nonzero[i])]);
  const result = { jaxpr: traced, outNonzero };
  byMask.set(key, result);
  return result;
}
