// Custom derivative rules, as jax.custom_jvp and jax.custom_vjp: the public functions, which
// flatten pytree arguments, trace the function, wrap the user's rules with JAX's checks and bind
// the primitives of custom_primitives.ts.
import { Array } from '../core/array.js';
import { sameShape, type ShapedArray } from '../core/aval.js';
import { flatten, flattenWithPath, keystr, unflatten, type KeyPath, type TreeDef } from '../core/pytree.js';
import { Tracer } from '../core/trace.js';
import { addTangents, hasTangent, type Tangent } from '../interpreters/ad.js';
import { avalStr, flattenArrays, leafArray, traceFn, typematch } from '../lax/control/common.js';
import { convertElementType } from '../lax/convert.js';
import { stopGradient } from '../lax/stop_gradient.js';
import { customJvpCall, customVjpCall, Rule, type BwdFn, type FwdFn, type JvpFn } from './custom_primitives.js';
import type { Args, Arrays } from './grad.js';

type Fn = (...args: never[]) => unknown;

// ---- shared pieces ----

export interface CustomDerivativeOptions {
  /** Positions of arguments that are not differentiated (functions, static values); they are passed to the rules first. */
  nondiffArgnums?: number | readonly number[];
}

function argnumsOf(x: number | readonly number[] | undefined): number[] {
  return x === undefined ? [] : typeof x === 'number' ? [x] : [...x].sort((a, b) => a - b);
}

const nameOf = (f: Fn | undefined, fallback: string) => (f && f.name) || fallback;

/** `T`'s leaves written as JAX writes types (`float32[3]`), for error messages. */
function typeTree(tree: TreeDef, avals: ShapedArray[]): string {
  const text = JSON.stringify(unflatten(tree, avals.map(avalStr))) ?? 'None';
  return text.replace(/"/g, '');
}

/** A call split into its nondiff (static) and differentiated arguments, as flat arrays. */
interface SplitArgs {
  statics: unknown[];
  leaves: Array[];
  inTree: TreeDef;
  /** The full argument list from the differentiated ones. */
  full: (dyn: unknown[]) => unknown[];
}

function splitArgs(args: unknown[], nondiff: number[], what: string): SplitArgs {
  for (const i of nondiff) if (i >= args.length) throw new TypeError(`${what}: nondiffArgnums entry ${i} is out of range for ${args.length} arguments`);
  const statics = nondiff.map((i) => args[i]);
  const dyn = args.filter((_, i) => !nondiff.includes(i));
  const [leaves, inTree] = flattenArrays(dyn, what);
  const full = (d: unknown[]) => {
    const out: unknown[] = [];
    let s = 0;
    let k = 0;
    for (let i = 0; i < args.length; i++) out.push(nondiff.includes(i) ? statics[s++] : d[k++]);
    return out;
  };
  return { statics, leaves, inTree, full };
}

/** Flattens a rule's tangent or cotangent output (null is a symbolic zero; JS numbers take `like`'s dtype). */
function tangentLeaf(t: unknown, like: ShapedArray, what: string): Tangent {
  if (t === null || t === undefined) return null;
  const x = leafArray(t, what);
  return typeof t === 'number' ? convertElementType.bind1([x], { new_dtype: like.dtype, weak_type: like.weakType }) : x;
}

// ---- customJvp ----

export type CustomJvpRule<F extends Fn> = (primals: Arrays<Parameters<F>>, tangents: Arrays<Parameters<F>>) => readonly [unknown, unknown];
/** With nondiffArgnums the rule takes the nondiff arguments first: `(...nondiff, primals, tangents)`. */
export type CustomJvpRuleWithNondiff = (...args: never[]) => readonly [unknown, unknown];
/** One rule per argument for defjvps: `(tangent, primalOut, ...primals) => tangentOut`, or null (no dependence). */
export type CustomJvpArgRule = ((tangent: Array, primalOut: never, ...primals: never[]) => unknown) | null;

export type CustomJvp<F extends Fn> = ((...args: Args<Parameters<F>>) => Arrays<ReturnType<F>>) & {
  /** Defines the JVP rule `(primals, tangents) => [primalOut, tangentOut]`; returns it. Calling again replaces it. */
  defjvp<R extends CustomJvpRule<F>>(rule: R): R;
  defjvp<R extends CustomJvpRuleWithNondiff>(rule: R): R;
  /** One tangent rule per argument, summed (JAX's defjvps; not with nondiffArgnums). */
  defjvps(...rules: CustomJvpArgRule[]): void;
  readonly fun: F;
};

/**
 * `customJvp(f, { nondiffArgnums })`: `f` with a JVP rule set by `.defjvp(rule)`, as jax.custom_jvp.
 * The rule gets `(primals, tangents)` (arrays of the arguments; zero tangents instantiated) and
 * returns `[primalOut, tangentOut]`; its tangent computation must be linear in the tangents for
 * reverse mode. Nondiff arguments (stop-gradient'ed) come first: `(...nondiff, primals, tangents)`.
 */
export function customJvp<F extends Fn>(fun: F, options: CustomDerivativeOptions = {}): CustomJvp<F> {
  const nondiff = argnumsOf(options.nondiffArgnums);
  const name = nameOf(fun, 'fun');
  let rule: ((...args: unknown[]) => unknown) | undefined;
  let ruleName = '<lambda>';

  const wrapped = ((...args: unknown[]) => {
    if (!rule) throw new TypeError(`No JVP defined for custom_jvp function ${name} using defjvp.`);
    const [jvpRule, jvpName] = [rule, ruleName];
    const stopped = args.map((a, i) => (nondiff.includes(i) ? stopGradient(a) : a));
    const { statics, leaves, inTree, full } = splitArgs(stopped, nondiff, `custom_jvp ${name}`);
    const traced = traceFn((...d: unknown[]) => (fun as unknown as (...a: unknown[]) => unknown)(...full(d)), inTree, leaves.map((a) => a.aval), `custom_jvp ${name}`);
    const outAvals = traced.jaxpr.outAvals;
    const jvp = new Rule<JvpFn>(jvpName, (primals, tangents) => {
      const pair = jvpRule(...statics, unflatten(inTree, primals), unflatten(inTree, tangents));
      if (!globalThis.Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(`Custom JVP rule ${jvpName} for function ${name} must produce a pair (list or tuple of length two) representing primal and tangent outputs, but got ${String(pair)}.`);
      }
      const [outs, outTree] = flattenArrays(pair[0], `custom_jvp rule ${jvpName}`);
      const [tLeaves, tTree] = flatten(pair[1], (x) => x === null);
      if (!outTree.equals(tTree)) {
        throw new TypeError(`Custom JVP rule ${jvpName} for function ${name} must produce primal and tangent outputs with equal container (pytree) structures, but got ${outTree} and ${tTree} respectively.`);
      }
      const shown = (tree: TreeDef, avals: ShapedArray[]) => `    ${typeTree(tree, avals)}`;
      const prefix = `Custom JVP rule ${jvpName} for function ${name} must produce a pair (list or tuple of length two) where the first element represents the primal output (equal in value to the output of the custom_jvp-decorated function ${name}, `;
      if (!outTree.equals(traced.outTree)) {
        throw new TypeError(
          `${prefix}and in particular of the same container/pytree structure), but instead the JVP rule output's first element had container/pytree structure:\n` +
            `${shown(outTree, outs.map((o) => o.aval))}\nwhile the custom_jvp-decorated function ${name} had output container/pytree structure:\n${shown(traced.outTree, outAvals)}.`,
        );
      }
      if (!outs.every((o, i) => typematch(o.aval, outAvals[i]!))) {
        throw new TypeError(
          `${prefix}and in particular with leaves of the same shape/dtype), but instead the JVP rule output's first element had shapes/dtypes of:\n` +
            `${shown(outTree, outs.map((o) => o.aval))}\nwhile the custom_jvp-decorated function ${name} had output shapes/dtypes of:\n${shown(traced.outTree, outAvals)}`,
        );
      }
      const touts = tLeaves.map((t, i) => (hasTangent(outs[i]!.dtype) ? tangentLeaf(t, outs[i]!.aval, `custom_jvp rule ${jvpName}`) : null));
      const bad = touts.flatMap((t, i) => (t && !typematch(t.aval, outs[i]!.aval) ? [i] : []));
      if (bad.length === 1 && outs.length === 1) {
        const p = avalStr(outs[0]!.aval);
        throw new TypeError(`Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes. Expected ${p} (tangent type of ${p}) but got ${avalStr(touts[0]!.aval)}.`);
      }
      if (bad.length) {
        const lines = bad.map((i) => `  primal ${avalStr(outs[i]!.aval)} with tangent ${avalStr(touts[i]!.aval)}, expecting tangent ${avalStr(outs[i]!.aval)}`);
        throw new TypeError(`Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes, but got:\n${lines.join('\n')}`);
      }
      return [outs, touts];
    });
    const outs = customJvpCall.bind([...traced.consts, ...leaves], { name, call_jaxpr: traced.jaxpr, jvp, num_consts: traced.consts.length, symbolic_zeros: false });
    return unflatten(traced.outTree, outs);
  }) as unknown as CustomJvp<F>;

  const defjvp = (r: (...args: never[]) => unknown) => {
    rule = r as (...args: unknown[]) => unknown;
    ruleName = nameOf(r, '<lambda>');
    return r;
  };
  const defjvps = (...rules: CustomJvpArgRule[]) => {
    if (nondiff.length) throw new TypeError("Can't use defjvps with nondiffArgnums.");
    defjvp(function jvp(primals: unknown[], tangents: unknown[]) {
      const out = (wrapped as (...a: unknown[]) => unknown)(...primals);
      const [outLeaves, outTree] = flatten(out);
      let sum: Tangent[] = outLeaves.map(() => null);
      rules.forEach((r, i) => {
        const t = tangents[i];
        if (!r || t === null || t === undefined) return;
        const [ts] = flatten((r as (...a: unknown[]) => unknown)(t, out, ...primals), (x) => x === null);
        sum = sum.map((s, k) => addTangents(s, tangentLeaf(ts[k], (outLeaves[k] as Array).aval, 'defjvps rule')));
      });
      return [out, unflatten(outTree, sum)] as const;
    });
  };
  Object.defineProperties(wrapped, {
    defjvp: { value: defjvp },
    defjvps: { value: defjvps },
    fun: { value: fun },
    name: { value: name },
  });
  return wrapped;
}

// ---- customVjp ----

/** `fwd(...args) => [out, residuals]` (all arguments, nondiff ones included, in place). */
export type CustomVjpFwd<F extends Fn> = (...args: Parameters<F>) => readonly [unknown, unknown];
/** `bwd(...nondiff, residuals, ct)` → one cotangent per differentiated argument (null: zero). */
export type CustomVjpBwd = (...args: never[]) => readonly unknown[];

export type CustomVjp<F extends Fn> = ((...args: Args<Parameters<F>>) => Arrays<ReturnType<F>>) & {
  /** Sets the forward and backward rules. */
  defvjp(fwd: CustomVjpFwd<F> | ((...args: never[]) => readonly [unknown, unknown]), bwd: CustomVjpBwd): void;
  readonly fun: F;
};

function checkNoTracers(args: unknown[], nondiff: number[]): void {
  for (const i of nondiff) {
    if (flatten(args[i])[0].some((l) => l instanceof Tracer)) {
      throw new TypeError(
        'Found a JAX Tracer object passed as an argument to a custom_vjp function in a position indicated by nondiff_argnums as non-differentiable. ' +
          'Tracers cannot be passed as non-differentiable arguments to custom_vjp functions; instead, nondiff_argnums should only be used for arguments ' +
          "that can't be or contain JAX tracers, e.g. function-valued arguments. In particular, array-valued arguments should typically not be indicated as nondiff_argnums.",
      );
    }
  }
}

/** bwd's output checked against the differentiated arguments (JAX's _flatten_bwd): one cotangent per leaf, null for zero. */
function flattenCotangents(out: unknown, inTree: TreeDef, inAvals: ShapedArray[], paths: KeyPath[], what: string): Tangent[] {
  const structureError = () =>
    new TypeError(
      'Custom VJP bwd rule must produce an output with the same container (pytree) structure as the args tuple of the primal function, and in particular must produce a tuple of length equal to the number of arguments to the primal function, ' +
        `but got bwd output structure ${flatten(out, (x) => x === null)[1]} for primal input structure ${inTree}.`,
    );
  const argTrees = inTree.children();
  if (!globalThis.Array.isArray(out) || out.length !== argTrees.length) throw structureError();
  // null stands for a whole argument's zero cotangent, or for one leaf's.
  const cts = out.flatMap((ct: unknown, j) => {
    if (ct === null || ct === undefined) return globalThis.Array<null>(argTrees[j]!.numLeaves).fill(null);
    try {
      return argTrees[j]!.flattenUpTo(ct);
    } catch {
      throw structureError();
    }
  });
  return cts.map((leaf, k) => {
    const a = inAvals[k]!;
    if (leaf !== null && leaf !== undefined && !(leaf instanceof Array) && typeof leaf !== 'number') throw structureError();
    const c = hasTangent(a.dtype) ? tangentLeaf(leaf, a, what) : null;
    if (c && !sameShape(c.shape, a.shape)) {
      const mismatch = c.dtype !== a.dtype ? 'the dtypes do not match and the shapes do not match' : 'the shapes do not match';
      throw new RangeError(
        'Custom VJP bwd rule must produce an output with the same type as the args tuple of the primal function, but at ' +
          `output${keystr(paths[k]!)} the bwd rule produced an output of type ${avalStr(c.aval)} corresponding to an input of type ${avalStr(a)}, so ${mismatch}`,
      );
    }
    // A float cotangent of another float dtype is cast to the input's (JAX lets it through).
    return c && c.dtype !== a.dtype ? convertElementType.bind1([c], { new_dtype: a.dtype, weak_type: false }) : c;
  });
}

/**
 * `customVjp(f, { nondiffArgnums })`: `f` with reverse-mode rules set by `.defvjp(fwd, bwd)`, as
 * jax.custom_vjp. `fwd(...args)` returns `[out, residuals]`; `bwd(...nondiff, residuals, ct)`
 * returns an array with one cotangent (pytree, or null for zero) per differentiated argument.
 */
export function customVjp<F extends Fn>(fun: F, options: CustomDerivativeOptions = {}): CustomVjp<F> {
  const nondiff = argnumsOf(options.nondiffArgnums);
  const name = nameOf(fun, 'fun');
  let fwdFn: ((...args: unknown[]) => unknown) | undefined;
  let bwdFn: ((...args: unknown[]) => unknown) | undefined;

  const wrapped = ((...args: unknown[]) => {
    if (!fwdFn || !bwdFn) throw new TypeError(`No VJP defined for custom_vjp function ${name} using defvjp.`);
    const [fwdUser, bwdUser] = [fwdFn, bwdFn];
    const [fwdName, bwdName] = [nameOf(fwdUser, '<lambda>'), nameOf(bwdUser, '<lambda>')];
    checkNoTracers(args, nondiff);
    const { statics, leaves, inTree, full } = splitArgs(args, nondiff, `custom_vjp ${name}`);
    const traced = traceFn((...d: unknown[]) => (fun as unknown as (...a: unknown[]) => unknown)(...full(d)), inTree, leaves.map((a) => a.aval), `custom_vjp ${name}`);
    const outAvals = traced.jaxpr.outAvals;
    const inAvals = leaves.map((a) => a.aval);
    let resTree: TreeDef | undefined;

    const fwd = new Rule<FwdFn>(fwdName, (primals) => {
      const pair = fwdUser(...full(unflatten<unknown[]>(inTree, primals)));
      const prefix = `Custom VJP fwd rule ${fwdName} for function ${name} must produce a pair (list or tuple of length two) where the first element represents the primal output (equal to `;
      const rest = `the custom_vjp-decorated function ${name}) and the second element represents residuals (i.e. values stored from the forward pass for use on the backward pass), but `;
      if (!globalThis.Array.isArray(pair) || pair.length !== 2) throw new TypeError(`${prefix}those of ${rest}instead of a pair the fwd rule ${fwdName} produced ${String(pair)}.`);
      const [outs, outTree] = flattenArrays(pair[0], `custom_vjp fwd ${fwdName}`);
      const shown = (tree: TreeDef, avals: ShapedArray[]) => `    ${typeTree(tree, avals)}`;
      if (!outTree.equals(traced.outTree)) {
        throw new TypeError(
          `${prefix}the output of ${rest}instead the fwd rule output's first element had container/pytree structure:\n${shown(outTree, outs.map((o) => o.aval))}\n` +
            `while the custom_vjp-decorated function ${name} had output container/pytree structure:\n${shown(traced.outTree, outAvals)}.`,
        );
      }
      if (!outs.every((o, i) => typematch(o.aval, outAvals[i]!))) {
        throw new TypeError(
          `${prefix}the output of ${rest}instead the fwd rule output's first element had shapes/dtypes of:\n${shown(outTree, outs.map((o) => o.aval))}\n` +
            `while the custom_vjp-decorated function ${name} had output shapes/dtypes of:\n${shown(traced.outTree, outAvals)}`,
        );
      }
      const [res, tree] = flattenArrays(pair[1], `custom_vjp fwd ${fwdName} residuals`);
      resTree = tree;
      return [outs, res];
    });

    const paths = flattenWithPath(unflatten(inTree, leaves))[0].map(([path]) => path);
    const bwd = new Rule<BwdFn>(bwdName, (res, cts) => {
      const out = bwdUser(...statics, unflatten(resTree!, res), unflatten(traced.outTree, cts));
      return flattenCotangents(out, inTree, inAvals, paths, `custom_vjp bwd ${bwdName}`);
    });

    const outs = customVjpCall.bind([...traced.consts, ...leaves], {
      name,
      call_jaxpr: traced.jaxpr,
      fwd,
      bwd,
      num_consts: traced.consts.length,
      symbolic_zeros: false,
    });
    return unflatten(traced.outTree, outs);
  }) as unknown as CustomVjp<F>;

  Object.defineProperties(wrapped, {
    defvjp: {
      value: (fwd: (...args: never[]) => unknown, bwd: (...args: never[]) => unknown) => {
        fwdFn = fwd as (...args: unknown[]) => unknown;
        bwdFn = bwd as (...args: unknown[]) => unknown;
      },
    },
    fun: { value: fun },
    name: { value: name },
  });
  return wrapped;
}
