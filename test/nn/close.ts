// Comparison helpers for the nn tests: values against JAX's within a tolerance, eagerly and under jit.
import { jit, type Array } from '../../lib/index.js';

export type Nested = number | boolean | readonly Nested[];

const shapeOf = (x: Nested): number[] => (globalThis.Array.isArray(x) ? [x.length, ...shapeOf((x as readonly Nested[])[0]!)] : []);
const flatten = (x: Nested): number[] => (globalThis.Array.isArray(x) ? (x as readonly Nested[]).flatMap(flatten) : [Number(x)]);

export interface Tolerance {
  rtol?: number;
  atol?: number;
  /** float32 bit equality with the reference (printed by JAX as the shortest round-trip repr). */
  exact?: boolean;
}

/**
 * `actual` has `expected`'s shape and values: NaN where NaN, the same infinities, and finite
 * values within atol + rtol·|expected| (float32 reference values printed to ~8 digits by JAX).
 */
export function expectClose(actual: Array, expected: Nested, { rtol = 2e-6, atol = 1e-37, exact = false }: Tolerance = {}): void {
  expect(actual.shape).toEqual(shapeOf(expected));
  const got = [...actual.dataSync()].map(Number);
  const want = flatten(expected);
  const bad = want.flatMap((w, i) => {
    const g = got[i]!;
    const ok = Number.isNaN(w) ? Number.isNaN(g)
      : !Number.isFinite(w) || exact ? g === Math.fround(w)
      : Math.abs(g - w) <= atol + rtol * Math.abs(w);
    return ok ? [] : [`[${i}] got ${g}, expected ${w}`];
  });
  expect(bad).toEqual([]);
}

/**
 * Runs `f` eagerly and under jit, checks both against `expected`, and returns the eager result.
 * (Eagerly jaxts runs op by op; under jit XLA fuses and may contract a*b+c, so the last bit may
 * differ between the two: both are held to the same reference instead.)
 */
export function checkBoth(f: (...args: Array[]) => Array, args: Array[], expected: Nested, tol: Tolerance = {}): Array {
  const eager = f(...args);
  const compiled = jit(f)(...args);
  expect(compiled.dtype).toBe(eager.dtype);
  expect(compiled.weakType).toBe(eager.weakType);
  expectClose(eager, expected, tol);
  expectClose(compiled, expected, tol);
  return eager;
}

/** A named computation, its inputs and JAX's result. */
export type Case = [name: string, f: (...args: Array[]) => Array, args: () => Array[], expected: Nested, tol?: Tolerance];

/**
 * Checks all the cases under one jit (one compilation for the lot; the inputs are the program's
 * arguments, so nothing is constant-folded), and eagerly those `eager` names (default all): each
 * eager op compiles its own small program, so tests pick a few to keep compile counts moderate.
 */
export function describeCases(cases: Case[], { eager = true }: { eager?: boolean | readonly string[] } = {}): void {
  const eagerCases = cases.filter((c) => (typeof eager === 'boolean' ? eager : eager.includes(c[0])));
  if (eagerCases.length > 0) {
    test.each(eagerCases.map((c) => [c[0], c] as const))('%s eagerly', (_name, [, f, args, expected, tol]) => {
      expectClose(f(...args()), expected, tol);
    });
  }
  test(`${cases.map((c) => c[0]).join(', ')} under one jit`, () => {
    const inputs = cases.map((c) => c[2]());
    const bounds = inputs.reduce((acc, a) => [...acc, acc.at(-1)! + a.length], [0]);
    const all = jit((...flat: Array[]) => cases.map((c, i) => c[1](...flat.slice(bounds[i], bounds[i + 1]))));
    all(...inputs.flat()).forEach((y, i) => expectClose(y, cases[i]![3], cases[i]![4]));
  });
}
