// cond, switch, whileLoop and foriLoop under vmap: a batched predicate or index selects between
// every branch's outputs; a batched loop predicate runs until every example is done; compositions
// with jit, grad and jvp. Expected values computed with JAX 0.10.2 (CPU) unless noted.
import { grad, jit, jvp, lax, makeJaxpr, numpy as jnp, vmap, type Array } from '../../lib/index.js';

const f32 = (v: unknown) => jnp.array(v as number[], { dtype: 'float32' });
const list = (x: unknown) => (x as Array).tolistSync();
const bits = (x: Array) => Buffer.from(x.dataSync().buffer as ArrayBuffer);
const names = (j: { jaxpr: { eqns: { primitive: { name: string } }[] } }) => j.jaxpr.eqns.map((e) => e.primitive.name);

function expectClose(actual: unknown, expected: unknown, tol = 1e-6): void {
  if (globalThis.Array.isArray(expected)) {
    expect(globalThis.Array.isArray(actual) && actual.length === expected.length).toBe(true);
    expected.forEach((e: unknown, i: number) => expectClose((actual as unknown[])[i], e, tol));
  } else if (Math.abs((actual as number) - (expected as number)) > tol * Math.max(1, Math.abs(expected as number))) {
    expect(actual).toBe(expected);
  }
}

const xs = f32([[0.5, 1], [2, 3], [-1, 4]]);
const ps = jnp.array([true, false, true]);
const f = (p: Array | boolean, x: Array) => lax.cond(p, (a: Array) => jnp.sin(a).mul(2), (a: Array) => a.sub(1), x);

describe('cond and switch under vmap', () => {
  test('a batched predicate selects between both branches (no cond left), eagerly and under jit with the same bits', () => {
    const expected = [[0.9588510990142822, 1.6829419136047363], [1, 2], [-1.6829419136047363, -1.513604998588562]];
    const eager = vmap(f)(ps, xs);
    const compiled = jit(vmap(f))(ps, xs);
    expectClose(list(eager), expected);
    expect(bits(compiled).equals(bits(eager))).toBe(true);
    const j = makeJaxpr(vmap(f))(ps, xs);
    expect(names(j)).not.toContain('cond');
    expect(names(j).filter((n) => n === 'select_n').length).toBe(3); // each branch's operands, then the outputs
  });

  test('vmap(grad) and grad(vmap) through a cond with a batched predicate', () => {
    const expected = [[1.7551651000976562, 1.0806045532226562], [1, 1], [1.0806045532226562, -1.3072872161865234]];
    expectClose(list(vmap(grad((x: Array, p: Array) => f(p, x).sum()))(xs, ps)), expected);
    expectClose(list(grad((x: Array) => vmap(f)(ps, x).sum())(xs)), expected);
    expectClose(list(jit(grad((x: Array) => vmap(f)(ps, x).sum()))(xs)), expected);
  });

  test('switch with a batched index, clamped to the branches', () => {
    const sw = (i: Array, x: Array) => lax.switch(i, [(a: Array) => a.add(1), (a: Array) => a.mul(a), (a: Array) => a.neg()], x);
    const x = f32([3, 4, 5]);
    expect(list(vmap(sw)(jnp.array([2, 0, 1]), x))).toEqual([-3, 5, 25]);
    expect(list(jit(vmap(sw))(jnp.array([-4, 7, 1]), x))).toEqual([4, -4, 25]);
  });

  test('an unbatched predicate keeps the cond; outputs batched in one branch are batched in all', () => {
    const g = (p: Array, x: Array, y: Array) => lax.cond(p, (a: Array) => a.mul(3), (_a: Array) => y, x);
    const y = f32([7, 8]);
    const batched = vmap(g, { inAxes: [null, 0, null] });
    expect(list(batched(jnp.array(true), xs, y))).toEqual([[1.5, 3], [6, 9], [-3, 12]]);
    expect(list(jit(batched)(jnp.array(false), xs, y))).toEqual([[7, 8], [7, 8], [7, 8]]);
    const j = makeJaxpr(batched)(jnp.array(true), xs, y);
    const eqn = j.jaxpr.eqns.find((e) => e.primitive.name === 'cond')!;
    expect(eqn.outVars.map((v) => v.aval.shape)).toEqual([[3, 2]]);
  });

  test('vmap(vmap(cond)) with predicates batched at both levels', () => {
    const p2 = jnp.array([[true, false], [false, true]]);
    const x2 = f32([[1, 2], [3, 4]]);
    const out = vmap(vmap((p: Array, x: Array) => lax.cond(p, (a: Array) => a.mul(10), (a: Array) => a.neg(), x)))(p2, x2);
    expect(list(out)).toEqual([[10, -2], [-3, 40]]);
  });
});

// x ← 1.5·x + 1 while x < 10, counting the steps.
const grow = (x: Array) => lax.whileLoop((c: [Array, Array]) => c[0].less(10), (c: [Array, Array]) => [c[0].mul(1.5).add(1), c[1].add(1)] as [Array, Array], [x, 0] as [Array, number]);
const x0 = f32([0.5, 3, 12, -1]);

describe('whileLoop and foriLoop under vmap', () => {
  test('a batched predicate runs until every example is done, each stopping at its own step', () => {
    const [x, n] = vmap(grow)(x0);
    expect([list(x), list(n)]).toEqual([[10.65625, 14.875, 12, 15.0859375], [4, 3, 0, 7]]);
    const [xj, nj] = jit(vmap(grow))(x0);
    expect(bits(xj).equals(bits(x))).toBe(true);
    expect(list(nj)).toEqual([4, 3, 0, 7]);
    const eqn = makeJaxpr(vmap(grow))(x0).jaxpr.eqns.find((e) => e.primitive.name === 'while')!;
    expect((eqn.params.cond_jaxpr as { outAvals: { shape: number[] }[] }).outAvals[0]!.shape).toEqual([4]);
  });

  test('nested vmap: the predicate is batched over both axes', () => {
    const [x, n] = vmap(vmap(grow))(f32([[0.5, 3], [12, -1]]));
    expect([list(x), list(n)]).toEqual([[[10.65625, 14.875], [12, 15.0859375]], [[4, 3], [0, 7]]]);
  });

  test('jvp under vmap with a batched predicate: frozen examples keep their tangents', () => {
    const [y, dy] = vmap((x: Array) => jvp((v: Array) => grow(v)[0], [x], [f32(1)]))(x0);
    expect([list(y), list(dy)]).toEqual([[10.65625, 14.875, 12, 15.0859375], [5.0625, 3.375, 1, 17.0859375]]);
  });

  test('integer carries: Collatz step counts', () => {
    const collatz = (n: Array) =>
      lax.whileLoop(
        (c: [Array, Array]) => c[0].notEqual(1),
        (c: [Array, Array]) => [jnp.where(jnp.remainder(c[0], 2).equal(0), jnp.floorDivide(c[0], 2), c[0].mul(3).add(1)), c[1].add(1)] as [Array, Array],
        [n, 0] as [Array, number],
      )[1];
    expect(list(vmap(collatz)(jnp.array([1, 6, 7, 27])))).toEqual([0, 8, 16, 111]);
  });

  test('an unbatched predicate with a batched carry stays a scalar-predicate loop; unbatched carries stay unbatched', () => {
    const damp = (x: Array) => lax.whileLoop((c: [Array, Array]) => c[0].less(5), (c: [Array, Array]) => [c[0].add(1), c[1].mul(0.9).add(0.1)] as [Array, Array], [0, x] as [number, Array]);
    const [i, x] = vmap(damp)(x0);
    expect(list(i)).toEqual([5, 5, 5, 5]);
    expectClose(list(x), [0.7047549486160278, 2.1809797286987305, 7.495389938354492, -0.18097995221614838]);
    const j = makeJaxpr(vmap(damp))(x0);
    const eqn = j.jaxpr.eqns.find((e) => e.primitive.name === 'while')!;
    expect(eqn.outVars.map((v) => v.aval.shape)).toEqual([[], [4]]);
    expect((eqn.params.cond_jaxpr as { outAvals: { shape: number[] }[] }).outAvals[0]!.shape).toEqual([]);
  });

  test('foriLoop with a batched upper bound is a while loop with a batched predicate', () => {
    const sumSquares = (u: Array) => lax.foriLoop(0, u, (i: Array, acc: Array) => acc.add(i.mul(i).astype('float32')), f32(0));
    expect(list(vmap(sumSquares)(jnp.array([0, 3, 5])))).toEqual([0, 5, 30]); // hand-computed
    expect(list(jit(vmap(sumSquares))(jnp.array([4, 1, 2])))).toEqual([14, 0, 1]);
  });
});
