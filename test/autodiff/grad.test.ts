// grad and its family: argnums, aux, allowInt, JAX's errors, Jacobians and Hessians,
// stopGradient, and compositions with jit in every order. Expected values come from formulas,
// hand computations in float64, JAX's documentation, or central finite differences (float64).
import { config, grad, hessian, jacfwd, jacobian, jacrev, jit, makeJaxpr, numpy as jnp, stopGradient, valueAndGrad, type Array } from '../../lib/index.js';

const list = (x: unknown) => (x as Array).tolistSync();
const item = (x: unknown) => Number((x as Array).item());
const f32 = (values: unknown) => jnp.array(values as number[], { dtype: 'float32' });
const f64 = (values: unknown) => jnp.array(values as number[], { dtype: 'float64' });
const x64 = <T>(fn: () => T): T => config.with({ enableX64: true }, fn);

function expectClose(actual: unknown, expected: unknown, digits = 5): void {
  if (globalThis.Array.isArray(expected)) {
    expect(globalThis.Array.isArray(actual) && actual.length === expected.length).toBe(true);
    expected.forEach((e: unknown, i: number) => expectClose((actual as unknown[])[i], e, digits));
  } else expect(actual as number).toBeCloseTo(expected as number, digits);
}

describe('grad', () => {
  test('of a scalar function; JS floats are weak, as Python floats', () => {
    const g = grad((x: Array) => jnp.tanh(x));
    expect(item(g(0.2))).toBeCloseTo(0.961043, 6); // JAX's docstring example
    expect(g(0.2).weakType).toBe(true);
    expect(g(f32(0.2)).weakType).toBe(false);
  });

  test('argnums: a number gives one gradient, an array gives an array of them, each shaped like its argument', () => {
    const f = (x: Array, p: { w: Array; b: Array }, y: Array) => jnp.sum(x.mul(p.w).add(p.b).mul(y));
    const args = [f32([1, 2]), { w: f32([3, 4]), b: f32([5, 6]) }, f32([7, 8])] as const;
    expect(list(grad(f)(...args))).toEqual([21, 32]);
    const gp = grad(f, { argnums: 1 })(...args);
    expect(list(gp.w)).toEqual([7, 16]);
    expect(list(gp.b)).toEqual([7, 8]);
    const [gx, gy] = grad(f, { argnums: [0, 2] })(...args);
    expect(list(gx)).toEqual([21, 32]);
    expect(list(gy)).toEqual([8, 14]);
  });

  test('hasAux, valueAndGrad, allowInt', () => {
    const f = (x: Array) => [x.mul(x).sum(), { norm: x.abs().sum() }] as const;
    const [g, aux] = grad(f, { hasAux: true })(f32([1, -2]));
    expect(list(g)).toEqual([2, -4]);
    expect(item(aux.norm)).toBe(3);
    const [v, g2] = valueAndGrad((x: Array) => x.mul(x).sum())(f32([1, -2]));
    expect(item(v)).toBe(5);
    expect(list(g2)).toEqual([2, -4]);
    const [[v3, aux3], g3] = valueAndGrad(f, { hasAux: true })(f32([3]));
    expect([item(v3), item(aux3.norm), list(g3)]).toEqual([9, 3, [6]]);
    const [gx, gn] = grad((x: Array, n: Array) => x.mul(n.astype('float32')).sum(), { argnums: [0, 1], allowInt: true })(f32([1, 2]), jnp.array([3, 4]));
    expect(list(gx)).toEqual([3, 4]);
    expect(gn).toBeNull(); // float0
  });

  test("errors, as JAX's", () => {
    expect(() => grad((x: Array) => x.mul(2))(f32([1, 2, 3]))).toThrow('Gradient only defined for scalar-output functions. Output had shape: [3].');
    expect(() => grad((x: Array) => x.mul(2))(f32([1]))).toThrow('To get the gradient, extract the scalar with output.reshape([]) or output.slice(0), reduce the output');
    expect(() => grad((x: Array) => x.mul(2))(jnp.array(3))).toThrow(
      'grad requires real- or complex-valued inputs (input dtype that is a sub-dtype of np.inexact), but got int32. If you want to use Boolean- or integer-valued inputs, use vjp or set allow_int to True.',
    );
    expect(() => grad((x: Array) => x.astype('int32').sum())(f32([1.5]))).toThrow(
      'grad requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but got int32. For differentiation of functions with integer outputs, use jax.vjp directly.',
    );
    expect(() => grad((x: Array, y: Array) => x.mul(y), { argnums: [0, 2] })(f32(1), f32(2))).toThrow(
      'differentiating with respect to argnums=(0, 2) requires at least 3 positional arguments to be passed by the caller, but got only 2 positional arguments.',
    );
  });
});

describe('Jacobians and Hessians', () => {
  // JAX's docstring example, built from dots (no slicing): [x0, 5 x2, 4 x1² - 2 x2, x2 sin x0]
  const e = (n: number, i: number) => f32(globalThis.Array.from({ length: n }, (_, k) => (k === i ? 1 : 0)));
  const f = (x: Array) => {
    const [x0, x1, x2] = [0, 1, 2].map((i) => jnp.dot(x, e(3, i)));
    return e(4, 0).mul(x0!).add(e(4, 1).mul(x2!.mul(5))).add(e(4, 2).mul(x1!.mul(x1!).mul(4).sub(x2!.mul(2)))).add(e(4, 3).mul(x2!.mul(jnp.sin(x0!))));
  };
  const expected = [[1, 0, 0], [0, 0, 5], [0, 16, -2], [3 * Math.cos(1), 0, Math.sin(1)]];

  test('jacfwd, jacrev and jacobian agree with JAX (1.6209, 0.84147 in the last row)', () => {
    const x = f32([1, 2, 3]);
    expectClose(list(jacfwd(f)(x)), expected);
    expectClose(list(jacrev(f)(x)), expected);
    expectClose(list(jacobian(f)(x)), expected);
  });

  test('pytrees: outputs, then arguments at argnums', () => {
    const g = (x: Array, y: Array) => ({ s: x.mul(y).sum(), v: x.mul(2) });
    for (const jac of [jacfwd, jacrev]) {
      const J = jac(g, { argnums: [0, 1] })(f32([1, 2]), f32([3, 4])) as { s: Array[]; v: Array[] };
      expect(list(J.s[0])).toEqual([3, 4]);
      expect(list(J.s[1])).toEqual([1, 2]);
      expect(list(J.v[0])).toEqual([[2, 0], [0, 2]]);
      expect(list(J.v[1])).toEqual([[0, 0], [0, 0]]);
    }
  });

  // Rosenbrock, with x[1:] and x[:-1] as products with shift matrices
  const rosenbrock = (x: Array) => {
    const n = x.shape[0]!;
    const shift = (offset: number) => f32(globalThis.Array.from({ length: n - 1 }, (_, i) => globalThis.Array.from({ length: n }, (_, j) => (j === i + offset ? 1 : 0))));
    const next = jnp.matmul(shift(1), x);
    const prev = jnp.matmul(shift(0), x);
    return jnp.sum(next.sub(prev.mul(prev)).square().mul(100).add(prev.neg().add(1).square()));
  };

  test('hessian = jacfwd(jacrev(f)): Rosenbrock at (1, 1) is [[802, -400], [-400, 200]]', () => {
    expect(list(hessian(rosenbrock)(f32([1, 1])))).toEqual([[802, -400], [-400, 200]]);
    expect(list(jit(hessian(rosenbrock))(f32([1, 1, 1])))).toEqual([[802, -400, 0], [-400, 1002, -400], [0, -400, 200]]);
    expect(list(grad(rosenbrock)(f32([1, 1])))).toEqual([0, 0]);
  });
});

describe('stopGradient', () => {
  test('cuts tangents, at every level and through jit', () => {
    expect(item(grad((x: Array) => stopGradient(x).mul(x))(f32(3)))).toBe(3);
    expect(item(grad((x: Array) => stopGradient(x.mul(x)))(f32(3)))).toBe(0);
    expect(item(grad(jit((x: Array) => stopGradient(x).mul(x)))(f32(3)))).toBe(3);
    // d²/dx² of s·x² with s constant is 2s (not 4x, as if s only stopped the inner gradient)
    expect(item(grad(grad((x: Array) => stopGradient(x).mul(x.mul(x))))(f32(3)))).toBe(6);
    const tree = stopGradient({ a: f32([1]), n: jnp.array([2]) });
    expect([list(tree.a), list(tree.n), tree.n.dtype]).toEqual([[1], [2], 'int32']);
    expect(makeJaxpr((x: Array) => stopGradient(x))(f32(1)).toString()).toContain('stop_gradient');
  });
});

describe('compositions', () => {
  test('grad of grad of grad: d³/dx³ sin at 0.5 is -cos(0.5)', () => {
    const d3 = grad(grad(grad((x: Array) => jnp.sin(x))));
    expect(item(d3(f32(0.5)))).toBeCloseTo(-Math.cos(0.5), 6);
    expect(item(jit(d3)(f32(0.5)))).toBeCloseTo(-Math.cos(0.5), 6);
    expect(item(grad(grad(grad(jit(jnp.sin))))(f32(0.5)))).toBeCloseTo(-Math.cos(0.5), 6);
    expect(item(grad(jit(grad(grad(jnp.sin))))(f32(0.5)))).toBeCloseTo(-Math.cos(0.5), 6);
  });

  test('jit(grad(f)), grad(jit(f)), and grad through a jitted inner function agree', () => {
    const inner = jit((x: Array, w: Array) => jnp.tanh(x.mul(w)));
    const f = (x: Array) => inner(x, f32([0.5, -1, 2])).mul(x).sum();
    const g = (x: Array) => jnp.tanh(x.mul(f32([0.5, -1, 2]))).mul(x).sum();
    const x = f32([0.3, 0.7, -1.1]);
    const expected = list(grad(g)(x)) as number[];
    for (const h of [grad(f), jit(grad(f)), grad(jit(f)), jit(grad(jit(f))), grad(jit(g)), jit(grad(g))]) expectClose(list(h(x)), expected, 6);
    // by hand: d/dx x·tanh(w x) = tanh(w x) + w x (1 - tanh²(w x))
    expectClose(expected, [0.5, -1, 2].map((w, i) => {
      const xi = [0.3, 0.7, -1.1][i]!;
      const t = Math.tanh(w * xi);
      return t + w * xi * (1 - t * t);
    }), 5);
  });

  test("the seed MLP: jit(grad(loss)) matches central finite differences in float64", () =>
    x64(() => {
      const predict = (params: [Array, Array][], inputs: Array) => {
        let outputs = inputs;
        for (const [W, b] of params) {
          outputs = jnp.dot(inputs, W).add(b);
          inputs = jnp.tanh(outputs);
        }
        return outputs;
      };
      const loss = (params: [Array, Array][], inputs: Array, targets: Array) => jnp.sum(predict(params, inputs).sub(targets).square());
      const values = (n: number, seed: number) => globalThis.Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 0.8);
      const shapes: [number[], number[]][] = [[[3, 4], [4]], [[4, 2], [2]]];
      const raw = shapes.map(([w, b], l) => [values(w[0]! * w[1]!, l + 1), values(b[0]!, l + 5)]);
      const build = (r: number[][]) => shapes.map(([w, b], l) => [f64(r[2 * l]).reshape(w), f64(r[2 * l + 1]).reshape(b)] as [Array, Array]);
      const flatRaw = raw.flat();
      const inputs = f64(values(15, 9)).reshape([5, 3]);
      const targets = f64(values(10, 11)).reshape([5, 2]);
      const grads = jit(grad(loss))(build(flatRaw), inputs, targets);
      const flatGrads = grads.flat().map((g) => list(g.reshape([-1])) as number[]);
      const jitLoss = jit(loss);
      const eps = 1e-6;
      flatRaw.forEach((leaf, li) =>
        leaf.forEach((_, k) => {
          const at = (delta: number) => item(jitLoss(build(flatRaw.map((l, j) => (j === li ? l.map((v, m) => (m === k ? v + delta : v)) : l))), inputs, targets));
          expect(flatGrads[li]![k]!).toBeCloseTo((at(eps) - at(-eps)) / (2 * eps), 6);
        }),
      );
      // eager grad and grad(jit) agree with the jitted one
      const eager = grad(loss)(build(flatRaw), inputs, targets).flat().map((g) => list(g.reshape([-1])) as number[]);
      expectClose(eager, flatGrads, 12);
      expectClose(grad(jitLoss)(build(flatRaw), inputs, targets).flat().map((g) => list(g.reshape([-1])) as number[]), flatGrads, 12);
    }));

  test('nested differentiation keeps perturbations apart; jit closes over an outer tracer', () => {
    // d/dx [x · d/dy (x + y)] = d/dx [x · 1] = 1 (2 if the inner grad confused x's tangent for y's)
    expect(item(grad((x: Array) => x.mul(grad((y: Array) => x.add(y).mul(1))(f32(3))))(f32(2)))).toBe(1);
    expect(item(grad((x: Array) => jit((y: Array) => x.mul(y))(f32(2)))(f32(3)))).toBe(2);
    expect(item(grad((x: Array) => jit((y: Array) => jnp.sin(x).mul(y))(x))(f32(0.5)))).toBeCloseTo(Math.cos(0.5) * 0.5 + Math.sin(0.5), 6);
  });

  test('a closure over a JS loop', () => {
    const weights = [0.5, -1.5, 2];
    const f = (x: Array) => {
      let acc = x;
      for (const w of weights) acc = jnp.sin(acc.mul(w)).add(acc);
      return acc;
    };
    // by hand: a ← sin(w a) + a, da ← (w cos(w a) + 1) da
    let a = 0.3;
    let da = 1;
    for (const w of weights) {
      da *= w * Math.cos(w * a) + 1;
      a = Math.sin(w * a) + a;
    }
    expect(item(grad(f)(f32(0.3)))).toBeCloseTo(da, 5);
    expect(item(jit(grad(f))(f32(0.3)))).toBeCloseTo(da, 5);
  });

  test('softmax cross-entropy from jnp functions: the gradient is (softmax - labels) / batch', () => {
    const logSoftmax = (x: Array) => {
      const shifted = x.sub(stopGradient(x.max(-1, { keepdims: true })));
      return shifted.sub(jnp.log(jnp.exp(shifted).sum(-1, { keepdims: true })));
    };
    const loss = (logits: Array, labels: Array) => logSoftmax(logits).mul(labels).sum(-1).mean().neg();
    const logits = [[1, 2, 0.5], [-1, 0, 3]];
    const labels = [[0, 1, 0], [1, 0, 0]];
    const expected = logits.map((row, i) => {
      const z = row.reduce((s, v) => s + Math.exp(v), 0);
      return row.map((v, j) => (Math.exp(v) / z - labels[i]![j]!) / 2);
    });
    expectClose(list(grad(loss)(f32(logits), f32(labels))), expected, 6);
    expectClose(list(jit(grad(loss))(f32(logits), f32(labels))), expected, 6);
  });

  test('layer norm from jnp functions: d/dβ is the summed weight; d/dx sums to zero per row', () => {
    const layerNorm = (x: Array, gamma: Array, beta: Array) => {
      const mean = x.mean(-1, { keepdims: true });
      const centered = x.sub(mean);
      const variance = centered.square().mean(-1, { keepdims: true });
      return centered.div(jnp.sqrt(variance.add(1e-5))).mul(gamma).add(beta);
    };
    const w = f32([[1, -2, 3, 0.5], [0.2, 0.1, -1, 2]]);
    const loss = (x: Array, gamma: Array, beta: Array) => layerNorm(x, gamma, beta).mul(w).sum();
    const x = f32([[0.3, -1.2, 2.5, 0.7], [1, 2, 3, 4]]);
    const [gx, , gb] = jit(grad(loss, { argnums: [0, 1, 2] }))(x, f32([1, 2, 1, 0.5]), f32([0, 0, 0, 0]));
    expectClose(list(gb), [1.2, -1.9, 2, 2.5], 5);
    (list(gx.sum(-1)) as number[]).forEach((s) => expect(s).toBeCloseTo(0, 4));
  });
});
