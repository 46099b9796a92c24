// Compares what jaxts returned with what JAX returned: dtype, shape and weak type exactly;
// integers and booleans exactly; floats within JAX's tolerance (atol = rtol), NaNs in the same
// places, infinities equal. Returns the problems found, as readable lines (none: a match).
import { Array } from '../../lib/index.js';
import type { ArrayRecord, Fixtures, OutputRecord } from './fixtures.js';

const MAX_SHOWN = 4;

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;

/**
 * The leaves of a result, in jax.tree.leaves order: nested JS arrays flatten, plain objects
 * (pytree dicts) flatten by sorted key; an abstract value ({shape, dtype}) or anything else is one output.
 */
export function leaves(x: unknown): unknown[] {
  if (globalThis.Array.isArray(x)) return x.flatMap(leaves);
  if (isPlainObject(x) && !('shape' in x && 'dtype' in x)) return Object.keys(x).sort().flatMap((k) => leaves(x[k]));
  return [x];
}

function describe(x: unknown): string {
  if (x instanceof Array) return `Array ${x.dtype}${JSON.stringify(x.shape)}${x.weakType ? ' weak' : ''}`;
  if (typeof x === 'object' && x !== null) return JSON.stringify(x);
  return `${typeof x} ${String(x)}`;
}

function closeEnough(got: number, want: number, tol: number): boolean {
  if (Number.isNaN(want) || Number.isNaN(got)) return Number.isNaN(want) && Number.isNaN(got);
  if (got === want) return true;
  if (!Number.isFinite(want) || !Number.isFinite(got)) return false;
  return Math.abs(got - want) <= tol + tol * Math.abs(want);
}

/**
 * A Python scalar result (optax's constant schedules return the float itself) matches the same JS
 * value, or a 0-d weakly typed Array holding it: what a Python scalar becomes in JAX arithmetic.
 */
function scalarMatches(got: unknown, want: unknown): boolean {
  if (got === want) return true;
  return got instanceof Array && got.ndim === 0 && got.weakType && typeof want === 'number' && got.item() === want;
}

/** Element mismatches of two value arrays (bigints and bools compare exactly). */
function valueProblems(got: ArrayLike<number | bigint>, want: ArrayLike<number | bigint>, tol: number, complex: boolean): string[] {
  const bad: string[] = [];
  let count = 0;
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [got[i]!, want[i]!];
    const ok = typeof w === 'bigint' || typeof g === 'bigint' ? g === w : closeEnough(g, w, tol);
    if (!ok) {
      count++;
      const at = complex ? `${i >> 1}.${i & 1 ? 'imag' : 'real'}` : String(i);
      if (bad.length < MAX_SHOWN) bad.push(`[${at}] expected ${String(w)}, got ${String(g)}`);
    }
  }
  if (count === 0) return [];
  return [`${count} of ${want.length} values differ (tol ${tol}): ${bad.join('; ')}${count > MAX_SHOWN ? '; ...' : ''}`];
}

function compareArray(got: unknown, want: ArrayRecord | { dtype: string; shape: number[]; weak: boolean }, fixtures: Fixtures): string[] {
  // Abstract results (evalShape) are plain {shape, dtype, weakType} objects.
  const g = got as { dtype?: unknown; shape?: unknown; weakType?: unknown };
  if (!(got instanceof Array) && !(typeof got === 'object' && got !== null && 'dtype' in got && 'shape' in got)) {
    return [`expected an array ${want.dtype}${JSON.stringify(want.shape)}, got ${describe(got)}`];
  }
  const problems: string[] = [];
  if (g.dtype !== want.dtype) problems.push(`dtype: expected ${want.dtype}, got ${String(g.dtype)}`);
  if (JSON.stringify(g.shape) !== JSON.stringify(want.shape)) problems.push(`shape: expected ${JSON.stringify(want.shape)}, got ${JSON.stringify(g.shape)}`);
  if (g.weakType !== want.weak) problems.push(`weak type: expected ${want.weak}, got ${String(g.weakType)}`);
  if (problems.length || !('offset' in want) || !(got instanceof Array)) return problems;
  return valueProblems(got.dataSync() as ArrayLike<number | bigint>, fixtures.values(want) as ArrayLike<number | bigint>, want.tol ?? 0, want.dtype.startsWith('complex'));
}

/** Problems of one result against JAX's outputs. */
export function compareOutputs(result: unknown, expected: OutputRecord[], fixtures: Fixtures): string[] {
  const got = leaves(result);
  if (got.length !== expected.length) return [`expected ${expected.length} outputs, got ${got.length}: ${got.map(describe).join(', ')}`];
  return expected.flatMap((want, i) => {
    const prefix = expected.length > 1 ? `output ${i}: ` : '';
    let problems: string[];
    if ('dtype_value' in want) problems = got[i] === want.dtype_value ? [] : [`expected dtype ${want.dtype_value}, got ${describe(got[i])}`];
    else if ('value' in want) problems = scalarMatches(got[i], want.value) ? [] : [`expected ${JSON.stringify(want.value)}, got ${describe(got[i])}`];
    else problems = compareArray(got[i], want, fixtures);
    return problems.map((p) => prefix + p);
  });
}
