// vmap, as jax.vmap: pytrees in and out, axis specs as pytree prefixes of the arguments and
// outputs, JAX's checks and errors, on top of the flat batching interpreter (interpreters/batching.ts).
import { Array } from '../core/array.js';
import { shapeStr } from '../core/aval.js';
import { broadcastPrefix, flatten, flattenWithPath, keystr, unflatten, type KeyPath } from '../core/pytree.js';
import { batchFlat, matchAxis, type BatchDim } from '../interpreters/batching.js';
import { batchFlatNamed } from '../lax/parallel.js';
import { asarray } from '../numpy/convert.js';
import type { Args, Arrays } from './grad.js';

type Fn = (...args: never[]) => unknown;

/** An axis (negative counts from the end), null for "not mapped", or a pytree prefix of them. */
export type AxisSpec = number | null | readonly AxisSpec[] | { readonly [key: string]: AxisSpec };

export interface VmapOptions {
  /**
   * Which axis of each argument is mapped: an int or null for all of them, or an array with one
   * entry per positional argument, each an int, null, or a pytree prefix of that argument. Default 0.
   */
  inAxes?: AxisSpec;
  /** Where the mapped axis goes in each output: an int, null (the output must not be mapped), or a pytree prefix of the output. Default 0. */
  outAxes?: AxisSpec;
  /** The mapped size; needed when no argument is mapped, checked against the mapped axes otherwise. */
  axisSize?: number;
  /** A name for the mapped axis, for collectives (`lax.psum(x, axisName)`) inside `fn`. */
  axisName?: string;
}

const isAxisLeaf = (x: unknown): boolean => x === null || x === undefined;
const specStr = (spec: unknown): string => JSON.stringify(spec) ?? String(spec);

function checkSpecLeaves(name: string, spec: AxisSpec): void {
  if (!flatten(spec, isAxisLeaf)[0].every((l) => l === null || Number.isInteger(l))) {
    throw new TypeError(`vmap ${name} must be an int, null, or (nested) container with those types as leaves, but got ${specStr(spec)}.`);
  }
}

/** `spec` (a prefix of `tree`) as one axis per leaf of `tree`; a mismatch is JAX's prefix error. */
function flattenAxes(name: string, spec: AxisSpec, tree: unknown): BatchDim[] {
  try {
    return broadcastPrefix(spec, tree, { name: `vmap ${name}` }) as BatchDim[];
  } catch (error) {
    throw new Error(`vmap ${name} specification must be a tree prefix of the corresponding value;\n  ${(error as Error).message}`);
  }
}

/** `axis` in [0, ndim), or the error of JAX's canonicalize_axis. */
function canonicalAxis(axis: number, ndim: number): number {
  if (axis < -ndim || axis >= ndim) throw new RangeError(`axis ${axis} is out of bounds for array of dimension ${ndim}`);
  return axis < 0 ? axis + ndim : axis;
}

const typeStr = (x: Array): string => `${x.dtype}[${x.shape.join(',')}]`;

/** The mapped size, with JAX's errors (an axis out of range; inconsistent sizes, naming arguments as args[i]). */
function mappedAxisSize(xs: Array[], axes: BatchDim[], paths: KeyPath[], axisSize: number | undefined): number {
  if (xs.length === 0) {
    if (axisSize !== undefined) return axisSize;
    throw new Error('vmap wrapped function must be passed at least one argument containing an array or axisSize must be specified, got empty args=[]');
  }
  const sizes = xs.map((x, i) => {
    const axis = axes[i];
    if (axis === null || axis === undefined) return null;
    if (axis < -x.ndim || axis >= x.ndim) {
      const minRank = axis >= 0 ? axis + 1 : -axis;
      throw new Error(
        `vmap was requested to map its argument along axis ${axis}, which implies that its rank should be at least ${minRank}, ` +
          `but is only ${x.ndim} (its shape is ${shapeStr(x.shape)})`,
      );
    }
    return x.shape[axis < 0 ? axis + x.ndim : axis]!;
  });
  const distinct = new Set(sizes.filter((s): s is number => s !== null));
  if (axisSize !== undefined) distinct.add(axisSize);
  if (distinct.size === 1) return [...distinct][0]!;
  if (distinct.size === 0) throw new Error('vmap must have at least one non-null value in inAxes or axisSize must be specified');
  // As JAX: sizes by decreasing count (ties in order of appearance), each with its first example.
  const counts = new Map<number, number>();
  for (const s of sizes) if (s !== null) counts.set(s, (counts.get(s) ?? 0) + 1);
  const ordered = [...counts].sort((a, b) => b[1] - a[1]);
  const lines = ['vmap got inconsistent sizes for array axes to be mapped:'];
  if (axisSize !== undefined) lines.push(`  * the \`axisSize\` argument was ${axisSize};`);
  ordered.forEach(([size, count], k) => {
    const i = sizes.indexOf(size);
    const example = `axis ${axes[i]} of args${keystr(paths[i]!)} of type ${typeStr(xs[i]!)}`;
    if (count === 1) lines.push(`  * one axis had size ${size}: ${example};`);
    else lines.push(`  * ${k === 0 ? 'most' : 'some'} axes (${count} of them) had size ${size}, e.g. ${example};`);
  });
  throw new Error(lines.join('\n').slice(0, -1));
}

function leafArray(x: unknown, what: () => string): Array {
  if (x instanceof Array) return x;
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return asarray(x);
  throw new TypeError(`${what()} of type ${x === null ? 'null' : typeof x} is not a valid JAX type`);
}

/** An output batched at `src` (null: unbatched) with its batch axis at `dst`, as JAX's matchaxis. */
function placeOutput(v: Array, src: BatchDim, dst: BatchDim, size: number, path: KeyPath): Array {
  if (dst === null) {
    if (src === null) return v;
    throw new Error(`at vmap outAxes${keystr(path)}, got axis spec null but output was batched on axis ${src}`);
  }
  return matchAxis(v, src, canonicalAxis(dst, src === null ? v.ndim + 1 : v.ndim), size);
}

/**
 * `vmap(fn, { inAxes, outAxes, axisSize })`: `fn` mapped over an axis of its arguments, as one
 * vectorised computation. Outputs have the mapped axis at `outAxes`; outputs that do not depend
 * on a mapped argument are broadcast along it.
 */
export function vmap<F extends Fn>(fn: F, options: VmapOptions = {}): (...args: Args<Parameters<F>>) => Arrays<ReturnType<F>> {
  const { inAxes = 0, outAxes = 0, axisSize, axisName } = options;
  if (!(inAxes === null || typeof inAxes === 'number' || globalThis.Array.isArray(inAxes))) {
    throw new TypeError(`vmap inAxes must be an int, null, or an array of entries corresponding to the positional arguments passed to the function, but got ${specStr(inAxes)}.`);
  }
  checkSpecLeaves('inAxes', inAxes);
  checkSpecLeaves('outAxes', outAxes);
  if (axisSize !== undefined && !(Number.isInteger(axisSize) && axisSize >= 0)) throw new TypeError(`vmap axisSize must be a non-negative integer, got ${axisSize}`);

  const batched = (...args: unknown[]) => {
    if (globalThis.Array.isArray(inAxes) && inAxes.length !== args.length) {
      throw new Error(
        'vmap inAxes must be an int, null, or an array of entries corresponding to the positional arguments passed to the function, ' +
          `but got inAxes.length=${inAxes.length}, args.length=${args.length}.`,
      );
    }
    const [leafPaths, inTree] = flattenWithPath(args);
    const paths = leafPaths.map(([p]) => p);
    const xs = leafPaths.map(([p, x]) => leafArray(x, () => `Argument args${keystr(p)}`));
    const axes = flattenAxes('inAxes', inAxes, args);
    const size = mappedAxisSize(xs, axes, paths, axisSize);
    const dims = axes.map((a, i) => (a === null ? null : canonicalAxis(a, xs[i]!.ndim)));

    let outTree = flatten(null)[1];
    let outPaths: KeyPath[] = [];
    const flat = (...ts: Array[]) => {
      const [outs, tree] = flattenWithPath((fn as unknown as (...a: unknown[]) => unknown)(...unflatten<unknown[]>(inTree, ts)));
      outTree = tree;
      outPaths = outs.map(([p]) => p);
      return outs.map(([p, o]) => leafArray(o, () => `Output from batched function at output${keystr(p)}`));
    };
    const [vals, outDims] = axisName === undefined ? batchFlat(flat, xs, dims, size) : batchFlatNamed(axisName, flat, xs, dims, size);

    const outAxesFlat = flattenAxes('outAxes', outAxes, unflatten(outTree, vals));
    const outs = vals.map((v, i) => placeOutput(v, outDims[i] ?? null, outAxesFlat[i] ?? null, size, outPaths[i]!));
    return unflatten(outTree, outs);
  };
  // As functools.wraps in JAX: jit(vmap(f)) is named after f.
  Object.defineProperty(batched, 'name', { value: fn.name });
  return batched as (...args: Args<Parameters<F>>) => Arrays<ReturnType<F>>;
}
