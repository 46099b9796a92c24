// vmap of the cumulative primitives (lib/lax/cumulative.ts: cumsum, cumprod, cummax, cummin,
// cumlogsumexp, forward and reverse): vmap(op) equals the stacked per-example results over
// several in/out axes, jnp.cumsum under vmap, vmap of their gradients, and the jaxprs (the scan
// axis skips the batch axis; nothing moves).
import { grad, lax, makeJaxpr, numpy as jnp, vmap, type Array } from '../../lib/index.js';
import { Primitive } from '../../lib/core/primitive.js';
import * as cumulativeModule from '../../lib/lax/cumulative.js';
import { compareWithStacked, flatValues, primitivesOf, type ArgSpec, type OutFn } from './helpers.js';

const ops = (entries: Record<string, (...xs: Array[]) => Array>): OutFn => (...xs) => Object.fromEntries(Object.entries(entries).map(([k, f]) => [k, f(...xs)]));
/** Small integers as floats: sums and products in any order are exact. */
const smallInt = (k: number) => ((k * 7919) % 7) - 3;

const cumOps = ops({
  cumsum0: (x) => lax.cumsum(x, 0),
  cumsum1_rev: (x) => lax.cumsum(x, 1, true),
  cumprod: (x) => lax.cumprod(x, 1),
  cummax: (x) => lax.cummax(x, 0, true),
  cummin: (x) => lax.cummin(x, 1),
  cumsum_int: (_x, i) => lax.cumsum(i, 1),
});
const cumArgs: ArgSpec[] = [{ shape: [3, 4], dtype: 'float32', gen: smallInt }, { shape: [3, 4], dtype: 'int32', gen: smallInt }];
const logOps = ops({ cumlogsumexp: (x) => lax.cumlogsumexp(x, 1), cumlogsumexp_rev: (x) => lax.cumlogsumexp(x, 0, true) });
const AXES: [(number | null)[], number][] = [[[0, 0], 0], [[1, null], 1], [[2, 1], -1], [[-1, 0], 0]];

describe('vmap equals stacked per-example results: cumulative reductions', () => {
  let firstJitted: Record<string, Array> | undefined;
  test.each(AXES.map(([inAxes, outAxes], i) => [JSON.stringify(inAxes), outAxes, inAxes, i] as const))('inAxes %s, outAxes %s (jit)', (_s, outAxes, inAxes, i) => {
    const { mismatches, got } = compareWithStacked(cumOps, cumArgs, inAxes, outAxes);
    expect(mismatches).toEqual([]);
    if (i === 0) firstJitted = got;
  });

  test('eagerly, with the bits of jit', () => {
    const [inAxes, outAxes] = AXES[0]!;
    const { mismatches, got } = compareWithStacked(cumOps, cumArgs, inAxes, outAxes, { eager: true });
    expect(mismatches).toEqual([]);
    for (const k of Object.keys(got)) expect([k, flatValues(got[k]!)]).toEqual([k, flatValues(firstJitted![k]!)]);
  });

  // exp and log kernels may differ in the last bit between array shapes on XLA's CPU
  test.each([[[0], 1], [[2], 0]] as [(number | null)[], number][])('cumlogsumexp, inAxes %j, outAxes %j', (inAxes, outAxes) => {
    expect(compareWithStacked(logOps, cumArgs.slice(0, 1), inAxes, outAxes, { rtol: 1e-6 }).mismatches).toEqual([]);
  });

  test('coverage: every cumulative primitive has a batching rule and is exercised above', () => {
    const exported = Object.values(cumulativeModule).filter((v): v is Primitive => v instanceof Primitive);
    expect(exported.filter((prim) => !prim.rules.batch).map((prim) => prim.name)).toEqual([]);
    const covered = new Set([...primitivesOf(cumOps, cumArgs), ...primitivesOf(logOps, cumArgs.slice(0, 1))]);
    expect(exported.map((prim) => prim.name).filter((name) => !covered.has(name))).toEqual([]);
  });
});

const list = (a: Array) => a.tolistSync() as unknown[];

test('jnp.cumsum of each column (by hand)', () => {
  const x = jnp.array([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' });
  expect(list(vmap((c: Array) => jnp.cumsum(c), { inAxes: 1, outAxes: 1 })(x))).toEqual([[1, 2, 3], [5, 7, 9]]);
  expect(list(vmap((r: Array) => jnp.cumsum(r))(x))).toEqual([[1, 3, 6], [4, 9, 15]]);
});

test('vmap(grad) through cumsum, cumprod and cummax equals stacked per-example gradients', () => {
  const grads: OutFn = (x) => ({
    g: grad((r: Array) => jnp.sum(lax.cumsum(r, 0).mul(lax.cumprod(r, 0))).add(jnp.sum(lax.cummax(r, 0, true))))(x),
  });
  const args: ArgSpec[] = [{ shape: [4], dtype: 'float32', gen: (k) => smallInt(k) / 2 }];
  expect(compareWithStacked(grads, args, [0], 0, { rtol: 1e-6 }).mismatches).toEqual([]);
  expect(compareWithStacked(grads, args, [1], 1, { rtol: 1e-6 }).mismatches).toEqual([]);
});

test('the scan axis skips the batch axis: no transposes (makeJaxpr of vmap(cumsum))', () => {
  const ones = jnp.ones([5, 3, 4], { dtype: 'float32' });
  const jaxpr = makeJaxpr(vmap((x: Array) => lax.cumsum(x, 1), { inAxes: 0 }))(ones);
  expect(jaxpr.jaxpr.eqns.map((e) => e.primitive.name)).toEqual(['cumsum']);
  expect(String(jaxpr)).toContain('cumsum[axis=2 reverse=False]');
  const middle = makeJaxpr(vmap((x: Array) => lax.cumprod(x, 1), { inAxes: 1, outAxes: 1 }))(ones);
  expect(middle.jaxpr.eqns.map((e) => e.primitive.name)).toEqual(['cumprod']);
  expect(String(middle)).toContain('cumprod[axis=2 reverse=False]');
});
