// Shared by the vmap tests: deterministic inputs, host-side slicing and stacking along an axis,
// and the check that vmap(fn) equals fn applied to each example with the results stacked.
import { jit, numpy as jnp, tree, vmap, type Array } from '../../lib/index.js';
import type { DType } from '../../lib/core/dtypes.js';

export type Scalar = number | boolean | bigint;

export interface ArgSpec {
  /** Per-example shape. */
  shape: number[];
  dtype: DType;
  /** The k-th value (flat index k of the batched array); default: a deterministic pseudo-random float in (0.05, 0.95). */
  gen?: (k: number) => Scalar;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Deterministic values in (0.05, 0.95), spread by a multiplicative hash of k. */
export const uniform = (k: number): number => 0.05 + (((k * 2654435761) % 1000003) / 1000003) * 0.9;

/** Flat values of `shape` (row-major) with the batch axis of `size` at `axis`; element `i` of the batch: `hostSlice`. */
export function hostSlice(values: readonly Scalar[], shape: readonly number[], axis: number, i: number): Scalar[] {
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const n = shape[axis]!;
  const out: Scalar[] = [];
  for (let o = 0; o < outer; o++) for (let k = 0; k < inner; k++) out.push(values[(o * n + i) * inner + k]!);
  return out;
}

/** Stacks per-example flat values (each of `shape`) along a new axis at `axis`. */
export function hostStack(examples: readonly Scalar[][], shape: readonly number[], axis: number): Scalar[] {
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis));
  const out: Scalar[] = [];
  for (let o = 0; o < outer; o++) for (const ex of examples) for (let k = 0; k < inner; k++) out.push(ex[o * inner + k]!);
  return out;
}

export function makeArray(values: readonly Scalar[], shape: readonly number[], dtype: DType): Array {
  return jnp.array(values as number[], { dtype }).reshape([...shape]);
}

export const flatValues = (x: Array): Scalar[] => globalThis.Array.from(x.dataSync() as ArrayLike<Scalar>);

/** Equal, NaN equal to NaN, floats within a relative `rtol` (0: exactly). */
export function sameValue(a: Scalar, b: Scalar, rtol: number): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    return a === b || Math.abs(a - b) <= rtol * Math.max(Math.abs(a), Math.abs(b));
  }
  return a === b;
}

export interface Batched {
  /** The batched arguments (mapped ones with the batch axis at their inAxes entry). */
  args: Array[];
  /** Each example's arguments. */
  examples: Array[][];
}

/** Batched arguments of `specs` with `size` examples along `inAxes` (null: one shared value). */
export function batchedArgs(specs: ArgSpec[], inAxes: (number | null)[], size: number): Batched {
  const args: Array[] = [];
  const perExample: Array[][] = globalThis.Array.from({ length: size }, () => []);
  specs.forEach((spec, j) => {
    const gen = spec.gen ?? uniform;
    const axis = inAxes[j] ?? null;
    if (axis === null) {
      const x = makeArray(globalThis.Array.from({ length: sizeOf(spec.shape) }, (_, k) => gen(k + 1000 * j)), spec.shape, spec.dtype);
      args.push(x);
      perExample.forEach((ex) => ex.push(x));
      return;
    }
    const a = axis < 0 ? axis + spec.shape.length + 1 : axis;
    const shape = [...spec.shape];
    shape.splice(a, 0, size);
    const values = globalThis.Array.from({ length: sizeOf(shape) }, (_, k) => gen(k + 1000 * j));
    args.push(makeArray(values, shape, spec.dtype));
    perExample.forEach((ex, i) => ex.push(makeArray(hostSlice(values, shape, a, i), spec.shape, spec.dtype)));
  });
  return { args, examples: perExample };
}

export type OutFn = (...xs: Array[]) => Record<string, Array>;

export interface Mismatch {
  output: string;
  index: number;
  got: Scalar;
  expected: Scalar;
}

const jitted = new WeakMap<OutFn, OutFn>();
/** One jit per function, so the per-example program is traced and compiled once. */
const jitOnce = (fn: OutFn): OutFn => {
  let j = jitted.get(fn);
  if (!j) jitted.set(fn, (j = jit(fn)));
  return j;
};

export interface Comparison {
  /** Outputs that differ from the stacked per-example results (empty when all equal). */
  mismatches: Mismatch[];
  /** vmap's outputs. */
  got: Record<string, Array>;
}

/**
 * Compares `vmap(fn, { inAxes, outAxes })` (jitted, or eager with `eager`) with `fn` run on each
 * example and stacked at `outAxes` (an int: every output's axis, negative from the end).
 */
export function compareWithStacked(fn: OutFn, specs: ArgSpec[], inAxes: (number | null)[], outAxes: number, options: { size?: number; rtol?: number; eager?: boolean } = {}): Comparison {
  const { size = 3, rtol = 0, eager = false } = options;
  const { args, examples } = batchedArgs(specs, inAxes, size);
  const batchedFn = vmap(fn, { inAxes, outAxes });
  const got = (eager ? batchedFn : jit(batchedFn))(...args) as Record<string, Array>;
  const perExample = jitOnce(fn);
  const results = examples.map((ex) => perExample(...ex));
  const mismatches: Mismatch[] = [];
  for (const name of Object.keys(results[0]!)) {
    const first = results[0]![name]!;
    const axis = outAxes < 0 ? outAxes + first.ndim + 1 : outAxes;
    const expected = hostStack(results.map((r) => flatValues(r[name]!)), first.shape, axis);
    const actual = got[name]!;
    const shape = [...first.shape];
    shape.splice(axis, 0, size);
    if (actual.shape.join() !== shape.join() || actual.dtype !== first.dtype) {
      mismatches.push({ output: `${name}: ${actual.dtype}[${actual.shape}] vs ${first.dtype}[${shape}]`, index: -1, got: 0, expected: 0 });
      continue;
    }
    const values = flatValues(actual);
    const bad = values.findIndex((v, k) => !sameValue(v, expected[k]!, rtol));
    if (bad >= 0) mismatches.push({ output: name, index: bad, got: values[bad]!, expected: expected[bad]! });
  }
  return { mismatches, got };
}

/** The primitives that `fn` applies, by tracing it at the per-example shapes. */
export function primitivesOf(fn: OutFn, specs: ArgSpec[]): string[] {
  const { examples } = batchedArgs(specs, specs.map(() => null), 1);
  const jaxpr = (jitOnce(fn) as ReturnType<typeof jit<OutFn>>).lower(...examples[0]!).jaxpr.jaxpr;
  return [...new Set(jaxpr.eqns.map((e) => e.primitive.name))];
}

/** A group of primitives sharing argument shapes: one program per family and axes is compiled. */
export interface Family {
  name: string;
  fn: OutFn;
  args: ArgSpec[];
  /** [inAxes, outAxes] pairs; the first also runs eagerly. */
  axes: [(number | null)[], number][];
  /** Relative tolerance against the per-example results (0: the same bits). */
  rtol?: number;
  /** Also run the first axes eagerly (default true). */
  eager?: boolean;
}

/**
 * For each family: vmap over every axes pair under jit equals the stacked per-example results, and
 * (unless `eager: false`) the first pair run eagerly gives the same bits as under jit.
 */
export function describeFamilies(families: Family[]): void {
  describe.each(families.map((f) => [f.name, f] as const))('vmap equals stacked per-example results: %s', (_name, family) => {
    let firstJitted: Record<string, Array> | undefined;
    test.each(family.axes.map(([inAxes, outAxes], i) => [JSON.stringify(inAxes), outAxes, inAxes, i] as const))('inAxes %s, outAxes %s (jit)', (_s, outAxes, inAxes, i) => {
      const { mismatches, got } = compareWithStacked(family.fn, family.args, inAxes, outAxes, { rtol: family.rtol ?? 0 });
      expect(mismatches).toEqual([]);
      if (i === 0) firstJitted = got;
    });

    if (family.eager !== false) {
      test('eagerly, with the bits of jit', () => {
        const [inAxes, outAxes] = family.axes[0]!;
        const { mismatches, got } = compareWithStacked(family.fn, family.args, inAxes, outAxes, { rtol: family.rtol ?? 0, eager: true });
        expect(mismatches).toEqual([]);
        for (const k of Object.keys(got)) expect([k, flatValues(got[k]!)]).toEqual([k, flatValues(firstJitted![k]!)]);
      });
    }
  });
}

export { tree };
