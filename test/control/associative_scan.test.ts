// lax.associativeScan: prefix combinations by JAX's parallel odd/even algorithm, on arrays and
// pytrees, along any axis, reversed; it differentiates and vectorises as the lax ops it is made
// of. Expected values computed with JAX 0.10.2 (CPU) unless noted.
import { grad, jit, lax, makeJaxpr, numpy as jnp, vmap, type Array } from '../../lib/index.js';

const f32 = (v: unknown) => jnp.array(v as number[], { dtype: 'float32' });
const list = (x: unknown) => (x as Array).tolistSync();
const names = (j: { jaxpr: { eqns: { primitive: { name: string } }[] } }) => j.jaxpr.eqns.map((e) => e.primitive.name);
const add = (a: Array, b: Array) => a.add(b);

function expectClose(actual: unknown, expected: unknown, tol = 2e-6): void {
  if (globalThis.Array.isArray(expected)) {
    expect(globalThis.Array.isArray(actual) && actual.length === expected.length).toBe(true);
    expected.forEach((e: unknown, i: number) => expectClose((actual as unknown[])[i], e, tol));
  } else if (Math.abs((actual as number) - (expected as number)) > tol * Math.max(1, Math.abs(expected as number))) {
    expect(actual).toBe(expected);
  }
}

describe('lax.associativeScan', () => {
  test('cumulative sums, forwards and reversed; the program is JAX\'s slices, pads and adds', () => {
    // Eager runs each op on its own (one small program per distinct op), so eager tests stay few.
    const x = jnp.arange(7);
    expect(list(lax.associativeScan(add, x))).toEqual([0, 1, 3, 6, 10, 15, 21]);
    expect(list(jit((v: Array) => lax.associativeScan(add, v))(x))).toEqual([0, 1, 3, 6, 10, 15, 21]);
    expect(list(jit((v: Array) => lax.associativeScan(add, v, { reverse: true }))(x))).toEqual([21, 21, 20, 18, 15, 11, 6]);
    const j = makeJaxpr((v: Array) => lax.associativeScan(add, v))(jnp.arange(5));
    expect(names(j)).toEqual([
      'slice', 'slice', 'add', 'slice', 'slice', 'add', 'slice', 'slice', 'add', 'slice', 'concatenate', 'pad', 'pad', 'add',
      'slice', 'add', 'slice', 'concatenate', 'pad', 'pad', 'add',
    ]);
    expect(list(lax.associativeScan(add, jnp.arange(1)))).toEqual([0]); // nothing to combine
    expect(lax.associativeScan(add, jnp.zeros([0, 2])).shape).toEqual([0, 2]);
  });

  test('along another axis, reversed, with other monoids', () => {
    const m = jnp.arange(10, { dtype: 'float32' }).mul(0.25).sub(1).reshape([2, 5]);
    const run = jit((v: Array, b: Array) => ({
      prod: lax.associativeScan((x: Array, y: Array) => x.mul(y), v, { axis: 1 }),
      max: lax.associativeScan((x: Array, y: Array) => jnp.maximum(x, y), v, { axis: 1, reverse: true }),
      sum: lax.associativeScan(add, v, { axis: -1 }),
      any: lax.associativeScan((x: Array, y: Array) => jnp.logicalOr(x, y), b),
    }));
    const out = run(m, jnp.array([false, false, true, false, false, true]));
    expect(list(out.prod)).toEqual([[-1, 0.75, -0.375, 0.09375, 0], [0.25, 0.125, 0.09375, 0.09375, 0.1171875]]);
    expect(list(out.max)).toEqual([[0, 0, 0, 0, 0], [1.25, 1.25, 1.25, 1.25, 1.25]]);
    expect(list(out.sum)).toEqual([[-1, -1.75, -2.25, -2.5, -2.5], [0.25, 0.75, 1.5, 2.5, 3.75]]); // hand-computed
    expect(list(out.any)).toEqual([false, false, true, true, true, true]);
  });

  test('a pytree of elements: composing affine maps x ↦ A·x + b (matrix products)', () => {
    const A = jnp.arange(20, { dtype: 'float32' }).mul(0.1).sub(0.9).reshape([5, 2, 2]);
    const b = jnp.arange(10, { dtype: 'float32' }).mul(0.3).sub(1).reshape([5, 2]);
    type Affine = { A: Array; b: Array };
    const compose = (p: Affine, q: Affine): Affine => ({ A: jnp.matmul(q.A, p.A), b: jnp.einsum('...ij,...j->...i', q.A, p.b).add(q.b) });
    const out = jit((e: Affine) => lax.associativeScan(compose, e))({ A, b });
    expectClose(list(out.A), [
      [[-0.9, -0.8], [-0.7, -0.6]], [[0.73, 0.64], [0.41, 0.36]], [[-0.073, -0.064], [0.155, 0.136]],
      [[0.0401, 0.0352], [0.0565, 0.0496]], [[0.07327006757259369, 0.06432005017995834], [0.0925900787115097, 0.08128006756305695]],
    ], 1e-5);
    expectClose(list(out.b), [[-1, -0.7], [0.38, 0.34], [0.162, 0.606], [1.0910001993179321, 1.544600248336792], [3.399380683898926, 4.226500511169434]], 1e-5);
    const rev = jit((e: Affine) => lax.associativeScan(compose, e, { reverse: true }))({ A, b });
    expectClose(list(rev.b), [[0.09898018836975098, 0.14690017700195312], [-0.9066001772880554, -0.35380005836486816], [0.010000243782997131, 1.254000186920166], [1.9, 2.82], [1.4, 1.7]], 1e-5);
    const prods = jit((a: Array) => lax.associativeScan((p: Array, q: Array) => jnp.matmul(p, q), a))(A);
    expectClose((list(prods) as unknown[]).slice(3), [[[0.0469, 0.0556], [0.0361, 0.0428]], [[0.08287008106708527, 0.09312008321285248], [0.06379006057977676, 0.07168006896972656]]], 1e-5);
  });

  test('grad goes through it; vmap maps it', () => {
    const f = (x: Array) => lax.associativeScan((a: Array, b: Array) => a.mul(b), x).mul(jnp.arange(1, 6)).sum();
    expect(list(jit(grad(f))(f32([1, 2, 3, 0.5, -1])))).toEqual([20, 9.5, 5, -6, 15]);
    const rows = f32([[1, 2, 3], [4, 5, 6]]);
    expect(list(jit(vmap((r: Array) => lax.associativeScan(add, r)))(rows))).toEqual([[1, 3, 6], [4, 9, 15]]); // hand-computed
    expect(list(jit(vmap((r: Array) => lax.associativeScan(add, r), { inAxes: 1 }))(rows))).toEqual([[1, 5], [2, 7], [3, 9]]);
  });

  test('errors', () => {
    expect(() => lax.associativeScan(add as never, { a: jnp.zeros([5]), b: jnp.zeros([4]) })).toThrow('Array inputs to associative_scan must have the same first dimension. (saw: [(5,), (4,)])');
    expect(() => lax.associativeScan(add, jnp.zeros([2, 3]), { axis: 2 })).toThrow('axis 2 is out of bounds for array of dimension 2');
    expect(() => lax.associativeScan(add, jnp.zeros([2, 3]), { axis: -1, reverse: true })).toThrow(/rev/); // as JAX: rev sees the axis uncanonicalised
    expect(() => lax.associativeScan(1 as never, jnp.zeros([2]))).toThrow('lax.associative_scan: fn argument should be callable.');
  });
});
