// checkpoint (remat), as jax.checkpoint: the function runs as a `remat2` equation holding its
// jaxpr. Under differentiation its partial evaluation saves only what the policy allows (by
// default nothing but the inputs) and stages the rest of the forward computation again next to
// the tangent computation, so the backward pass recomputes it instead of keeping residuals.
import type { Array } from '../core/array.js';
import { ClosedJaxpr, Jaxpr, Var, dce, type Atom, type JaxprEqn } from '../core/jaxpr.js';
import { Primitive, UndefinedPrimal, type Params } from '../core/primitive.js';
import { unflatten } from '../core/pytree.js';
import { evalJaxpr, jvpJaxpr, openJaxpr } from '../interpreters/ad.js';
import { axisSizeOf, batchJaxpr } from '../interpreters/batching.js';
import type { EqnSplit } from '../interpreters/partial_eval_ad.js';
import { transposeJaxpr } from '../interpreters/transpose.js';
import { flattenArrays, traceFn } from '../lax/control/common.js';
import { lowerJaxprBody } from '../lowering/module.js';
import type { Args, Arrays } from './grad.js';

type Fn = (...args: never[]) => unknown;

/** Which intermediate values of a checkpointed function may be saved for the backward pass. */
export class CheckpointPolicy {
  constructor(
    readonly name: string,
    readonly saveable: (primitive: Primitive, params: Params) => boolean,
  ) {}
  toString(): string {
    return this.name;
  }
}

const isDot = (p: Primitive) => p.name === 'dot_general';

/** jax.checkpoint_policies: the built-in policies. */
export const checkpointPolicies = {
  /** Save nothing: recompute every intermediate (the default). */
  nothingSaveable: new CheckpointPolicy('nothing_saveable', () => false),
  /** Save everything: the same residuals as without checkpoint. */
  everythingSaveable: new CheckpointPolicy('everything_saveable', () => true),
  /** Save the results of matrix multiplications only. */
  dotsSaveable: new CheckpointPolicy('dots_saveable', isDot),
  /** Save the results of matrix multiplications without batch dimensions only. */
  dotsWithNoBatchDimsSaveable: new CheckpointPolicy(
    'dots_with_no_batch_dims_saveable',
    (p, params) => isDot(p) && ((params.dimension_numbers as number[][][])[1]![0]!.length ?? 0) === 0,
  ),
} as const;

const jaxprOf = (params: Params) => params.jaxpr as ClosedJaxpr;
const nonNull = <T>(xs: (T | null)[]): T[] => xs.filter((x): x is T => x !== null);

/** A closed jaxpr with its constants as leading inputs, and those constants (operands of the equation). */
function hoist(closed: ClosedJaxpr): [ClosedJaxpr, Array[]] {
  return closed.consts.length || closed.jaxpr.constVars.length ? [new ClosedJaxpr(openJaxpr(closed), []), closed.consts] : [closed, []];
}

/** remat2[jaxpr, prevent_cse, differentiated, policy](*args): jaxpr(*args). */
export const rematP: Primitive = new Primitive(
  'remat2',
  {
    abstractEval: (_avals, params) => jaxprOf(params).outAvals,
    impl: (args, params) => evalJaxpr(jaxprOf(params).jaxpr, args),
    // Inlined; when differentiated, an optimization barrier keeps XLA from merging the
    // recomputation with the forward pass (JAX's remat lowering).
    lower: (ctx, args, params) => {
      const ins = params.prevent_cse && params.differentiated && args.length ? ctx.op('stablehlo.optimization_barrier', args, args.map((a) => a.aval)) : args;
      return lowerJaxprBody(ctx, jaxprOf(params).jaxpr, ins);
    },
    jvp: (primals, tangents, params) => {
      const inner = jaxprOf(params);
      const { jaxpr, outNonzero } = jvpJaxpr(inner, tangents.map((t) => t !== null));
      const [j, consts] = hoist(jaxpr);
      const outs = rematP.bind([...consts, ...primals, ...nonNull(tangents)], { ...params, jaxpr: j, differentiated: true });
      let k = inner.outAvals.length;
      return [outs.slice(0, k), outNonzero.map((nz) => (nz ? outs[k++]! : null))];
    },
    // The transposed jaxpr (forward recomputation included) runs as another remat2 equation.
    transpose: (cts, args, params) => {
      const undefinedIn = args.map((a) => a instanceof UndefinedPrimal);
      const [j, consts] = hoist(transposeJaxpr(jaxprOf(params), undefinedIn, cts.map((c) => c !== null)));
      const defined = args.filter((a): a is Array => !(a instanceof UndefinedPrimal));
      const outs = rematP.bind([...consts, ...defined, ...nonNull(cts)], { ...params, jaxpr: j, differentiated: true });
      let k = 0;
      return undefinedIn.map((u) => (u ? outs[k++]! : null));
    },
    batch: (args, dims, params) => {
      const { jaxpr, outDims } = batchJaxpr(jaxprOf(params), dims, axisSizeOf(args, dims));
      const [j, consts] = hoist(jaxpr);
      return [rematP.bind([...consts, ...args], { ...params, jaxpr: j }), outDims];
    },
    partialEval: rematPartialEval,
  },
  { multipleResults: true },
);

/**
 * Known inputs → known outputs now (the known equations, hoisted out of the remat, also giving the
 * saveable intermediates); the unknown outputs are staged as a remat2 that reads the known
 * inputs and saved values and recomputes every other known intermediate it needs (JAX's
 * remat_partial_eval with partial_eval_jaxpr_custom).
 */
function rematPartialEval(eqn: JaxprEqn, inUnknown: boolean[]): EqnSplit {
  const params = eqn.params;
  const policy = (params.policy as CheckpointPolicy | null) ?? checkpointPolicies.nothingSaveable;
  const jaxpr = jaxprOf(params).jaxpr;
  const unknown = new Set<Var>(jaxpr.inVars.filter((_, i) => inUnknown[i]));
  const isUnknown = (a: Atom) => a instanceof Var && unknown.has(a);
  const knownEqns: JaxprEqn[] = [];
  const stagedEqns: JaxprEqn[] = [];
  const saveable = new Set<Var>();
  const addKnown = (e: JaxprEqn) => {
    knownEqns.push(e);
    if (policy.saveable(e.primitive, e.params)) e.outVars.forEach((v) => saveable.add(v));
    else stagedEqns.push(e); // recomputed on the staged side where needed
  };
  for (const e of jaxpr.eqns) {
    const unks = e.inputs.map(isUnknown);
    // A JVP'd cond/scan/while mixes primal and tangent outputs: its own split keeps the primal part known.
    const split = unks.some(Boolean) ? e.primitive.rules.partialEval?.(e, unks) : undefined;
    if (split) {
      split.known.forEach(addKnown);
      stagedEqns.push(split.unknown);
      e.outVars.forEach((v, i) => split.outUnknown[i] && unknown.add(v));
    } else if (unks.some(Boolean)) {
      stagedEqns.push(e);
      e.outVars.forEach((v) => unknown.add(v));
    } else addKnown(e);
  }
  const outUnknown = jaxpr.outs.map(isUnknown);
  const unknownOuts = jaxpr.outs.filter((_, i) => outUnknown[i]);
  // Staged equations take saved values as inputs rather than recomputing them.
  const staged = dce(new Jaxpr([], [], stagedEqns.filter((e) => !e.outVars.some((v) => saveable.has(v))), unknownOuts));
  const defined = new Set<Var>(staged.eqns.flatMap((e) => e.outVars));
  const read = new Set<Var>();
  for (const a of [...staged.eqns.flatMap((e) => e.inputs), ...unknownOuts]) if (a instanceof Var && !defined.has(a)) read.add(a);
  const knownInVars = jaxpr.inVars.filter((v, i) => !inUnknown[i] && read.has(v));
  const saved = [...read].filter((v) => saveable.has(v));
  const unknownIn = jaxpr.inVars.filter((_, i) => inUnknown[i]);

  // Outside the equation: known inputs are the equation's operands.
  const operand = new Map<Var, Atom>(jaxpr.inVars.map((v, i) => [v, eqn.inputs[i]!]));
  const knownIn = jaxpr.inVars.filter((_, i) => !inUnknown[i]);
  const knownOuts = jaxpr.outs.filter((_, i) => !outUnknown[i]);
  const knownOutVars = eqn.outVars.filter((_, i) => !outUnknown[i]);
  const knownJaxpr = dce(new Jaxpr([], knownIn, knownEqns, [...knownOuts, ...saved]));
  const inlined = inlineKnown(knownJaxpr, operand, knownOutVars);
  let known: JaxprEqn[];
  let savedOut: Var[];
  if (inlined) [known, savedOut] = inlined;
  else {
    // A known output that is an input, a literal or repeated: the known part stays one remat2 equation.
    savedOut = saved.map((v) => new Var(v.aval));
    known = [{ primitive: rematP, inputs: knownIn.map((v) => operand.get(v)!), params: { ...params, jaxpr: new ClosedJaxpr(knownJaxpr, []) }, outVars: [...knownOutVars, ...savedOut] }];
  }
  const stagedJaxpr = new Jaxpr([], [...knownInVars, ...saved, ...unknownIn], staged.eqns, unknownOuts);
  const unknownEqn: JaxprEqn = {
    primitive: rematP,
    inputs: [...knownInVars.map((v) => operand.get(v)!), ...savedOut, ...unknownIn.map((v) => operand.get(v)!)],
    params: { ...params, jaxpr: new ClosedJaxpr(stagedJaxpr, []), differentiated: true },
    outVars: eqn.outVars.filter((_, i) => outUnknown[i]),
  };
  return { known, unknown: unknownEqn, outUnknown };
}

/**
 * The known equations inlined outside the remat (JAX hoists them), writing the equation's known
 * outputs; returns them and the variables holding the saved values, or undefined when a known
 * output is not written by an equation of its own.
 */
function inlineKnown(known: Jaxpr, operand: Map<Var, Atom>, knownOutVars: Var[]): [JaxprEqn[], Var[]] | undefined {
  const definedBy = new Set<Var>(known.eqns.flatMap((e) => e.outVars));
  const target = new Map<Var, Var>();
  for (let i = 0; i < knownOutVars.length; i++) {
    const a = known.outs[i]!;
    if (!(a instanceof Var) || !definedBy.has(a) || target.has(a)) return undefined;
    target.set(a, knownOutVars[i]!);
  }
  const env = new Map<Var, Atom>(operand);
  const eqns = known.eqns.map((e) => {
    const outVars = e.outVars.map((v) => target.get(v) ?? new Var(v.aval));
    e.outVars.forEach((v, i) => env.set(v, outVars[i]!));
    return { ...e, inputs: e.inputs.map((a) => (a instanceof Var ? env.get(a)! : a)), outVars };
  });
  const savedOut = known.outs.slice(knownOutVars.length).map((a) => env.get(a as Var) as Var);
  return [eqns, savedOut];
}

// ---- the public function ----

export interface CheckpointOptions {
  /** What may be saved for the backward pass: a policy from `checkpointPolicies` or `(primitive, params) => boolean`. */
  policy?: CheckpointPolicy | ((primitive: Primitive, params: Params) => boolean);
  /** Positions of arguments that are static (JS values, not traced). */
  staticArgnums?: number | readonly number[];
  /** Keep XLA from merging the recomputation with the forward pass (default true). */
  preventCse?: boolean;
}

/**
 * `checkpoint(f, { policy, staticArgnums, preventCse })` (alias `remat`): `f`, whose
 * intermediate values are recomputed in the backward pass rather than stored, as jax.checkpoint.
 */
export function checkpoint<F extends Fn>(fun: F, options: CheckpointOptions = {}): (...args: Args<Parameters<F>>) => Arrays<ReturnType<F>> {
  const statics = options.staticArgnums === undefined ? [] : typeof options.staticArgnums === 'number' ? [options.staticArgnums] : [...options.staticArgnums];
  const p = options.policy;
  // null (JAX's policy=None) means nothing_saveable.
  const policy = p === undefined ? null : p instanceof CheckpointPolicy ? p : new CheckpointPolicy(p.name || 'policy', p);
  const name = fun.name || 'fun';
  return (...args: unknown[]) => {
    const dyn = args.filter((_, i) => !statics.includes(i));
    const [leaves, inTree] = flattenArrays(dyn, `checkpoint ${name}`);
    const traced = traceFn(
      (...d: unknown[]) => {
        let k = 0;
        return (fun as unknown as (...a: unknown[]) => unknown)(...args.map((a, i) => (statics.includes(i) ? a : d[k++])));
      },
      inTree,
      leaves.map((a) => a.aval),
      `checkpoint ${name}`,
    );
    const outs = rematP.bind([...traced.consts, ...leaves], {
      jaxpr: traced.jaxpr,
      prevent_cse: options.preventCse ?? true,
      differentiated: false,
      policy,
    });
    return unflatten(traced.outTree, outs);
  };
}

export const remat = checkpoint;
