// jacfwd / jacrev / hessian built on vmap, as JAX's: batched (not unrolled) jaxprs, compositions
// with vmap and jit, pytree structure (output tree of input tree), dtypes and weak types; and the
// jvp of the generic reduce_window, which jacfwd batches.
// Expected values: JAX 0.10.2 (CPU, float32) where stated, otherwise formulas evaluated in float64.
import { config, grad, hessian, jacfwd, jacrev, jit, jvp, lax, makeJaxpr, numpy as jnp, tree, vmap, type Array } from '../../lib/index.js';

const list = (x: unknown) => (x as Array).tolistSync();
const f32 = (values: unknown) => jnp.array(values as number[], { dtype: 'float32' });
const bits = (x: unknown) => globalThis.Array.from(new Uint32Array(new Float32Array(jnp.ravel(x as Array).tolistSync() as number[]).buffer));

function expectClose(actual: unknown, expected: unknown, rtol = 1e-5): void {
  if (globalThis.Array.isArray(expected)) {
    expect(globalThis.Array.isArray(actual) && actual.length === expected.length).toBe(true);
    expected.forEach((e: unknown, i: number) => expectClose((actual as unknown[])[i], e, rtol));
  } else expect(Math.abs((actual as number) - (expected as number))).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(expected as number)));
}

const primitiveNames = (jaxpr: { jaxpr: { eqns: { primitive: { name: string } }[] } }) => jaxpr.jaxpr.eqns.map((e) => e.primitive.name);
const count = (names: string[], name: string) => names.filter((n) => n === name).length;

describe('batched, not unrolled', () => {
  const f = (x: Array) => jnp.sin(x).mul(x);
  const x = jnp.linspace(-1, 1, 100, { dtype: 'float32' });

  test('jacfwd and jacrev of a 100-element function trace each per-element op once', () => {
    for (const jac of [jacfwd, jacrev]) {
      const closed = makeJaxpr(jac(f))(x);
      const names = primitiveNames(closed);
      expect([count(names, 'sin'), count(names, 'cos')]).toEqual([1, 1]);
      expect(names.length).toBeLessThan(20); // an unrolled loop has hundreds
      expect(closed.outAvals.map((a) => a.shape)).toEqual([[100, 100]]);
    }
    const hess = primitiveNames(makeJaxpr(hessian((v: Array) => f(v).sum()))(x));
    expect(hess.length).toBeLessThan(60);
    expect(count(hess, 'sin')).toBeLessThanOrEqual(2);
  });

  test('values: diag(x cos x + sin x), eagerly and under jit with identical bits', () => {
    const xs = list(x) as number[];
    const J = jacfwd(f)(x) as Array;
    const expected = xs.map((a, i) => xs.map((_, j) => (i === j ? a * Math.cos(a) + Math.sin(a) : 0)));
    expectClose(list(J), expected);
    expect(bits(jit(jacfwd(f))(x))).toEqual(bits(J));
    const R = jacrev(f)(x) as Array;
    expectClose(list(R), expected);
    expect(bits(jit(jacrev(f))(x))).toEqual(bits(R));
  });
});

describe('compositions with vmap and jit', () => {
  // f(x) = sin(x) · Σx: J_ij = δ_ij cos(x_i) Σx + sin(x_i)
  const f = (x: Array) => jnp.sin(x).mul(x.sum());
  const jac = (x: number[]) => {
    const s = x.reduce((a, b) => a + b, 0);
    return x.map((a, i) => x.map((_, j) => (i === j ? Math.cos(a) * s : 0) + Math.sin(a)));
  };
  const X = [[0.5, -1, 2], [1.5, 0.25, -0.75]];

  test('vmap(jacrev(f)) and vmap(jacfwd(f)): per-example Jacobians', () => {
    for (const j of [jacrev, jacfwd]) {
      const per = vmap(j(f))(f32(X)) as Array;
      expect(per.shape).toEqual([2, 3, 3]);
      expectClose(list(per), X.map(jac));
    }
  });

  test('jacrev(vmap(f)) and jacfwd(vmap(f)) are block diagonal over the batch', () => {
    const expected = X.map((_, b) => [0, 1, 2].map((i) => X.map((__, c) => [0, 1, 2].map((k) => (b === c ? jac(X[b]!)[i]![k]! : 0)))));
    for (const j of [jacrev, jacfwd]) {
      const J = j(vmap(f))(f32(X)) as Array;
      expect(J.shape).toEqual([2, 3, 2, 3]);
      expectClose(list(J), expected);
    }
  });

  test('jit(jacrev), jit(vmap(jacrev)) and jacrev(jit(f)) give the eager bits', () => {
    const x = f32(X[0]);
    const eager = jacrev(f)(x);
    expect(bits(jit(jacrev(f))(x))).toEqual(bits(eager));
    expect(bits(jacrev(jit(f))(x))).toEqual(bits(eager));
    expect(bits(jit(vmap(jacrev(f)))(f32(X)))).toEqual(bits(vmap(jacrev(f))(f32(X))));
  });
});

describe('hessian', () => {
  const rosenbrock = (x: Array) => {
    const next = x.slice([1]);
    const prev = x.slice([undefined, -1]);
    return jnp.sum(next.sub(prev.square()).square().mul(100).add(jnp.subtract(1, prev).square()));
  };
  // jax.hessian(rosen)(jnp.array([0.5, -1.2, 1.5, 0.3], jnp.float32)), JAX 0.10.2
  const H = [
    [782.0, -200.0, 0.0, 0.0],
    [-200.0, 1330.0001220703125, 480.0000305175781, 0.0],
    [0.0, 480.0000305175781, 2782.0, -600.0],
    [0.0, 0.0, -600.0, 200.0],
  ];

  test('Rosenbrock at (0.5, -1.2, 1.5, 0.3) is JAX 0.10.2\'s, eagerly and under jit', () => {
    const x = f32([0.5, -1.2, 1.5, 0.3]);
    const h = hessian(rosenbrock)(x) as Array;
    expect([h.shape, h.dtype]).toEqual([[4, 4], 'float32']);
    expectClose(list(h), H, 1e-6);
    expect(bits(jit(hessian(rosenbrock))(x))).toEqual(bits(h));
  });

  test('of a pytree argument: blocks [[H_aa, H_ab], [H_ba, H_bb]] as JAX', () => {
    // g(a, b) = Σ a² b + b³ with a: [2], b: scalar
    const g = (p: [Array, Array]) => p[0].square().mul(p[1]).sum().add(p[1].mul(p[1]).mul(p[1]));
    const h = hessian(g)([f32([1, 2]), f32(3)]) as Array[][];
    expect(tree.map((l: Array) => l.shape, h)).toEqual([[[2, 2], [2]], [[2], []]]);
    expect([list(h[0]![0]), list(h[0]![1]), list(h[1]![0]), list(h[1]![1])]).toEqual([[[6, 0], [0, 6]], [2, 4], [2, 4], 18]);
  });
});

describe('pytrees, options and dtypes as JAX', () => {
  const g = (p: { w: Array; v: Array }, y: [Array, Array]) => ({ a: p.w.mul(y[0]), b: [p.w.sum().mul(y[1]), jnp.matmul(p.v, p.w)] });
  const p = { w: f32([1, 2]), v: f32([[1, 2], [3, 4], [5, 6]]) };
  const y: [Array, Array] = [f32(3), f32(2)];
  // jax.jacfwd / jax.jacrev(g, argnums=(0, 1))(p, y) with JAX 0.10.2: structure, shapes and values
  const expected = {
    a: [{ v: [[[0, 0], [0, 0], [0, 0]], [[0, 0], [0, 0], [0, 0]]], w: [[3, 0], [0, 3]] }, [[1, 2], [0, 0]]],
    b: [
      [{ v: [[0, 0], [0, 0], [0, 0]], w: [2, 2] }, [0, 3]],
      [{ v: [[[1, 2], [0, 0], [0, 0]], [[0, 0], [1, 2], [0, 0]], [[0, 0], [0, 0], [1, 2]]], w: [[1, 2], [3, 4], [5, 6]] }, [[0, 0, 0], [0, 0, 0]]],
    ],
  };

  // PyTreeDef({'a': ({'v': *, 'w': *}, (*, *)), 'b': (({'v': *, 'w': *}, (*, *)), ({'v': *, 'w': *}, (*, *)))}) in JAX
  const structure = "PyTreeDef({'a': [{'v': *, 'w': *}, [*, *]], 'b': [[{'v': *, 'w': *}, [*, *]], [{'v': *, 'w': *}, [*, *]]]})";

  test('output tree of input tree, with argnums', () => {
    for (const jac of [jacfwd, jacrev]) {
      const J = jac(g, { argnums: [0, 1] })(p, y);
      expect(tree.structure(J).toString()).toBe(structure);
      expect(tree.map((l: Array) => l.tolistSync(), J)).toEqual(expected);
    }
  });

  test('hasAux; a constant output gives zeros; allowInt gives zero blocks of the int dtype (as JAX)', () => {
    const h = (x: Array) => [x.mul(x), { n: x.sum() }] as const;
    for (const jac of [jacfwd, jacrev]) {
      const [J, aux] = jac(h, { hasAux: true })(f32([1, 2])) as [Array, { n: Array }];
      expect([list(J), list(aux.n)]).toEqual([[[2, 0], [0, 4]], 3]);
      const Z = jac((x: Array) => jnp.ones([3], { dtype: 'float32' }).add(x.sum().mul(0)))(f32([1, 2])) as Array;
      expect(list(Z)).toEqual([[0, 0], [0, 0], [0, 0]]);
    }
    const [jx, jn] = jacrev((x: Array, n: Array) => x.mul(n.astype('float32')), { argnums: [0, 1], allowInt: true })(f32([1, 2]), jnp.array([3, 4])) as Array[];
    expect([list(jx), list(jn), jn!.dtype]).toEqual([[[3, 0], [0, 4]], [[0, 0], [0, 0]], 'int32']);
  });

  test('dtypes and weak types follow the output (jacfwd) and the input (jacrev); float64 under x64', () => {
    const double = (x: Array) => x.mul(2);
    expect([(jacfwd(double)(1.5) as Array).weakType, (jacrev(double)(1.5) as Array).weakType]).toEqual([true, true]);
    expect((jacfwd(double)(f32(1)) as Array).weakType).toBe(false);
    const i = jacfwd((x: Array) => x.mul(2).astype('int32'))(f32([1, 2])) as Array;
    expect([list(i), i.dtype]).toEqual([[[0, 0], [0, 0]], 'int32']);
    config.with({ enableX64: true }, () => {
      const x = jnp.array([1, 2], { dtype: 'float64' });
      for (const jac of [jacfwd, jacrev]) {
        const J = jac((v: Array) => v.mul(v))(x) as Array;
        expect([list(J), J.dtype]).toEqual([[[2, 0], [0, 4]], 'float64']);
      }
    });
  });

  test('errors: integer inputs', () => {
    expect(() => jacfwd((x: Array) => x)(jnp.array([1, 2]))).toThrow(
      'jacfwd requires real-valued inputs (input dtype that is a sub-dtype of np.floating), but got int32. For holomorphic differentiation, pass holomorphic=True. For differentiation of non-holomorphic functions involving complex inputs or integer inputs, use jax.jvp directly.',
    );
    expect(() => jacrev((x: Array) => x)(jnp.array([1, 2]))).toThrow(
      'jacrev requires real- or complex-valued inputs (input dtype that is a sub-dtype of np.inexact), but got int32. If you want to use Boolean- or integer-valued inputs, use vjp or set allow_int to True.',
    );
  });
});

describe('jvp of the generic reduce_window: a reduce_window over (primal, tangent) pairs, as JAX', () => {
  const x = f32([[1, 3, 2, 3], [0.5, -1, 4, 4]]);
  const t = f32([[1, 2, 3, 4], [5, 6, 7, 8]]);
  // an Array start value selects the generic reduce_window (JAX: a start that is not the identity)
  const cases = {
    add: (v: Array) => lax.reduceWindow(v, f32(5), 'add', [1, 2], [1, 1], 'VALID'),
    mul: (v: Array) => lax.reduceWindow(v, f32(2), 'mul', [1, 2], [1, 2], 'VALID'),
    max: (v: Array) => lax.reduceWindow(v, f32(-100), 'max', [2, 2], [1, 1], 'SAME'),
    min: (v: Array) => lax.reduceWindow(v, f32(10), 'min', [1, 2], [1, 1], [[0, 0], [1, 1]]),
  };
  // jax.jvp(case, (x,), (t,)) with JAX 0.10.2: ties in max/min share the tangent (7.5 = (7 + 8) / 2)
  const expected = {
    add: [[[9, 10, 10], [4.5, 8, 13]], [[3, 5, 7], [11, 13, 15]]],
    mul: [[[6, 12], [-1, 32]], [[10, 34], [-4, 120]]],
    max: [[[3, 4, 4, 4], [0.5, 4, 4, 4]], [[2, 7, 7.5, 8], [5, 7, 7.5, 8]]],
    min: [[[1, 1, 2, 2, 3], [0.5, -1, -1, 4, 4]], [[1, 1, 3, 3, 4], [5, 6, 6, 7.5, 8]]],
  };

  test('values as JAX\'s, eagerly and under jit (identical bits); one variadic reduce_window', () => {
    for (const [name, f] of Object.entries(cases)) {
      const [out, tOut] = jvp(f, [x], [t]);
      expect([list(out), list(tOut)]).toEqual(expected[name as keyof typeof cases]);
      const [jOut, jT] = jit((v: Array, w: Array) => jvp(f, [v], [w]))(x, t);
      expect([bits(jOut), bits(jT)]).toEqual([bits(out), bits(tOut)]);
    }
    const closed = makeJaxpr((v: Array, w: Array) => jvp(cases.max, [v], [w]))(x, t);
    const eqn = closed.jaxpr.eqns.find((e) => e.primitive.name === 'reduce_window')!;
    expect([count(primitiveNames(closed), 'reduce_window'), eqn.inputs.length, eqn.outVars.length]).toEqual([1, 4, 2]);
  });

  test('jacfwd batches the tangents (JAX\'s jvp over basis vectors: [[0, 1, 0, 0], [1, 0, 3, 3]])', () => {
    const J = jacfwd((v: Array) => cases.max(v).sum())(x) as Array;
    expect(list(J)).toEqual([[0, 1, 0, 0], [1, 0, 3, 3]]);
    const [out, jac] = [cases.add(x), jacfwd(cases.add)(x) as Array];
    expect([list(out), jac.shape]).toEqual([expected.add[0], [2, 3, 2, 4]]);
  });

  test('errors: a tangent for the start value, as JAX; no reverse mode (nor in JAX)', () => {
    expect(() => jvp((v: Array, i: Array) => lax.reduceWindow(v, i, 'add', [1, 2], [1, 1], 'VALID'), [x, f32(1)], [t, f32(1)])).toThrow(
      'reduce_window jvp does not support non-zero init_value_tangent.',
    );
    expect(() => grad((v: Array) => cases.add(v).sum())(x)).toThrow();
  });
});
