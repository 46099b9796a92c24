// The autodiff API, as jax.grad and its family: pytrees in and out, JAX's argument checks and
// errors, on top of the flat interpreters (ad.ts: jvp; partial_eval_ad.ts: linearize;
// transpose.ts: vjp). Tangents of integer and bool values (JAX's float0) are `null` here.
import { Array, type AsArrays } from '../core/array.js';
import { ArrayImpl } from '../core/array_impl.js';
import { ShapedArray, sameShape, shapeStr } from '../core/aval.js';
import { isFloating, isInexact, type DType } from '../core/dtypes.js';
import { toRawHost } from '../core/host.js';
import { Primitive, UndefinedPrimal } from '../core/primitive.js';
import { flatten, map as treeMap, unflatten, type TreeDef } from '../core/pytree.js';
import { evalJaxpr, fullOf, hasTangent, jvpFlatAux, zerosLike, type Tangent } from '../interpreters/ad.js';
import { traceToJaxpr } from '../interpreters/partial_eval.js';
import { linearizeFlat } from '../interpreters/partial_eval_ad.js';
import { backwardPass, vjpFlat } from '../interpreters/transpose.js';
import { reshape, slice } from '../lax/index.js';
import { batchFlat, matchAxis, type BatchDim } from '../interpreters/batching.js';
import { asarray, convertTo } from '../numpy/convert.js';

type Fn = (...args: never[]) => unknown;

/** `T` with its leaves as Arrays (JS numbers become arrays; null stays null, as float0 tangents). */
export type Arrays<T> = AsArrays<T>;

/** Arguments as transformed functions accept them: an Array may be given as a JS number. */
export type Args<T extends readonly unknown[]> = { [K in keyof T]: T[K] extends Array ? Array | number : T[K] };

type Arg<F extends Fn, N> = N extends number ? Parameters<F>[N] : never;
type ArgsAt<F extends Fn, N extends readonly number[]> = { -readonly [K in keyof N]: Arrays<Arg<F, N[K]>> };
type Output<F extends Fn> = ReturnType<F>;
type MainOutput<F extends Fn> = ReturnType<F> extends readonly [infer O, unknown] ? O : never;
type AuxOutput<F extends Fn> = ReturnType<F> extends readonly [unknown, infer A] ? A : never;

export interface GradOptions {
  /** Which positional argument(s) to differentiate (default 0); an array gives an array of gradients. */
  argnums?: number | readonly number[];
  /** `fn` returns `[output, aux]`; aux is returned alongside, not differentiated. */
  hasAux?: boolean;
  /** Allow integer and bool inputs; their gradients are null (JAX's float0). */
  allowInt?: boolean;
}

export interface AuxOption {
  hasAux?: boolean;
}

// ---- flattening user functions ----

function toArray(x: unknown, what: string): Array {
  if (x instanceof Array) return x;
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return asarray(x);
  throw new TypeError(`${what}: argument leaf of type ${x === null ? 'null' : typeof x} is not an array or a JS number`);
}

const leavesAsArrays = (tree: unknown, what: string): [Array[], TreeDef] => {
  const [leaves, def] = flatten(tree);
  return [leaves.map((l) => toArray(l, what)), def];
};

/** `fn` on flat array leaves; records its output structure. With `hasAux`, fn returns `[output, aux]`. */
function flatFn(fn: Fn, inTree: TreeDef, hasAux: boolean, what: string) {
  const store: { outTree?: TreeDef } = {};
  const flat = (...leaves: Array[]): [Array[], unknown] => {
    let out = (fn as (...a: unknown[]) => unknown)(...unflatten<unknown[]>(inTree, leaves));
    let aux: unknown = null;
    if (hasAux) {
      if (!globalThis.Array.isArray(out) || out.length !== 2) {
        throw new TypeError(`${what} with hasAux: true requires the function to return a pair [output, aux], got ${typeof out}`);
      }
      [out, aux] = out as [unknown, unknown];
    }
    const [outLeaves, outTree] = leavesAsArrays(out, `${what} output`);
    store.outTree = outTree;
    return [outLeaves, aux];
  };
  return { flat, store };
}

/** Splits a trailing `{ hasAux }` off variadic primals (an options object has no other keys). */
function splitOptions(args: unknown[]): [unknown[], AuxOption] {
  const last = args[args.length - 1];
  const isOptions =
    last !== null && typeof last === 'object' && Object.getPrototypeOf(last) === Object.prototype &&
    Object.keys(last).length > 0 && Object.keys(last).every((k) => k === 'hasAux') && typeof (last as AuxOption).hasAux === 'boolean';
  return isOptions ? [args.slice(0, -1), last as AuxOption] : [args, {}];
}

const instantiateOut = (t: Tangent, aval: ShapedArray): Tangent => (t === null && hasTangent(aval.dtype) ? zerosLike(aval) : t);

// ---- jvp ----

const typeName = (x: unknown) => (x === null ? 'null' : globalThis.Array.isArray(x) ? 'list' : typeof x === 'object' ? (x as object).constructor?.name ?? 'object' : typeof x);

/** A tangent leaf as an array; a JS number takes the primal's dtype (JS cannot write `1.0` as a float). */
function tangentArray(t: unknown, like: Array, what: string): Array | null {
  if (t === null) return null;
  if (typeof t === 'number' && hasTangent(like.dtype)) return convertTo(asarray(t), like.dtype, true);
  return toArray(t, what);
}

function checkTangent(p: Array, t: Array | null): void {
  const expected = hasTangent(p.dtype) ? p.dtype : 'float0';
  const got = t === null ? 'float0' : t.dtype;
  if (expected !== got) {
    throw new TypeError(
      'primal and tangent arguments to jax.jvp do not match; dtypes must be equal, or in case of int/bool primal dtype ' +
        `the tangent dtype must be float0.Got primal dtype ${p.dtype} and so expected tangent dtype ${expected}, but got tangent dtype ${got} instead.`,
    );
  }
  if (t && !sameShape(p.shape, t.shape)) {
    throw new Error(`jvp called with different primal and tangent shapes;Got primal shape ${shapeStr(p.shape)} and tangent shape as ${shapeStr(t.shape)}`);
  }
}

/**
 * `jvp(fn, primals, tangents, { hasAux })` → `[out, tangentOut]` (and `aux`): forward mode.
 * Tangents of integer/bool primals are null (JAX's float0).
 */
export function jvp<F extends Fn>(fn: F, primals: Args<Parameters<F>>, tangents: unknown[], options?: AuxOption & { hasAux?: false }): [Arrays<Output<F>>, Arrays<Output<F>>];
export function jvp<F extends Fn>(fn: F, primals: Args<Parameters<F>>, tangents: unknown[], options: { hasAux: true }): [Arrays<MainOutput<F>>, Arrays<MainOutput<F>>, AuxOutput<F>];
export function jvp(fn: Fn, primals: unknown[], tangents: unknown[], options: AuxOption = {}): unknown[] {
  if (!globalThis.Array.isArray(primals) || !globalThis.Array.isArray(tangents)) {
    throw new TypeError(`primal and tangent arguments to jax.jvp must be tuples or lists; found ${typeName(primals)} and ${typeName(tangents)}.`);
  }
  const [ps, inTree] = leavesAsArrays(primals, 'jvp');
  const [tLeaves, tTree] = flatten(tangents, (x) => x === null);
  if (!inTree.equals(tTree)) {
    throw new TypeError(
      `primal and tangent arguments to jax.jvp must have the same tree structure; primals have tree structure ${inTree} whereas tangents have tree structure ${tTree}.`,
    );
  }
  const ts = tLeaves.map((t, i) => {
    const tangent = tangentArray(t, ps[i]!, 'jvp');
    checkTangent(ps[i]!, tangent);
    return tangent;
  });
  const hasAux = options.hasAux ?? false;
  const { flat, store } = flatFn(fn, inTree, hasAux, 'jvp');
  const [outs, outTangents, aux] = jvpFlatAux(flat, ps, ts);
  const result = [unflatten(store.outTree!, outs), unflatten(store.outTree!, outTangents.map((t, i) => instantiateOut(t, outs[i]!.aval)))];
  return hasAux ? [...result, aux] : result;
}

// ---- linearize ----

/** `linearize(fn, ...primals)` → `[out, fJvp]` (and `aux` with a trailing `{ hasAux: true }`). */
export function linearize<F extends Fn>(fn: F, ...primals: Args<Parameters<F>>): [Arrays<Output<F>>, (...tangents: unknown[]) => Arrays<Output<F>>];
export function linearize<F extends Fn>(fn: F, ...args: [...Args<Parameters<F>>, { hasAux: true }]): [Arrays<MainOutput<F>>, (...tangents: unknown[]) => Arrays<MainOutput<F>>, AuxOutput<F>];
export function linearize(fn: Fn, ...args: unknown[]): unknown[] {
  const [primals, options] = splitOptions(args);
  const [ps, inTree] = leavesAsArrays(primals, 'linearize');
  const { flat, store } = flatFn(fn, inTree, options.hasAux ?? false, 'linearize');
  const lin = linearizeFlat(flat, ps);
  const outTree = store.outTree!;
  const fJvp = (...tangents: unknown[]) => {
    const [tLeaves, tTree] = flatten(tangents, (x) => x === null);
    if (!inTree.equals(tTree)) throw new TypeError(`linearized function called with tangents of structure ${tTree}; expected ${inTree}`);
    const ts = tLeaves.map((t, i) => {
      const tangent = tangentArray(t, ps[i]!, 'linearize');
      checkTangent(ps[i]!, tangent);
      return tangent;
    });
    const inputs = ts.filter((_, i) => lin.inTangent[i]).map((t, i) => t ?? zerosLike(lin.jaxpr.jaxpr.inVars[i]!.aval));
    const linearOuts = evalJaxpr(lin.jaxpr.jaxpr, [...lin.jaxpr.consts, ...inputs]);
    const outs = lin.outs.map((o, i) => (o.kind === 'linear' ? linearOuts[o.index]! : o.kind === 'const' ? o.value : instantiateOut(null, lin.primalsOut[i]!.aval)));
    return unflatten(outTree, outs);
  };
  const result = [unflatten(outTree, lin.primalsOut), fJvp];
  return options.hasAux ? [...result, lin.aux] : result;
}

// ---- vjp ----

function checkCotangents(cts: (Array | null)[], outs: ShapedArray[]): void {
  cts.forEach((ct, i) => {
    const out = outs[i]!;
    if (ct === null || !hasTangent(out.dtype)) return;
    if (ct.dtype !== out.dtype || !sameShape(ct.shape, out.shape)) {
      throw new TypeError(
        `unexpected JAX type (e.g. shape/dtype) for argument to VJP function: got ${ct.aval.str()}, but expected ${out.str()} ` +
          `because the corresponding output of the differentiated function had JAX type ${out.str()}`,
      );
    }
  });
}

/**
 * `vjp(fn, ...primals)` → `[out, vjpFn]` where `vjpFn(ct)` returns one cotangent per primal
 * (pytrees like the primals; null for integer/bool ones). With a trailing `{ hasAux: true }`:
 * `[out, vjpFn, aux]`.
 */
export function vjp<F extends Fn>(fn: F, ...primals: Args<Parameters<F>>): [Arrays<Output<F>>, (ct: unknown) => Arrays<Parameters<F>>];
export function vjp<F extends Fn>(fn: F, ...args: [...Args<Parameters<F>>, { hasAux: true }]): [Arrays<MainOutput<F>>, (ct: unknown) => Arrays<Parameters<F>>, AuxOutput<F>];
export function vjp(fn: Fn, ...args: unknown[]): unknown[] {
  const [primals, options] = splitOptions(args);
  const hasAux = options.hasAux ?? false;
  const [out, vjpFn, aux] = vjpImpl(fn, primals, hasAux, 'vjp');
  return hasAux ? [out, vjpFn, aux] : [out, vjpFn];
}

function vjpImpl(fn: Fn, primals: unknown[], hasAux: boolean, what: string): [unknown, (ct: unknown) => unknown[], unknown, Array[], (cts: Tangent[]) => Tangent[]] {
  const [ps, inTree] = leavesAsArrays(primals, what);
  const { flat, store } = flatFn(fn, inTree, hasAux, what);
  const result = vjpFlat(flat, ps);
  const outTree = store.outTree!;
  const flatVjp = (cts: Tangent[]) => result.vjp(cts).map((c, i) => instantiateOut(c, ps[i]!.aval));
  const vjpFn = (ct: unknown): unknown[] => {
    const [ctLeaves, ctTree] = flatten(ct, (x) => x === null);
    if (!outTree.equals(ctTree)) {
      throw new Error(`unexpected tree structure of the cotangent: the argument to a VJP function must match the structure of the differentiated function's output ${outTree}, got ${ctTree}`);
    }
    const cts = ctLeaves.map((c, i) => tangentArray(c, result.primalsOut[i]!, 'vjp cotangent'));
    checkCotangents(cts, result.primalsOut.map((o) => o.aval));
    return unflatten<unknown[]>(inTree, flatVjp(cts));
  };
  return [unflatten(outTree, result.primalsOut), vjpFn, result.aux, result.primalsOut, flatVjp];
}

// ---- grad ----

const argnumsList = (argnums: number | readonly number[]): number[] => (typeof argnums === 'number' ? [argnums] : [...argnums]);
const argnumsStr = (argnums: number | readonly number[]) => (typeof argnums === 'number' ? String(argnums) : shapeStr(argnums));

/** The arguments at `argnums`, and `fn` as a function of just those. */
function partialArgs(fn: Fn, args: unknown[], argnums: number | readonly number[]): [Fn, unknown[]] {
  const nums = argnumsList(argnums);
  const max = Math.max(...nums);
  if (max >= args.length) {
    throw new TypeError(
      `differentiating with respect to argnums=${argnumsStr(argnums)} requires at least ${max + 1} positional arguments to be passed by the caller, but got only ${args.length} positional arguments.`,
    );
  }
  const partial = (...dyn: unknown[]) => {
    const full = [...args];
    nums.forEach((n, i) => (full[n] = dyn[i]));
    return (fn as (...a: unknown[]) => unknown)(...full);
  };
  return [partial as Fn, nums.map((n) => args[n])];
}

function checkInputRev(name: string, allowInt: boolean, leaf: unknown): void {
  const dtype = toArray(leaf, name).dtype;
  if (!isInexact(dtype) && !allowInt) {
    throw new TypeError(
      `${name} requires real- or complex-valued inputs (input dtype that is a sub-dtype of np.inexact), but got ${dtype}. ` +
        'If you want to use Boolean- or integer-valued inputs, use vjp or set allow_int to True.',
    );
  }
}

function checkOutputRev(name: string, dtype: DType): void {
  if (isFloating(dtype)) return;
  const hint = isInexact(dtype)
    ? 'For holomorphic differentiation, pass holomorphic=True. For differentiation of non-holomorphic functions involving complex outputs, use jax.vjp directly.'
    : 'For differentiation of functions with integer outputs, use jax.vjp directly.';
  throw new TypeError(`${name} requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but got ${dtype}. ${hint}`);
}

function checkScalar(out: Array): void {
  if (out.ndim === 0) return;
  const extract = out.size === 1 ? `extract the scalar with output.reshape([])${out.ndim === 1 ? ' or output.slice(0)' : ''}, ` : '';
  throw new TypeError(
    `Gradient only defined for scalar-output functions. Output had shape: ${JSON.stringify(out.shape)}. ` +
      `To get the gradient, ${extract}reduce the output to a scalar with output.sum(), or use jacobian to differentiate a function with a non-scalar output.`,
  );
}

/**
 * `valueAndGrad(fn, { argnums, hasAux, allowInt })` → `[value, grad]`, with hasAux `[[value, aux], grad]`.
 * `grad` has the structure of the argument at `argnums`, or is an array of them for an array of argnums.
 */
export function valueAndGrad<F extends Fn, const N extends number = 0>(fn: F, options?: GradOptions & { argnums?: N; hasAux?: false }): (...args: Args<Parameters<F>>) => [Array, Arrays<Arg<F, N>>];
export function valueAndGrad<F extends Fn, const N extends readonly number[]>(fn: F, options: GradOptions & { argnums: N; hasAux?: false }): (...args: Args<Parameters<F>>) => [Array, ArgsAt<F, N>];
export function valueAndGrad<F extends Fn, const N extends number = 0>(fn: F, options: GradOptions & { argnums?: N; hasAux: true }): (...args: Args<Parameters<F>>) => [[Array, AuxOutput<F>], Arrays<Arg<F, N>>];
export function valueAndGrad<F extends Fn, const N extends readonly number[]>(fn: F, options: GradOptions & { argnums: N; hasAux: true }): (...args: Args<Parameters<F>>) => [[Array, AuxOutput<F>], ArgsAt<F, N>];
export function valueAndGrad(fn: Fn, options: GradOptions = {}): (...args: unknown[]) => unknown {
  return valueAndGradImpl(fn, options);
}

function valueAndGradImpl(fn: Fn, options: GradOptions): (...args: unknown[]) => [unknown, unknown] {
  const { argnums = 0, hasAux = false, allowInt = false } = options;
  return (...args: unknown[]) => {
    const [partial, dyn] = partialArgs(fn, args, argnums);
    for (const leaf of flatten(dyn)[0]) checkInputRev('grad', allowInt, leaf);
    const [ans, vjpFn, aux] = vjpImpl(partial, dyn, hasAux, 'grad');
    const out = toArray(ans, 'grad output');
    checkScalar(out);
    checkOutputRev('grad', out.dtype);
    const g = vjpFn(fullOf(out.aval, 1));
    const gs = typeof argnums === 'number' ? g[0] : g;
    return [hasAux ? [out, aux] : out, gs];
  };
}

/** `grad(fn, { argnums, hasAux, allowInt })`: the gradient of a scalar function (with hasAux: `[grad, aux]`). */
export function grad<F extends Fn, const N extends number = 0>(fn: F, options?: GradOptions & { argnums?: N; hasAux?: false }): (...args: Args<Parameters<F>>) => Arrays<Arg<F, N>>;
export function grad<F extends Fn, const N extends readonly number[]>(fn: F, options: GradOptions & { argnums: N; hasAux?: false }): (...args: Args<Parameters<F>>) => ArgsAt<F, N>;
export function grad<F extends Fn, const N extends number = 0>(fn: F, options: GradOptions & { argnums?: N; hasAux: true }): (...args: Args<Parameters<F>>) => [Arrays<Arg<F, N>>, AuxOutput<F>];
export function grad<F extends Fn, const N extends readonly number[]>(fn: F, options: GradOptions & { argnums: N; hasAux: true }): (...args: Args<Parameters<F>>) => [ArgsAt<F, N>, AuxOutput<F>];
export function grad(fn: Fn, options: GradOptions = {}): (...args: unknown[]) => unknown {
  const vg = valueAndGradImpl(fn, options);
  return (...args: unknown[]) => {
    const [value, g] = vg(...args);
    return options.hasAux ? [g, (value as unknown[])[1]] : g;
  };
}

// ---- Jacobians: vmap of the pushforward / pullback over a standard basis, as JAX ----

/**
 * JAX's _std_basis: the rows of eye(N) (N = total size of `avals`) split into one block per leaf,
 * block j of shape [N, ...avals[j].shape] in leaf j's dtype. Host constants (JAX builds eye with
 * iotas): eagerly nothing compiles, and under jit they are arguments like any captured constant.
 */
function stdBasis(avals: ShapedArray[]): [Array[], number] {
  const total = avals.reduce((n, a) => n + a.size, 0);
  let offset = 0;
  const basis = avals.map((a) => {
    const values = new globalThis.Array<number>(total * a.size).fill(0);
    for (let k = 0; k < a.size; k++) values[(offset + k) * a.size + k] = 1;
    offset += a.size;
    return new ArrayImpl(new ShapedArray([total, ...a.shape], a.dtype, false), toRawHost(a.dtype, values));
  });
  return [basis, total];
}

/**
 * JAX's _unravel_array_into_pytree: `arr` split along `axis` (of size Σ leaf sizes) into one piece
 * per leaf, each reshaped with the leaf's shape in place of that axis and cast like `example`
 * (JAX's _possible_downcast: dtype and weak type).
 */
function unravel(arr: Array, axis: number, leaves: ShapedArray[], example: ShapedArray): Array[] {
  let offset = 0;
  return leaves.map((leaf) => {
    let part = arr;
    if (leaves.length > 1) {
      const start = arr.shape.map((_, d) => (d === axis ? offset : 0));
      const limit = arr.shape.map((n, d) => (d === axis ? offset + leaf.size : n));
      part = slice.bind1([arr], { start_indices: start, limit_indices: limit, strides: null });
    }
    offset += leaf.size;
    const shape = [...arr.shape.slice(0, axis), ...leaf.shape, ...arr.shape.slice(axis + 1)];
    if (!sameShape(shape, part.shape)) part = reshape.bind1([part], { new_sizes: shape });
    return convertTo(part, example.dtype, example.weakType);
  });
}

/** `v` (batch axis `dim`; null: unbatched, then broadcast) with its batch axis at `dst` ('last': at the end). */
const placeBatch = (v: Array, dim: BatchDim, dst: number | 'last', size: number): Array =>
  matchAxis(v, dim, dst === 'last' ? (dim === null ? v.ndim : v.ndim - 1) : dst, size);

/** Example 0 of `v` batched along `dim` (null: unbatched, `v` itself). */
function firstExample(v: Array, dim: BatchDim): Array {
  if (dim === null) return v;
  const one = slice.bind1([v], { start_indices: v.shape.map(() => 0), limit_indices: v.shape.map((n, d) => (d === dim ? 1 : n)), strides: null });
  return reshape.bind1([one], { new_sizes: v.shape.filter((_, d) => d !== dim) });
}

const checkInputFwd = (p: Array): void => {
  if (!isFloating(p.dtype)) {
    throw new TypeError(
      `jacfwd requires real-valued inputs (input dtype that is a sub-dtype of np.floating), but got ${p.dtype}. For holomorphic differentiation, pass holomorphic=True. ` +
        'For differentiation of non-holomorphic functions involving complex inputs or integer inputs, use jax.jvp directly.',
    );
  }
};

/**
 * `jacfwd(fn, { argnums, hasAux })`: the Jacobian by forward mode, as JAX: one jvp vmapped over the
 * standard basis of the inputs. Each output leaf's block is an input-shaped tree of arrays of shape
 * [...outShape, ...inShape] (output tree of input tree).
 */
export function jacfwd<F extends Fn>(fn: F, options: Omit<GradOptions, 'allowInt'> = {}): (...args: Args<Parameters<F>>) => unknown {
  const { argnums = 0, hasAux = false } = options;
  return (...args: unknown[]) => {
    const [partial, dyn] = partialArgs(fn, args, argnums);
    const [ps, inTree] = leavesAsArrays(dyn, 'jacfwd');
    ps.forEach(checkInputFwd);
    const { flat, store } = flatFn(partial, inTree, hasAux, 'jacfwd');
    const inAvals = ps.map((p) => p.aval);
    const [basis, size] = stdBasis(inAvals);
    // The pushforward under vmap. Primal outputs do not depend on the tangents, but a rule that
    // computes them with the tangents (reduce_window's jvp) batches them: then any example is it.
    let aux: unknown = null;
    let numOuts = 0;
    const [results, resultDims] = batchFlat(
      (...ts) => {
        const [primalsOut, tangentsOut, a] = jvpFlatAux(flat, ps, ts);
        [aux, numOuts] = [a, primalsOut.length];
        return [...tangentsOut.map((t, i) => t ?? zerosLike(primalsOut[i]!.aval)), ...primalsOut];
      },
      basis,
      basis.map(() => 0),
      size,
    );
    const [tangents, dims] = [results.slice(0, numOuts), resultDims.slice(0, numOuts)];
    const outs = results.slice(numOuts).map((o, i) => firstExample(o, resultDims[numOuts + i] ?? null));
    const blocks = outs.map((out, oi) => {
      const jac = placeBatch(tangents[oi]!, dims[oi] ?? null, 'last', size);
      const tree = unflatten<unknown[]>(inTree, unravel(jac, out.ndim, inAvals, out.aval));
      return typeof argnums === 'number' ? tree[0] : tree;
    });
    const jac = unflatten(store.outTree!, blocks);
    return hasAux ? [jac, aux] : jac;
  };
}

/**
 * `jacrev(fn, { argnums, hasAux, allowInt })` (alias `jacobian`): the Jacobian by reverse mode, as
 * JAX: the pullback vmapped over the standard basis of the outputs. Same structure as jacfwd; integer
 * inputs (allowInt) get zero blocks of their dtype, as JAX's float0 cast back.
 */
export function jacrev<F extends Fn>(fn: F, options: GradOptions = {}): (...args: Args<Parameters<F>>) => unknown {
  const { argnums = 0, hasAux = false, allowInt = false } = options;
  return (...args: unknown[]) => {
    const [partial, dyn] = partialArgs(fn, args, argnums);
    for (const leaf of flatten(dyn)[0]) checkInputRev('jacrev', allowInt, leaf);
    const [ps, inTree] = leavesAsArrays(dyn, 'jacrev');
    const [ans, , aux, outs, flatVjp] = vjpImpl(partial, dyn, hasAux, 'jacrev');
    for (const o of outs) checkOutputRev('jacrev', o.dtype);
    const outAvals = outs.map((o) => o.aval);
    const [basis, size] = stdBasis(outAvals);
    const differentiable = ps.map((p) => hasTangent(p.dtype));
    const [cts, dims] = batchFlat((...b) => flatVjp(b).filter((_, j) => differentiable[j]) as Array[], basis, basis.map(() => 0), size);
    let k = 0;
    const perInput = ps.map((p, j) => {
      const rows = differentiable[j] ? placeBatch(cts[k]!, dims[k++] ?? null, 0, size) : null;
      return rows ? unravel(rows, 0, outAvals, p.aval) : outAvals.map((o) => zerosLike(new ShapedArray([...o.shape, ...p.shape], p.dtype, p.weakType)));
    });
    // Transpose input-major pieces into output tree of input tree.
    const blocks = outs.map((_, oi) => {
      const tree = unflatten<unknown[]>(inTree, perInput.map((pieces) => pieces[oi]!));
      return typeof argnums === 'number' ? tree[0] : tree;
    });
    const jac = unflatten(flatten(ans)[1], blocks);
    return hasAux ? [jac, aux] : jac;
  };
}

export const jacobian = jacrev;

/** `hessian(fn, { argnums, hasAux })` = jacfwd(jacrev(fn)): forward over reverse. */
export function hessian<F extends Fn>(fn: F, options: Omit<GradOptions, 'allowInt'> = {}): (...args: Args<Parameters<F>>) => unknown {
  return jacfwd(jacrev(fn, options), options);
}

// ---- linear transpose ----

/** `linearTranspose(fn, ...primals)`: the transpose of a linear `fn`, as a function of output cotangents. */
export function linearTranspose<F extends Fn>(fn: F, ...primals: Args<Parameters<F>>): (ct: unknown) => Arrays<Parameters<F>> {
  const [ps, inTree] = leavesAsArrays(primals, 'linearTranspose');
  const { flat } = flatFn(fn, inTree, false, 'linearTranspose');
  const closed = traceToJaxpr((...xs) => flat(...xs)[0], ps.map((p) => p.aval));
  return ((ct: unknown) => {
    const [ctLeaves] = flatten(ct, (x) => x === null);
    const cts = ctLeaves.map((c, i) => (c === null ? null : typeof c === 'number' ? convertTo(asarray(c), closed.outAvals[i]!.dtype, true) : toArray(c, 'linearTranspose cotangent')));
    checkCotangents(cts, closed.outAvals);
    const args = [...closed.consts, ...ps.map((p) => new UndefinedPrimal(p.aval))];
    const out = backwardPass(closed.jaxpr, args, cts).map((c, i) => instantiateOut(c, ps[i]!.aval));
    return unflatten(inTree, out);
  }) as (ct: unknown) => Arrays<Parameters<F>>;
}

export { stopGradient, stopGradientP } from '../lax/stop_gradient.js';
