// vmap of the sorting primitives (lib/lax/sorting.ts: sort with one or several operands and keys,
// top_k, and the total-order comparisons): vmap(op) over several in/out axes equals the op
// applied to each example with the results stacked, exactly; then jnp.sort / argsort under vmap,
// vmap of a gradient through sort and top_k, and the jaxprs (the batch axis stays in place).
import { grad, lax, makeJaxpr, numpy as jnp, vmap, type Array } from '../../lib/index.js';
import { Primitive } from '../../lib/core/primitive.js';
import * as sortingModule from '../../lib/lax/sorting.js';
import { compareWithStacked, flatValues, primitivesOf, type ArgSpec, type OutFn } from './helpers.js';

const ops = (entries: Record<string, (...xs: Array[]) => Array>): OutFn => (...xs) => Object.fromEntries(Object.entries(entries).map(([k, f]) => [k, f(...xs)]));
/** Values in {-0.4, ..., 0.4} with many ties, and a NaN and -0.0 now and then (sort puts NaNs last and -0.0 with 0.0). */
const tied = (k: number) => (k % 11 === 5 ? NaN : k % 13 === 7 ? -0 : (((k * 7919) % 9) - 4) / 10);
const f32 = (shape: number[], gen?: ArgSpec['gen']): ArgSpec => ({ shape, dtype: 'float32', ...(gen && { gen }) });
const i32 = (shape: number[]): ArgSpec => ({ shape, dtype: 'int32', gen: (k) => (k * 5) % 3 });

const sortOps = ops({
  sort0: (x) => lax.sortP.bind1([x], { dimension: 0, is_stable: true, num_keys: 1 }),
  sort1: (x) => lax.sortP.bind1([x], { dimension: 1, is_stable: true, num_keys: 1 }),
  key_val_values: (x, _y, k) => lax.sortP.bind([k, x], { dimension: 1, is_stable: true, num_keys: 1 })[1]!,
  two_keys_keys: (x, _y, k) => lax.sortP.bind([k, x], { dimension: 0, is_stable: true, num_keys: 2 })[0]!,
  two_keys_values: (x, y, k) => lax.sortP.bind([k, x, y], { dimension: 1, is_stable: true, num_keys: 2 })[2]!,
  top_k_values: (x) => lax.topKP.bind([x], { k: 2, axis: 1 })[0]!,
  top_k_indices: (x) => lax.topKP.bind([x], { k: 2, axis: 1 })[1]!,
  top_k_axis0: (_x, y) => lax.topKP.bind([y], { k: 3, axis: 0 })[1]!,
  lt_to: (x, y) => lax.ltTo.bind1([x, y]),
  eq_to: (x, y) => lax.eqTo.bind1([x, y]),
  le_to: (x, y) => lax.leTo.bind1([x, y]),
});
const sortArgs = [f32([3, 4], tied), f32([3, 4], (k) => (k % 5) / 4), i32([3, 4])];
const AXES: [(number | null)[], number][] = [[[0, 0, 0], 0], [[1, null, 0], 1], [[null, 2, null], -1], [[-1, 1, null], 0], [[2, null, 1], 2]];

describe('vmap equals stacked per-example results: sort, top_k, total-order comparisons', () => {
  let firstJitted: Record<string, Array> | undefined;
  test.each(AXES.map(([inAxes, outAxes], i) => [JSON.stringify(inAxes), outAxes, inAxes, i] as const))('inAxes %s, outAxes %s (jit)', (_s, outAxes, inAxes, i) => {
    const { mismatches, got } = compareWithStacked(sortOps, sortArgs, inAxes, outAxes);
    expect(mismatches).toEqual([]);
    if (i === 0) firstJitted = got;
  });

  test('eagerly, with the bits of jit', () => {
    const [inAxes, outAxes] = AXES[0]!;
    const { mismatches, got } = compareWithStacked(sortOps, sortArgs, inAxes, outAxes, { eager: true });
    expect(mismatches).toEqual([]);
    for (const k of Object.keys(got)) expect([k, flatValues(got[k]!)]).toEqual([k, flatValues(firstJitted![k]!)]);
  });

  test('coverage: every sorting primitive has a batching rule and is exercised above', () => {
    const exported = Object.values(sortingModule).filter((v): v is Primitive => v instanceof Primitive);
    expect(exported.filter((prim) => !prim.rules.batch).map((prim) => prim.name)).toEqual([]);
    const covered = new Set(primitivesOf(sortOps, sortArgs));
    expect(exported.map((prim) => prim.name).filter((name) => !covered.has(name))).toEqual([]);
  });
});

const list = (a: Array) => a.tolistSync() as unknown[];

describe('jnp and lax functions under vmap (values by hand)', () => {
  test('jnp.sort and jnp.argsort of each row, batched along either axis', () => {
    const x = jnp.array([[3, 1, 2], [0, 5, -1]], { dtype: 'float32' });
    expect(list(vmap((r: Array) => jnp.sort(r))(x))).toEqual([[1, 2, 3], [-1, 0, 5]]);
    expect(list(vmap((c: Array) => jnp.argsort(c), { inAxes: 1, outAxes: 1 })(x))).toEqual([[1, 0, 1], [0, 1, 0]]);
    expect(list(vmap((r: Array) => lax.topK(r, 1)[1])(x))).toEqual([[0], [1]]);
  });

  test('vmap(grad) through sort and top_k: per-example gradients', () => {
    const loss = (r: Array) => jnp.sum(jnp.sort(r).mul(jnp.array([1, 2, 3], { dtype: 'float32' }))).add(jnp.sum(lax.topK(r, 1)[0]!));
    // each row's gradient is its rank weight (1, 2, 3 by sorted position) plus 1 at its maximum
    expect(list(vmap(grad(loss))(jnp.array([[3, 1, 2], [0, 5, -1]], { dtype: 'float32' })))).toEqual([[4, 1, 2], [2, 4, 1]]);
  });
});

describe('sorting batch rules keep the batch axis in place', () => {
  const ones = (...shape: number[]) => jnp.ones(shape, { dtype: 'float32' });
  const text = (fn: (...xs: Array[]) => unknown, ...args: Array[]) => String(makeJaxpr(fn as (...xs: Array[]) => Array)(...args));
  const prims = (fn: (...xs: Array[]) => unknown, ...args: Array[]) => makeJaxpr(fn as (...xs: Array[]) => Array)(...args).jaxpr.eqns.map((e) => e.primitive.name);

  test('sort along the per-example axis 0 of a value batched at 0 sorts axis 1', () => {
    const s = (x: Array) => lax.sort(x, { dimension: 0 });
    expect(prims(vmap(s), ones(5, 3, 2))).toEqual(['sort']);
    expect(text(vmap(s), ones(5, 3, 2))).toContain('sort[dimension=1');
    // an unbatched operand sorted along with a batched key is broadcast at the key's batch axis
    const kv = (k: Array, v: Array) => lax.sortKeyVal(k, v)[1]!;
    expect(prims(vmap(kv, { inAxes: [1, null], outAxes: 1 }), ones(3, 5), ones(3))).toEqual(['broadcast_in_dim', 'sort']);
  });

  test('top_k keeps the batch axis; its axis skips it', () => {
    expect(text(vmap((x: Array) => lax.topK(x, 2, { axis: 0 })[0]!, { inAxes: 1, outAxes: 1 }), ones(4, 5))).toContain('top_k[axis=0 k=2]');
    expect(prims(vmap((x: Array) => lax.topK(x, 2)[0]!, { inAxes: 0 }), ones(5, 4))).toEqual(['top_k']);
  });
});
