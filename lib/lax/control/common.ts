// What cond, while and scan share: tracing user functions on pytrees into closed jaxprs with
// their constants hoisted as operands, rewiring a jaxpr's binders, the JVP of a jaxpr with
// chosen tangents instantiated, and eager execution of a primitive holding jaxprs.
import { Array } from '../../core/array.js';
import { ArrayImpl } from '../../core/array_impl.js';
import { ShapedArray } from '../../core/aval.js';
import { resultType, scalarDType } from '../../core/dtypes.js';
import { toRawHost } from '../../core/host.js';
import { ClosedJaxpr, Jaxpr, Literal, Var, type Atom, type JaxprEqn } from '../../core/jaxpr.js';
import { paramsKey, Primitive, type Params } from '../../core/primitive.js';
import { flatten, unflatten, type TreeDef } from '../../core/pytree.js';
import { evalJaxpr, hasTangent, jvpFlat, openJaxpr, zerosLike, type Tangent } from '../../interpreters/ad.js';
import { batchJaxprAxes, type BatchDim, type BatchedJaxprAxes } from '../../interpreters/batching.js';
import { traceToJaxpr } from '../../interpreters/partial_eval.js';
import { scalarLiteral, tensorType } from '../../lowering/context.js';
import { lowerModule } from '../../lowering/module.js';
import type { Device } from '../../runtime/device.js';
import type { Executable } from '../../runtime/executable.js';
import { defaultBackend } from '../../runtime/registry.js';
import { convertElementType } from '../convert.js';

/** `T` as control flow returns it: JS scalars among its leaves become (weakly typed) Arrays. */
export type { AsArrays } from '../../core/array.js';

/** A JS scalar as a (weakly typed) host array, as JAX treats Python scalars. */
export function scalarArray(x: number | boolean | bigint): Array {
  const { dtype, weak } = scalarDType(x);
  return new ArrayImpl(new ShapedArray([], dtype, weak), toRawHost(dtype, [x]));
}

/** A pytree leaf as an array (JS scalars are weakly typed); `what` names the caller in errors. */
export function leafArray(x: unknown, what: string): Array {
  if (x instanceof Array) return x;
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return scalarArray(x);
  throw new TypeError(`${what}: a leaf of type ${x === null ? 'null' : typeof x} is not an array or a JS scalar`);
}

export function flattenArrays(tree: unknown, what: string): [Array[], TreeDef] {
  const [leaves, def] = flatten(tree);
  return [leaves.map((l) => leafArray(l, what)), def];
}

/** Shape and dtype equal, weak types aside (JAX's typematch). */
export const typematch = (a: ShapedArray, b: ShapedArray): boolean => a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);

/** JAX's str_short: `float32[3]`. */
export const avalStr = (a: ShapedArray): string => `${a.dtype}[${a.shape.join(',')}]`;

/**
 * Weakly typed initial carries (JS numbers) that the body returns with another type are converted
 * to the promoted type, as JAX's _promote_weak_typed_input; undefined when none changes.
 */
export function promoteWeakInit(init: Array[], outAvals: ShapedArray[]): Array[] | undefined {
  if (init.length !== outAvals.length) return undefined;
  let changed = false;
  const promoted = init.map((x, i) => {
    const out = outAvals[i]!;
    if (!x.weakType || typematch(x.aval, out)) return x;
    changed = true;
    const { dtype } = resultType({ dtype: x.dtype, weakType: true }, { dtype: out.dtype, weakType: out.weakType });
    return convertElementType.bind1([x], { new_dtype: dtype, weak_type: false });
  });
  return changed ? promoted : undefined;
}

export interface Traced {
  /** Constants first (hoisted as inputs), then the flattened arguments; no constVars. */
  jaxpr: ClosedJaxpr;
  /** The values of the hoisted constants: operands of the primitive. */
  consts: Array[];
  outTree: TreeDef;
}

/**
 * Traces `fn` on flat arguments of `inAvals` (rebuilt with `inTree` and spread as its arguments) to
 * a jaxpr whose captured constants are leading inputs, as JAX's separate_consts: they become
 * operands of the primitive, never inlined into the loop body or branch.
 */
export function traceFn(fn: (...args: never[]) => unknown, inTree: TreeDef, inAvals: ShapedArray[], what: string): Traced {
  let outTree: TreeDef | undefined;
  const closed = traceToJaxpr((...tracers) => {
    const args = unflatten<unknown[]>(inTree, tracers);
    const [outs, tree] = flattenArrays((fn as (...a: unknown[]) => unknown)(...args), `${what} output`);
    outTree = tree;
    return outs;
  }, inAvals);
  return { jaxpr: new ClosedJaxpr(openJaxpr(closed), []), consts: closed.consts, outTree: outTree! };
}

/**
 * Jaxprs of the same signature sharing one list of constants (JAX's _merge_common_consts):
 * each takes all constants, deduplicated by identity, and ignores the others'.
 */
export function mergeConsts(traced: { jaxpr: ClosedJaxpr; consts: Array[] }[]): [ClosedJaxpr[], Array[]] {
  const all: Array[] = [];
  for (const t of traced) for (const c of t.consts) if (!all.includes(c)) all.push(c);
  const jaxprs = traced.map(({ jaxpr, consts }) => {
    const j = jaxpr.jaxpr;
    const constVars = all.map((c) => {
      const k = consts.indexOf(c);
      return k >= 0 ? j.inVars[k]! : new Var(c.aval);
    });
    return new ClosedJaxpr(new Jaxpr([], [...constVars, ...j.inVars.slice(consts.length)], j.eqns, j.outs), []);
  });
  return [jaxprs, all];
}

/** The same jaxpr with its inputs and outputs picked and reordered by position. */
export function rewire(closed: ClosedJaxpr, inOrder: number[], outOrder: number[]): ClosedJaxpr {
  const j = closed.jaxpr;
  return new ClosedJaxpr(new Jaxpr([], inOrder.map((i) => j.inVars[i]!), j.eqns, outOrder.map((o) => j.outs[o]!)), []);
}

/** Positions `0..n-1` grouped: `groups` is a list of [start, count] ranges, concatenated. */
export function ranges(...groups: [number, number][]): number[] {
  return groups.flatMap(([start, count]) => globalThis.Array.from({ length: count }, (_, i) => start + i));
}

/** For each output, the input it returns unchanged, if any (JAX's _jaxpr_forwarding). */
export function forwarding(jaxpr: Jaxpr): (number | undefined)[] {
  return jaxpr.outs.map((o) => {
    const k = o instanceof Var ? jaxpr.inVars.indexOf(o) : -1;
    return k >= 0 ? k : undefined;
  });
}

/** `jaxpr`'s equations inlined on `inputs` with fresh variables (it may be inlined more than once). */
export function inlineJaxpr(jaxpr: Jaxpr, inputs: Atom[]): { eqns: JaxprEqn[]; outs: Atom[] } {
  const env = new Map<Var, Atom>();
  jaxpr.inVars.forEach((v, i) => env.set(v, inputs[i]!));
  const read = (a: Atom): Atom => (a instanceof Literal ? a : env.get(a) ?? a);
  const eqns = jaxpr.eqns.map((eqn) => {
    const outVars = eqn.outVars.map((v) => new Var(v.aval));
    eqn.outVars.forEach((v, i) => env.set(v, outVars[i]!));
    return { ...eqn, inputs: eqn.inputs.map(read), outVars };
  });
  return { eqns, outs: jaxpr.outs.map(read) };
}

/** Which carries have nonzero tangents (or are unknown): a fixpoint, since each iteration may spread them. */
export function carryFixpoint(start: boolean[], step: (carry: boolean[]) => boolean[]): boolean[] {
  let carry = start;
  for (let i = 0; i <= start.length; i++) {
    const out = step(carry);
    if (out.every((x, k) => x === carry[k])) return carry;
    carry = carry.map((x, k) => x || out[k]!);
  }
  throw new Error('jaxts internal error: control-flow fixpoint not reached');
}

// ---- jaxprs made by rules ----

/** An array known when a rule builds a jaxpr (a complex scalar, say), written into the program. */
export const constantP: Primitive = new Primitive('constant', {
  abstractEval: (_avals, params) => [(params.value as Array).aval],
  impl: (_args, params) => [params.value as Array],
  lower: (ctx, _args, params, [out]) => [ctx.op1('stablehlo.constant', [], out!, { value: `${denseLiteral(params.value as Array)} : ${tensorType(out!)}` })],
  jvp: (_primals, _tangents, params) => [[params.value as Array], [null]],
  // No operands, so vmap never batches it: the value is the same for every example.
  batch: (_args, _dims, params) => [[params.value as Array], [null]],
});

function denseLiteral(x: Array): string {
  const data = x.dataSync();
  const complex = x.dtype.startsWith('complex');
  const part = new ShapedArray([], x.dtype === 'complex64' ? 'float32' : 'float64');
  const element = (i: number): string =>
    complex ? `(${scalarLiteral(Number(data[2 * i]), part)}, ${scalarLiteral(Number(data[2 * i + 1]), part)})` : scalarLiteral(x.dtype === 'bool' ? data[i] !== 0 : data[i]!, x.aval);
  let next = 0;
  const nest = (dim: number): string => (dim === x.ndim ? element(next++) : `[${globalThis.Array.from({ length: x.shape[dim]! }, () => nest(dim + 1)).join(', ')}]`);
  return `dense<${nest(0)}>`;
}

/** A jaxpr traced by a rule, its constants (concrete arrays the rule made) turned into constant equations. */
export function withoutConsts(closed: ClosedJaxpr): ClosedJaxpr {
  const j = closed.jaxpr;
  if (!j.constVars.length) return closed.consts.length ? new ClosedJaxpr(j, []) : closed;
  const eqns: JaxprEqn[] = closed.consts.map((value, i) => {
    if (!(value instanceof ArrayImpl)) throw new Error('jaxts internal error: a control-flow rule captured a traced value');
    return { primitive: constantP, inputs: [], params: { value }, outVars: [j.constVars[i]!] };
  });
  return new ClosedJaxpr(new Jaxpr([], j.inVars, [...eqns, ...j.eqns], j.outs), []);
}

// ---- the JVP of a jaxpr ----

export interface JvpJaxpr {
  /** Primal inputs, then the nonzero tangents → primal outputs, then the nonzero output tangents. */
  jaxpr: ClosedJaxpr;
  outNonzero: boolean[];
}

const jvpCache = new WeakMap<ClosedJaxpr, Map<string, JvpJaxpr>>();

/**
 * The JVP of `closed` (no constVars) for the inputs whose tangents are nonzero; the output tangents
 * marked in `instantiate` are zeros rather than symbolic zeros (JAX's jvp_jaxpr), so every branch
 * or iteration has the same outputs. Cached, so transformed programs keep their identity.
 */
export function jvpJaxpr(closed: ClosedJaxpr, nonzero: boolean[], instantiate: boolean[] | boolean = false): JvpJaxpr {
  let byMask = jvpCache.get(closed);
  if (!byMask) jvpCache.set(closed, (byMask = new Map()));
  const inst = closed.outAvals.map((a, i) => hasTangent(a.dtype) && (typeof instantiate === 'boolean' ? instantiate : (instantiate[i] ?? false)));
  const key = `${nonzero.map(Number).join('')}|${inst.map(Number).join('')}`;
  const hit = byMask.get(key);
  if (hit) return hit;
  const jaxpr = closed.jaxpr;
  const avals = jaxpr.inAvals;
  let outNonzero: boolean[] = [];
  const traced = traceToJaxpr((...xs) => {
    let k = avals.length;
    const tangents: Tangent[] = nonzero.map((nz) => (nz ? xs[k++]! : null));
    const [outs, outTangents] = jvpFlat((...ps) => evalJaxpr(jaxpr, ps), xs.slice(0, avals.length), tangents);
    const ts = outTangents.map((t, i) => (t === null && inst[i] ? zerosLike(outs[i]!.aval) : t));
    outNonzero = ts.map((t) => t !== null);
    return [...outs, ...ts.filter((t): t is Array => t !== null)];
  }, [...avals, ...avals.filter((_, i) => nonzero[i])]);
  const result = { jaxpr: withoutConsts(traced), outNonzero };
  byMask.set(key, result);
  return result;
}

// ---- batching a jaxpr ----

const batchedBodies = new WeakMap<BatchedJaxprAxes, ClosedJaxpr>();

/**
 * `closed` batched along `inDims` (JAX's batch_jaxpr_axes; see interpreters/batching.ts), with
 * the constants the batch rules made written into it, as a primitive's jaxpr needs. Cached.
 */
export function batchBody(closed: ClosedJaxpr, inDims: BatchDim[], axisSize: number, instantiate: boolean[] | boolean = false, outDim = 0): { jaxpr: ClosedJaxpr; outBatched: boolean[] } {
  const batched = batchJaxprAxes(closed, inDims, axisSize, instantiate, outDim);
  let jaxpr = batchedBodies.get(batched);
  if (!jaxpr) batchedBodies.set(batched, (jaxpr = withoutConsts(batched.jaxpr)));
  return { jaxpr, outBatched: batched.outBatched };
}

/** Batch axes at 0 where `batched`, none elsewhere. */
export const atZero = (batched: boolean[]): BatchDim[] => batched.map((b) => (b ? 0 : null));

// ---- eager execution ----

const ids = new WeakMap<object, number>();
let nextId = 0;
const idOf = (x: object): number => {
  let id = ids.get(x);
  if (id === undefined) ids.set(x, (id = nextId++));
  return id;
};

const programs = new WeakMap<ClosedJaxpr, Map<string, Executable>>();

/**
 * Eager application of a primitive holding `jaxprs`: one compiled program per jaxprs, other params,
 * input types and device (keyed by the jaxprs' identity, as JAX's dispatch caches them).
 */
export function applyEagerly(primitive: Primitive, args: Array[], params: Params, jaxprs: ClosedJaxpr[]): Array[] {
  const inputs = args as ArrayImpl[];
  const inAvals = inputs.map((a) => a.aval);
  const outAvals = primitive.rules.abstractEval(inAvals, params);
  const device: Device = inputs.find((a) => !a.hostData)?.device ?? defaultBackend().devices[0]!;
  const scalars = Object.fromEntries(Object.entries(params).filter(([, v]) => !(v instanceof ClosedJaxpr) && !(globalThis.Array.isArray(v) && v[0] instanceof ClosedJaxpr)));
  const key = `${jaxprs.map(idOf).join(',')}|${paramsKey(scalars)}|${inAvals.map((a) => `${a.dtype}[${a.shape.join(',')}]`).join(';')}|${device.backend.platform}:${device.id}`;
  let byKey = programs.get(jaxprs[0]!);
  if (!byKey) programs.set(jaxprs[0]!, (byKey = new Map()));
  let exe = byKey.get(key);
  if (!exe) {
    const inVars = inAvals.map((a) => new Var(a));
    const outVars = outAvals.map((a) => new Var(a));
    const { text, signature } = lowerModule(new Jaxpr([], inVars, [{ primitive, inputs: inVars, params, outVars }], outVars), { name: primitive.name });
    exe = device.backend.compileSync(text, { signature, deviceAssignment: [[device.id]] });
    byKey.set(key, exe);
  }
  const outs = exe.execute(inputs.map((a) => a.buffer(device)));
  return outs.map((buffer, i) => new ArrayImpl(outAvals[i]!, buffer));
}
