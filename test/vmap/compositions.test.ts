// vmap composed with the other transformations: vmap(grad), grad(vmap), jit(vmap), vmap(jit),
// vmap(vmap), jvp/vjp/jacfwd/jacrev/hessian under vmap, and the seed program's per-example
// gradients. Expected values: formulas evaluated in float64 in JS, or the transformation applied
// to each example and stacked.
import { grad, hessian, jacfwd, jacrev, jit, jvp, makeJaxpr, numpy as jnp, valueAndGrad, vjp, vmap, type Array } from '../../lib/index.js';
import { batchJaxpr } from '../../lib/interpreters/batching.js';
import { flatValues, makeArray, uniform } from './helpers.js';

const list = (x: unknown) => (x as Array).tolistSync();
const f32 = (values: unknown) => jnp.array(values as number[], { dtype: 'float32' });
const rows = (values: number[][]) => f32(values);

function expectClose(actual: unknown, expected: unknown, tol = 1e-6): void {
  if (globalThis.Array.isArray(expected)) {
    expect(globalThis.Array.isArray(actual) && actual.length === expected.length).toBe(true);
    expected.forEach((e: unknown, i: number) => expectClose((actual as unknown[])[i], e, tol));
  } else {
    const [a, e] = [actual as number, expected as number];
    if (Math.abs(a - e) > tol * Math.max(1, Math.abs(e))) expect(a).toBe(e);
  }
}

const X = [[0.5, -1, 2], [1.5, 0.25, -0.75]];

describe('vmap with grad', () => {
  test('vmap(grad(f)): per-example gradients, d/dx Σ x·sin(x) = sin(x) + x·cos(x)', () => {
    const f = (x: Array) => x.mul(jnp.sin(x)).sum();
    const expected = X.map((r) => r.map((v) => Math.sin(v) + v * Math.cos(v)));
    expectClose(list(vmap(grad(f))(rows(X))), expected);
    expectClose(list(jit(vmap(grad(f)))(rows(X))), expected);
    // mapped along axis 1, gradients stacked along axis 1
    expectClose(list(vmap(grad(f), { inAxes: 1, outAxes: 1 })(rows(X))), expected);
  });

  test('grad of a function that uses vmap inside: d/dw Σ_i tanh(x_i·w) = Σ_i (1 - tanh²(x_i·w)) x_i', () => {
    const w = [0.3, -0.2, 0.1];
    const g = (wv: Array, xs: Array) => vmap((x: Array) => jnp.tanh(jnp.dot(x, wv)))(xs).sum();
    const expected = w.map((_, j) => X.reduce((acc, x) => acc + (1 - Math.tanh(x[0]! * w[0]! + x[1]! * w[1]! + x[2]! * w[2]!) ** 2) * x[j]!, 0));
    expectClose(list(grad(g)(f32(w), rows(X))), expected);
    expectClose(list(jit(grad(g))(f32(w), rows(X))), expected);
    // and with respect to the mapped argument: row i gets (1 - tanh²(x_i·w)) w
    const gx = grad(g, { argnums: 1 })(f32(w), rows(X));
    expectClose(list(gx), X.map((x) => w.map((wj) => (1 - Math.tanh(x[0]! * w[0]! + x[1]! * w[1]! + x[2]! * w[2]!) ** 2) * wj)));
  });

  test('valueAndGrad, jvp and vjp under vmap', () => {
    const [v, g] = vmap(valueAndGrad((x: Array) => x.square().sum()))(rows(X));
    expectClose(list(v), X.map((r) => r.reduce((a, b) => a + b * b, 0)));
    expectClose(list(g), X.map((r) => r.map((b) => 2 * b)));
    const tangent = vmap((x: Array) => jvp((y: Array) => jnp.sin(y), [x], [jnp.onesLike(x)])[1])(rows(X));
    expectClose(list(tangent), X.map((r) => r.map(Math.cos)));
    const cotangent = vmap((x: Array) => vjp((y: Array) => jnp.exp(y), x)[1](jnp.onesLike(x))[0])(rows(X));
    expectClose(list(cotangent), X.map((r) => r.map(Math.exp)), 1e-5);
  });
});

describe('vmap with jit', () => {
  const f = (x: Array, w: Array) => jnp.tanh(jnp.dot(x, w)).add(1);
  const W = rows([[1, 0.5], [-0.5, 0.25], [0.125, 2]]);
  const expected = X.map((x) => [0, 1].map((j) => Math.tanh(x[0]! * [1, 0.5][j]! + x[1]! * [-0.5, 0.25][j]! + x[2]! * [0.125, 2][j]!) + 1));

  test('jit(vmap(f)) and vmap(jit(f)) equal vmap(f)', () => {
    const eager = vmap(f, { inAxes: [0, null] })(rows(X), W);
    expectClose(list(eager), expected);
    expect(flatValues(jit(vmap(f, { inAxes: [0, null] }))(rows(X), W))).toEqual(flatValues(eager));
    expect(flatValues(vmap(jit(f), { inAxes: [0, null] })(rows(X), W))).toEqual(flatValues(eager));
    expect(flatValues(jit(vmap(jit(f), { inAxes: [0, null] }))(rows(X), W))).toEqual(flatValues(eager));
  });

  test('vmap(jit(f)) is a call of the batched jaxpr, batched once per axes and size', () => {
    const inner = jit(f);
    const printed = String(makeJaxpr(vmap(inner, { inAxes: [1, null] }))(rows(X).T, W));
    expect(printed).toContain('pjit');
    expect(printed).toMatch(/dot_general\[dimension_numbers=\(\(\(0,\), \(0,\)\), \(\(\), \(\)\)\)/); // x's batch axis (1) stays a free axis
    const closed = inner.lower(f32([1, 2, 3]), W).jaxpr;
    const once = batchJaxpr(closed, [0, null], 2);
    expect(batchJaxpr(closed, [0, null], 2)).toBe(once);
    expect(batchJaxpr(closed, [1, null], 2)).not.toBe(once);
    expect(once.outDims).toEqual([0]);
    vmap(inner, { inAxes: [0, null] })(rows(X), W);
    vmap(inner, { inAxes: [0, null] })(rows(X), W);
    expect(inner.stats.traces).toBe(1); // the per-example program was traced once
  });

  test('through jitted functions in every order: vmap(grad(jit(f))), grad(vmap(jit(f))), jit(vmap(grad(jit(f))))', () => {
    const g = jit((x: Array) => x.mul(jnp.sin(x)).sum());
    const expected = X.map((r) => r.map((v) => Math.sin(v) + v * Math.cos(v)));
    expectClose(list(vmap(grad(g))(rows(X))), expected);
    expectClose(list(grad((xs: Array) => vmap(g)(xs).sum())(rows(X))), expected);
    expectClose(list(jit(vmap(grad(g), { inAxes: 1, outAxes: 1 }))(rows(X))), expected);
  });

  test('an unbatched result of a jitted function stays unbatched inside, and is broadcast outside', () => {
    const g = jit((x: Array, w: Array) => [x.sum(), w.sum()] as const);
    const [s, t] = vmap(g, { inAxes: [0, null] })(rows(X), W);
    expectClose(list(s), [1.5, 1]);
    expectClose(list(t), [3.375, 3.375]);
  });
});

describe('vmap of vmap', () => {
  test('with different axes equals the double loop', () => {
    const a = rows([[1, 2, 3], [4, 5, 6]]);
    const b = rows([[10, 20], [30, 40], [50, 60]]);
    // out[i][j] = a[i][j] * b[j][i] over i (a's axis 0, b's axis 1) then j
    const f = vmap(vmap((x: Array, y: Array) => x.mul(y), { inAxes: [0, 0] }), { inAxes: [0, 1] });
    expect(list(f(a, b))).toEqual([[10, 60, 150], [80, 200, 360]]);
    // mapped output axes in the other order
    const g = vmap(vmap((x: Array, y: Array) => x.mul(y), { inAxes: [0, 0], outAxes: 0 }), { inAxes: [0, 1], outAxes: 1 });
    expect(list(g(a, b))).toEqual([[10, 80], [60, 200], [150, 360]]);
    expect(list(jit(g)(a, b))).toEqual([[10, 80], [60, 200], [150, 360]]);
  });

  test('per-example grads of a pairwise function (vmap(vmap(grad)))', () => {
    const f = (x: Array, y: Array) => x.mul(y).square(); // d/dx = 2xy²
    const xs = f32([1, 2]);
    const ys = f32([3, 4, 5]);
    const gs = vmap(vmap(grad(f), { inAxes: [null, 0] }), { inAxes: [0, null] })(xs, ys);
    expect(list(gs)).toEqual([[18, 32, 50], [36, 64, 100]]);
  });
});

describe('Jacobians', () => {
  // f(x) = sin(x)·Σx: J = diag(cos(x)·Σx) + sin(x) 1ᵀ
  const f = (x: Array) => jnp.sin(x).mul(x.sum());
  const jac = (x: number[]) => {
    const s = x.reduce((a, b) => a + b, 0);
    return x.map((xi, i) => x.map((_, j) => (i === j ? Math.cos(xi) * s : 0) + Math.sin(xi)));
  };

  test('jacfwd and jacrev are still the Jacobian, and compose with vmap', () => {
    expectClose(list(jacfwd(f)(f32(X[0]))), jac(X[0]!));
    expectClose(list(jacrev(f)(f32(X[1]))), jac(X[1]!));
    expectClose(list(vmap(jacfwd(f))(rows(X))), X.map(jac));
    expectClose(list(vmap(jacrev(f))(rows(X))), X.map(jac));
    // the Jacobian of a vmapped function is block diagonal
    const J = jacrev(vmap(f))(rows(X)) as Array;
    expect(J.shape).toEqual([2, 3, 2, 3]);
    expectClose(list(J), X.map((x, i) => jac(x).map((row) => X.map((_, k) => (k === i ? row : row.map(() => 0))))));
  });

  test('hessian under vmap: Σx³ has Hessian diag(6x)', () => {
    const h = vmap(hessian((x: Array) => x.mul(x).mul(x).sum()))(rows(X));
    expectClose(list(h), X.map((x) => x.map((xi, i) => x.map((_, j) => (i === j ? 6 * xi : 0)))));
  });
});

describe('the seed program (DESIGN.md): per-example gradients of an MLP', () => {
  type Params = [Array, Array][];
  function predict(params: Params, inputs: Array): Array {
    let outputs = inputs;
    for (const [W, b] of params) {
      outputs = jnp.dot(inputs, W).add(b);
      inputs = jnp.tanh(outputs);
    }
    return outputs;
  }
  const loss = (params: Params, inputs: Array, targets: Array) => jnp.sum(predict(params, inputs).sub(targets).square());

  const sizes = [4, 5, 3];
  const batch = 6;
  const host = (n: number, seed: number, scale = 1) => globalThis.Array.from({ length: n }, (_, k) => (uniform(k + seed) - 0.5) * 2 * scale);
  const params: Params = sizes.slice(1).map((m, l) => {
    const n = sizes[l]!;
    return [makeArray(host(n * m, 100 * l, 1 / Math.sqrt(n)), [n, m], 'float32'), makeArray(host(m, 100 * l + 50, 0.1), [m], 'float32')];
  });
  const inputsHost = host(batch * sizes[0]!, 7);
  const targetsHost = host(batch * sizes[2]!, 11);
  const inputs = makeArray(inputsHost, [batch, sizes[0]!], 'float32');
  const targets = makeArray(targetsHost, [batch, sizes[2]!], 'float32');

  test('jit(vmap(grad(loss), { inAxes: [null, 0, 0] })) equals grad(loss) on each example, stacked', () => {
    const perExample = jit(vmap(grad(loss), { inAxes: [null, 0, 0] }));
    const grads = perExample(params, inputs, targets) as unknown as Params;
    const eager = vmap(grad(loss), { inAxes: [null, 0, 0] })(params, inputs, targets) as unknown as Params;
    const gradLoss = jit(grad(loss));
    const each = globalThis.Array.from({ length: batch }, (_, i) => {
      const x = makeArray(inputsHost.slice(i * sizes[0]!, (i + 1) * sizes[0]!), [sizes[0]!], 'float32');
      const t = makeArray(targetsHost.slice(i * sizes[2]!, (i + 1) * sizes[2]!), [sizes[2]!], 'float32');
      return gradLoss(params, x, t) as unknown as Params;
    });
    params.forEach(([W, b], l) => {
      for (const [k, p] of [[0, W], [1, b]] as const) {
        const got = grads[l]![k];
        expect(got.shape).toEqual([batch, ...p.shape]);
        const stacked = each.flatMap((g) => flatValues(g[l]![k]) as number[]);
        expectClose(flatValues(got), stacked, 1e-6);
        expectClose(flatValues(eager[l]![k]), stacked, 1e-6);
      }
    });
    // their mean is the gradient of the mean loss
    const meanLoss = (ps: Params, xs: Array, ts: Array) => vmap(loss, { inAxes: [null, 0, 0] })(ps, xs, ts).mean();
    const full = grad(meanLoss)(params, inputs, targets) as unknown as Params;
    expectClose(flatValues(full[0]![0]), flatValues(grads[0]![0].mean(0)), 1e-6);
  });
});
