// Partial evaluation for linearize (autodidax's PartialEvalTrace): known values are computed now,
// operations that depend on an unknown value are staged into a jaxpr. Applied to a JVP whose
// primals are known and tangents unknown, it splits off the linear part of the computation.
import { Array } from '../core/array.js';
import { ArrayImpl } from '../core/array_impl.js';
import type { ShapedArray } from '../core/aval.js';
import { ClosedJaxpr, Jaxpr, Literal, Var, dce, type Atom, type JaxprEqn } from '../core/jaxpr.js';
import type { Params, Primitive } from '../core/primitive.js';
import { map as treeMap } from '../core/pytree.js';
import { Trace, Tracer, withMainTrace, type MainTrace } from '../core/trace.js';
import { callParams, hasTangent, isCall, jvpFlatAux, literalArray, openJaxpr, type Tangent } from './ad.js';

/**
 * How a primitive holding sub-jaxprs (cond, scan, while) splits one of its equations when some
 * inputs are unknown (JAX's partial_eval_jaxpr_custom rules): `known` equations read only known
 * inputs and run now; `unknown` is staged and may read any input of the original equation and
 * any variable `known` writes (those become residuals). Original outputs marked known in
 * `outUnknown` must be written by `known`, the others by `unknown`.
 */
export interface EqnSplit {
  known: JaxprEqn[];
  unknown: JaxprEqn;
  outUnknown: boolean[];
}

declare module '../core/primitive.js' {
  interface PrimitiveRules {
    /** Partial evaluation (linearize, vjp) of a primitive holding sub-jaxprs; undefined stages the whole equation. */
    partialEval?(eqn: JaxprEqn, inUnknown: boolean[]): EqnSplit | undefined;
  }
}

/** A value that is known now (`known`) or only by its aval until the staged jaxpr runs. */
export class PartialVal {
  private constructor(
    readonly aval: ShapedArray,
    readonly known: Array | undefined,
  ) {}
  static known(x: Array): PartialVal {
    return new PartialVal(x.aval, x);
  }
  static unknown(aval: ShapedArray): PartialVal {
    return new PartialVal(aval, undefined);
  }
}

// How an unknown tracer's value is computed: an input of the staged jaxpr, a constant, or an equation.
type Recipe =
  | { kind: 'lambda' }
  | { kind: 'const'; value: Array }
  | { kind: 'eqn'; primitive: Primitive; inputs: PartialEvalTracer[]; params: Params; outs: PartialEvalTracer[] };

export class PartialEvalTracer extends Tracer {
  readonly trace: PartialEvalTrace;
  constructor(
    trace: PartialEvalTrace,
    readonly pval: PartialVal,
    public recipe: Recipe | undefined,
  ) {
    super();
    this.trace = trace;
  }
  get aval(): ShapedArray {
    return this.pval.aval;
  }
  // Known values can be read (JS control flow under vjp/grad); unknown ones cannot.
  override data(): ReturnType<Array['data']> {
    return this.pval.known ? this.pval.known.data() : super.data();
  }
  override dataSync(): ReturnType<Array['dataSync']> {
    return this.pval.known ? this.pval.known.dataSync() : super.dataSync();
  }
  override tolist(): Promise<unknown> {
    return this.pval.known ? this.pval.known.tolist() : super.tolist();
  }
  override tolistSync(): unknown {
    return this.pval.known ? this.pval.known.tolistSync() : super.tolistSync();
  }
  override item(): number | boolean | bigint {
    return this.pval.known ? this.pval.known.item() : super.item();
  }
  override fullLower(): Array {
    const k = this.pval.known;
    if (k === undefined) return this;
    return k instanceof Tracer ? k.fullLower() : k;
  }
}

// ---- the trace ----

export class PartialEvalTrace extends Trace {
  newArg(pval: PartialVal): PartialEvalTracer {
    return new PartialEvalTracer(this, pval, { kind: 'lambda' });
  }

  pure(x: Array): PartialEvalTracer {
    return new PartialEvalTracer(this, PartialVal.known(x), undefined);
  }

  /** A known tracer as an unknown one fed by a constant (an input to staged equations). */
  instantiateConst(t: PartialEvalTracer): PartialEvalTracer {
    if (t.pval.known === undefined) return t;
    return new PartialEvalTracer(this, PartialVal.unknown(t.aval), { kind: 'const', value: t.pval.known });
  }

  processPrimitive(primitive: Primitive, tracers: Array[], params: Params): Array[] {
    const ins = tracers as PartialEvalTracer[];
    if (ins.every((t) => t.pval.known !== undefined)) return primitive.bind(ins.map((t) => t.pval.known!), params);
    if (primitive.rules.partialEval) {
      const outs = this.processSplit(primitive, ins, params);
      if (outs) return outs;
    } else if (isCall(params)) return this.processCall(primitive, ins, params);
    const inputs = ins.map((t) => this.instantiateConst(t));
    const avals = primitive.rules.abstractEval(inputs.map((t) => t.aval), params);
    return this.stage(primitive, inputs, params, avals);
  }

  private stage(primitive: Primitive, inputs: PartialEvalTracer[], params: Params, avals: ShapedArray[]): PartialEvalTracer[] {
    const outs = avals.map((a) => new PartialEvalTracer(this, PartialVal.unknown(a), undefined));
    const recipe: Recipe = { kind: 'eqn', primitive, inputs, params, outs };
    for (const t of outs) t.recipe = recipe;
    return outs;
  }

  /** Splits the call's jaxpr: the known part runs now, the unknown part is staged with its residuals. */
  private processCall(primitive: Primitive, ins: PartialEvalTracer[], params: Params): Array[] {
    const unknownIn = ins.map((t) => t.pval.known === undefined);
    const split = partialEvalJaxpr(params.jaxpr as ClosedJaxpr, unknownIn);
    const knownIns = ins.filter((_, i) => !unknownIn[i]).map((t) => t.pval.known!);
    const knownOuts = split.known.outAvals.length ? primitive.bind(knownIns, callParams(params, split.known)) : [];
    const numKnown = knownOuts.length - split.numResiduals;
    const residuals = knownOuts.slice(numKnown).map((r) => this.instantiateConst(this.pure(r)));
    const staged = this.stage(
      primitive,
      [...residuals, ...ins.filter((_, i) => unknownIn[i])],
      callParams(params, split.unknown),
      split.unknown.outAvals,
    );
    let k = 0;
    let u = 0;
    return split.outUnknown.map((unknown) => (unknown ? staged[u++]! : knownOuts[k++]!));
  }

  /** Applies the primitive's own split (cond, scan, while): known equations run now, the unknown one is staged. */
  private processSplit(primitive: Primitive, ins: PartialEvalTracer[], params: Params): Array[] | undefined {
    const inVars = ins.map((t) => new Var(t.aval));
    const outVars = primitive.rules.abstractEval(ins.map((t) => t.aval), params).map((a) => new Var(a));
    const split = primitive.rules.partialEval!({ primitive, inputs: inVars, params, outVars }, ins.map((t) => t.pval.known === undefined));
    if (!split) return undefined;
    const known = new Map<Var, Array>();
    const unknown = new Map<Var, PartialEvalTracer>();
    inVars.forEach((v, i) => (ins[i]!.pval.known === undefined ? unknown.set(v, ins[i]!) : known.set(v, ins[i]!.pval.known!)));
    const read = (a: Atom): Array => (a instanceof Literal ? literalArray(a) : known.get(a)!);
    for (const eqn of split.known) {
      const outs = eqn.primitive.bind(eqn.inputs.map(read), eqn.params);
      eqn.outVars.forEach((v, i) => known.set(v, outs[i]!));
    }
    const u = split.unknown;
    const inputs = u.inputs.map((a) => (a instanceof Var && unknown.has(a) ? unknown.get(a)! : this.instantiateConst(this.pure(read(a)))));
    const staged = this.stage(u.primitive, inputs, u.params, u.outVars.map((v) => v.aval));
    u.outVars.forEach((v, i) => unknown.set(v, staged[i]!));
    return outVars.map((v, i) => (split.outUnknown[i] ? unknown.get(v)! : known.get(v)!));
  }
}

// ---- from the tracer graph to a jaxpr ----

function parents(t: PartialEvalTracer): PartialEvalTracer[] {
  return t.recipe?.kind === 'eqn' ? t.recipe.inputs : [];
}

/** Tracers in dependency order (autodidax's toposort). */
function toposort(outs: PartialEvalTracer[]): PartialEvalTracer[] {
  const roots = [...new Set(outs)];
  const childCounts = new Map<PartialEvalTracer, number>();
  const stack = [...roots];
  while (stack.length) {
    const node = stack.pop()!;
    const n = childCounts.get(node);
    if (n !== undefined) childCounts.set(node, n + 1);
    else {
      childCounts.set(node, 1);
      stack.push(...parents(node));
    }
  }
  for (const node of roots) childCounts.set(node, childCounts.get(node)! - 1);
  const sorted: PartialEvalTracer[] = [];
  const childless = roots.filter((node) => childCounts.get(node) === 0);
  while (childless.length) {
    const node = childless.pop()!;
    sorted.push(node);
    for (const parent of parents(node)) {
      const n = childCounts.get(parent)!;
      if (n === 1) childless.push(parent);
      else childCounts.set(parent, n - 1);
    }
  }
  return sorted.reverse();
}

/** A host scalar (a JS number met while tracing) becomes a literal rather than a constant input. */
function literalOf(x: Array): Literal | undefined {
  if (!(x instanceof ArrayImpl) || !x.hostData || x.ndim !== 0 || x.dtype.startsWith('complex')) return undefined;
  const value = x.dtype === 'bool' ? x.hostData[0] !== 0 : x.dataSync()[0]!;
  return new Literal(value as number | boolean | bigint, x.aval);
}

/** The staged computation from `ins` to `outs` as a closed jaxpr (its constants are the residuals). */
export function tracersToJaxpr(ins: PartialEvalTracer[], outs: PartialEvalTracer[]): ClosedJaxpr {
  const atoms = new Map<PartialEvalTracer, Atom>();
  const inVars = ins.map((t) => {
    const v = new Var(t.aval);
    atoms.set(t, v);
    return v;
  });
  const constVars = new Map<Array, Var>();
  const done = new Set<Recipe>();
  const eqns: JaxprEqn[] = [];
  for (const t of toposort(outs)) {
    const recipe = t.recipe;
    if (recipe?.kind === 'const') {
      const value = recipe.value;
      let atom: Atom | undefined = literalOf(value) ?? constVars.get(value);
      if (!atom) {
        atom = new Var(t.aval);
        constVars.set(value, atom);
      }
      atoms.set(t, atom);
    } else if (recipe?.kind === 'eqn' && !done.has(recipe)) {
      done.add(recipe);
      const outVars = recipe.outs.map((o) => new Var(o.aval));
      recipe.outs.forEach((o, i) => atoms.set(o, outVars[i]!));
      eqns.push({ primitive: recipe.primitive, inputs: recipe.inputs.map((i) => atoms.get(i)!), params: recipe.params, outVars });
    } else if (recipe?.kind === 'lambda' && !atoms.has(t)) {
      throw new Error('jaxts internal error: a staged value depends on an input that is not an argument of the linear function');
    }
  }
  const jaxpr = new Jaxpr([...constVars.values()], inVars, eqns, outs.map((t) => atoms.get(t)!));
  return new ClosedJaxpr(jaxpr, [...constVars.keys()]);
}

// ---- partial evaluation of a flat function ----

export interface PartialEvalResult {
  /** The unknown outputs as a function of the unknown inputs; its constants are the residuals. */
  jaxpr: ClosedJaxpr;
  pvalsOut: PartialVal[];
  aux: unknown;
}

/** Runs `fn` with some inputs known and others not: known outputs now, the rest as a jaxpr. */
export function partialEvalFlat(fn: (...xs: Array[]) => [Array[], unknown], pvalsIn: PartialVal[]): PartialEvalResult {
  return withMainTrace(PartialEvalTrace, null, (main: MainTrace) => {
    const trace = new PartialEvalTrace(main);
    const ins = pvalsIn.map((p) => trace.newArg(p));
    const [outs, aux] = fn(...ins);
    const own = (x: Array): PartialEvalTracer => (x instanceof PartialEvalTracer && x.trace.main === main ? x : trace.pure(x));
    const tracersOut = outs.map(own);
    const unknown = (t: PartialEvalTracer) => t.pval.known === undefined;
    const jaxpr = tracersToJaxpr(ins.filter(unknown), tracersOut.filter(unknown));
    const lowered = treeMap((x: unknown) => {
      if (!(x instanceof PartialEvalTracer) || x.trace.main !== main) return x;
      if (x.pval.known === undefined) throw new Error('linearize/vjp: the auxiliary output depends on a tangent');
      return x.fullLower();
    }, aux);
    return { jaxpr, pvalsOut: tracersOut.map((t) => t.pval), aux: lowered };
  });
}

// ---- partial evaluation of a jaxpr (for calls) ----

export interface JaxprSplit {
  /** Known inputs → known outputs, then residuals. */
  known: ClosedJaxpr;
  /** Residuals, then unknown inputs → unknown outputs. */
  unknown: ClosedJaxpr;
  outUnknown: boolean[];
  numResiduals: number;
}

const splitCache = new WeakMap<ClosedJaxpr, Map<string, JaxprSplit>>();

/**
 * Unzips a call's jaxpr (constants as leading inputs) into known and unknown parts (autodidax's
 * partial_eval_jaxpr). Outputs marked in `instantiate` are unknown even where they could be known
 * (control flow needs the same unknown outputs in every branch and iteration).
 */
export function partialEvalJaxpr(closed: ClosedJaxpr, inUnknown: boolean[], instantiate: boolean[] = []): JaxprSplit {
  let byMask = splitCache.get(closed);
  if (!byMask) splitCache.set(closed, (byMask = new Map()));
  const key = `${inUnknown.map(Number).join('')}|${instantiate.map(Number).join('')}`;
  let split = byMask.get(key);
  if (!split) byMask.set(key, (split = splitJaxpr(openJaxpr(closed), inUnknown, instantiate)));
  return split;
}

function splitJaxpr(jaxpr: Jaxpr, inUnknown: boolean[], instantiate: boolean[]): JaxprSplit {
  const unknown = new Set<Var>(jaxpr.inVars.filter((_, i) => inUnknown[i]));
  const isUnknown = (a: Atom) => a instanceof Var && unknown.has(a);
  const residuals = new Set<Var>();
  const asResidual = (a: Atom): Atom => {
    if (a instanceof Var) residuals.add(a);
    return a;
  };
  const knownEqns: JaxprEqn[] = [];
  const unknownEqns: JaxprEqn[] = [];
  for (const eqn of jaxpr.eqns) {
    const unks = eqn.inputs.map(isUnknown);
    const split = unks.some(Boolean) ? eqn.primitive.rules.partialEval?.(eqn, unks) : undefined;
    if (!unks.some(Boolean)) {
      knownEqns.push(eqn);
    } else if (split) {
      // The primitive's own split (cond, scan, while): what it reads of the known side are residuals.
      knownEqns.push(...split.known);
      unknownEqns.push({ ...split.unknown, inputs: split.unknown.inputs.map((a) => (isUnknown(a) ? a : asResidual(a))) });
      eqn.outVars.forEach((v, i) => split.outUnknown[i] && unknown.add(v));
    } else if (!eqn.primitive.rules.partialEval && isCall(eqn.params)) {
      // A nested call splits recursively, so its known outputs stay known.
      const inner = partialEvalJaxpr(eqn.params.jaxpr as ClosedJaxpr, unks);
      const res = inner.unknown.jaxpr.inVars.slice(0, inner.numResiduals).map((v) => new Var(v.aval));
      knownEqns.push({
        primitive: eqn.primitive,
        inputs: eqn.inputs.filter((_, i) => !unks[i]),
        params: callParams(eqn.params, inner.known),
        outVars: [...eqn.outVars.filter((_, i) => !inner.outUnknown[i]), ...res],
      });
      unknownEqns.push({
        primitive: eqn.primitive,
        inputs: [...res.map(asResidual), ...eqn.inputs.filter((_, i) => unks[i])],
        params: callParams(eqn.params, inner.unknown),
        outVars: eqn.outVars.filter((_, i) => inner.outUnknown[i]),
      });
      eqn.outVars.forEach((v, i) => inner.outUnknown[i] && unknown.add(v));
    } else {
      unknownEqns.push({ ...eqn, inputs: eqn.inputs.map((a, i) => (unks[i] ? a : asResidual(a))) });
      eqn.outVars.forEach((v) => unknown.add(v));
    }
  }
  const outUnknown = jaxpr.outs.map((a, i) => isUnknown(a) || (instantiate[i] ?? false));
  // Known outputs made unknown are read by the unknown jaxpr as residuals.
  jaxpr.outs.forEach((a, i) => outUnknown[i] && !isUnknown(a) && asResidual(a));
  const res = [...residuals];
  const known = new Jaxpr([], jaxpr.inVars.filter((_, i) => !inUnknown[i]), knownEqns, [...jaxpr.outs.filter((_, i) => !outUnknown[i]), ...res]);
  const unknownJaxpr = new Jaxpr([], [...res, ...jaxpr.inVars.filter((_, i) => inUnknown[i])], unknownEqns, jaxpr.outs.filter((_, i) => outUnknown[i]));
  return { known: new ClosedJaxpr(dce(known), []), unknown: new ClosedJaxpr(dce(unknownJaxpr), []), outUnknown, numResiduals: res.length };
}

// ---- linearize ----

/** Where a tangent output of a linearized function comes from. */
export type LinearOut = { kind: 'linear'; index: number } | { kind: 'zero' } | { kind: 'const'; value: Array };

export interface Linearized {
  primalsOut: Array[];
  aux: unknown;
  /** Linear in its inputs (the tangents of the inputs with `inTangent`); constants are residuals. */
  jaxpr: ClosedJaxpr;
  inTangent: boolean[];
  outs: LinearOut[];
}

/**
 * linearize = jvp + partial evaluation (autodidax's linearize_flat): primals known, tangents
 * unknown; the primal outputs are computed now and the tangent computation is staged.
 */
export function linearizeFlat(fn: (...xs: Array[]) => [Array[], unknown], primals: Array[]): Linearized {
  const inTangent = primals.map((p) => hasTangent(p.dtype));
  const n = primals.length;
  let outZero: boolean[] = [];
  const pe = partialEvalFlat(
    (...xs) => {
      let k = n;
      const tangents: Tangent[] = inTangent.map((has) => (has ? xs[k++]! : null));
      const [primalsOut, tangentsOut, aux] = jvpFlatAux(fn, xs.slice(0, n), tangents);
      outZero = tangentsOut.map((t) => t === null);
      return [[...primalsOut, ...tangentsOut.filter((t): t is Array => t !== null)], aux];
    },
    [...primals.map(PartialVal.known), ...primals.filter((_, i) => inTangent[i]).map((p) => PartialVal.unknown(p.aval))],
  );
  const numOut = outZero.length;
  const primalsOut = pe.pvalsOut.slice(0, numOut).map((p) => {
    if (p.known === undefined) throw new Error('jaxts internal error: a primal output of linearize depends on a tangent');
    return p.known;
  });
  const tangentPvals = pe.pvalsOut.slice(numOut);
  let k = 0;
  let linear = 0;
  const outs = outZero.map((zero): LinearOut => {
    if (zero) return { kind: 'zero' };
    const p = tangentPvals[k++]!;
    return p.known === undefined ? { kind: 'linear', index: linear++ } : { kind: 'const', value: p.known };
  });
  return { primalsOut, aux: pe.aux, jaxpr: pe.jaxpr, inTangent, outs };
}
