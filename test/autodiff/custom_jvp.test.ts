// customJvp, as jax.custom_jvp: the rule drives jvp, grad (linearize + transpose of its linear
// tangent computation), higher orders, jit in both orders and vmap. Expected values: JAX 0.10.2
// (its documentation's examples, run in Python) or formulas.
import { customJvp, grad, hessian, jit, jvp, lax, makeJaxpr, numpy as jnp, valueAndGrad, vmap, type Array } from '../../lib/index.js';

const item = (x: unknown) => Number((x as Array).item());
const list = (x: unknown) => (x as Array).tolistSync();
const f32 = (values: unknown) => jnp.array(values as number[], { dtype: 'float32' });

function expectClose(actual: unknown, expected: unknown, digits = 6): void {
  if (globalThis.Array.isArray(expected)) {
    expect(globalThis.Array.isArray(actual) && actual.length === expected.length).toBe(true);
    expected.forEach((e: unknown, i: number) => expectClose((actual as unknown[])[i], e, digits));
  } else expect(actual as number).toBeCloseTo(expected as number, digits);
}

// JAX's documentation example: f(x, y) = sin(x)·y with its JVP written out.
const f = customJvp(function f(x: Array, y: Array) {
  return jnp.sin(x).mul(y);
});
f.defjvp(function f_jvp([x, y], [dx, dy]) {
  return [f(x, y), jnp.cos(x).mul(dx).mul(y).add(jnp.sin(x).mul(dy))] as const;
});

// Numerically stable log(1 + e^x): the naive gradient is nan at x = 100.
const log1pexp = customJvp((x: Array) => jnp.log(jnp.exp(x).add(1)));
log1pexp.defjvp(([x], [dx]) => [log1pexp(x), dx.mul(jnp.exp(x).add(1).pow(-1).neg().add(1))] as const);

describe('customJvp', () => {
  test("JAX's f(x, y) = sin(x)·y: value, jvp, grad and grad of grad (2.7278922, -1.2484405, -2.7278922)", () => {
    expect(item(f(f32(2), f32(3)))).toBeCloseTo(2.7278922, 6);
    const [out, tangent] = jvp(f, [f32(2), f32(3)], [f32(1), f32(0)]);
    expect(item(out)).toBeCloseTo(2.7278922, 6);
    expect(item(tangent)).toBeCloseTo(-1.2484405, 6);
    expect(item(grad(f)(f32(2), f32(3)))).toBeCloseTo(-1.2484405, 6);
    expectClose(grad(f, { argnums: [0, 1] })(f32(2), f32(3)).map(item), [-1.2484405, 0.9092974]);
    expect(item(grad(grad(f))(f32(2), f32(3)))).toBeCloseTo(-2.7278922, 6);
  });

  test('the rule, not the function, is differentiated: log1pexp has gradient 1 at x = 100 where the naive one is nan', () => {
    const naive = (x: Array) => jnp.log(jnp.exp(x).add(1));
    expect(Number.isNaN(item(grad(naive)(f32(100))))).toBe(true);
    expect(item(grad(log1pexp)(f32(100)))).toBe(1);
    expect(item(log1pexp(f32(3)))).toBeCloseTo(3.0485873, 6);
    expect(item(jit(grad(log1pexp))(f32(3)))).toBeCloseTo(0.95257413, 6);
    expect(item(grad(grad(log1pexp))(f32(3)))).toBeCloseTo(0.04517666, 6);
  });

  test('under jit in both orders, identical to eager; the jaxpr holds a custom_jvp_call', () => {
    const x = f32([0.5, 1, 2]);
    const y = f32([3, -1, 0.25]);
    const g = (a: Array, b: Array) => f(a, b).sum();
    const eager = list(grad(g)(x, y));
    expect(list(jit(grad(g))(x, y))).toEqual(eager);
    expect(list(grad(jit(g))(x, y))).toEqual(eager);
    expect(list(jit(f)(x, y))).toEqual(list(f(x, y)));
    expectClose(eager as number[], [0.5, 1, 2].map((v, i) => Math.cos(v) * [3, -1, 0.25][i]!));
    const text = makeJaxpr(f)(f32(2), f32(3)).toString();
    expect(text).toContain('custom_jvp_call[');
    expect(text).toContain('jvp=f_jvp');
    expect(text).toContain('name=f');
    // grad traces the rule: no custom_jvp_call stays on the tangent side.
    expect(makeJaxpr(grad(f))(f32(2), f32(3)).toString()).toContain('cos');
  });

  test('zero tangents reach the rule instantiated as zeros (symbolic_zeros=False)', () => {
    const seen: boolean[] = [];
    const h = customJvp((x: Array, y: Array) => x.mul(y));
    h.defjvp(([x, y], [dx, dy]) => {
      seen.push(dx !== null && dy !== null && typeof dx === "object" && typeof dy === "object");
      return [h(x, y), dx.mul(y).add(x.mul(dy))] as const;
    });
    expect(item(grad(h)(f32(2), f32(5)))).toBe(5);
    const [, t] = jvp((x: Array) => h(x, f32(5)), [f32(2)], [f32(1)]);
    expect(item(t)).toBe(5);
    expect(seen).toEqual([true, true]);
  });

  test('nondiffArgnums: the rule takes the nondiff arguments first (JAX: app(f, x) with tangent 2·dx)', () => {
    const app = customJvp((fn: (x: Array) => Array, x: Array) => fn(x), { nondiffArgnums: [0] });
    app.defjvp((fn: (x: Array) => Array, [x]: Array[], [dx]: Array[]) => [app(fn, x), dx.mul(2)] as const);
    const cube = (x: Array) => x.mul(x).mul(x);
    expect(item(app(cube, f32(3)))).toBe(27);
    expect(item(grad((x: Array) => app(cube, x))(f32(3)))).toBe(2);
    expect(item(jit((x: Array) => app(cube, x))(f32(3)))).toBe(27);
  });

  test('defjvps: one rule per argument, summed (JAX docstring: value 1.68, gradient 1.08 at (1, 2))', () => {
    const g = customJvp((x: Array, y: Array) => jnp.sin(x).mul(y));
    g.defjvps(
      (dx: Array, _out: Array, x: Array, y: Array) => jnp.cos(x).mul(dx).mul(y),
      (dy: Array, _out: Array, x: Array) => jnp.sin(x).mul(dy),
    );
    const [v, gx] = valueAndGrad(g)(f32(1), f32(2));
    expect(item(v)).toBeCloseTo(1.682942, 6);
    expect(item(gx)).toBeCloseTo(1.0806046, 6);
    expect(item(grad(g, { argnums: 1 })(f32(1), f32(2)))).toBeCloseTo(0.841471, 6);
  });

  test('pytree arguments and outputs', () => {
    const h = customJvp((p: { a: Array; b: Array }) => ({ prod: p.a.mul(p.b), diff: p.a.sub(p.b) }));
    h.defjvp(([p], [dp]) => [h(p), { prod: dp.a.mul(p.b).add(p.a.mul(dp.b)), diff: dp.a.sub(dp.b) }] as const);
    const loss = (p: { a: Array; b: Array }) => {
      const o = h(p);
      return o.prod.sum().add(o.diff.mul(o.diff).sum());
    };
    const p = { a: f32([1, 2]), b: f32([3, -1]) };
    // d/da = b + 2(a - b), d/db = a - 2(a - b)
    const g = grad(loss)(p);
    expect(list(g.a)).toEqual([-1, 5]);
    expect(list(g.b)).toEqual([5, -4]);
    const gj = jit(grad(loss))(p);
    expect([list(gj.a), list(gj.b)]).toEqual([[-1, 5], [5, -4]]);
  });

  test('vmap: of the function, of its grad, grad of vmap, and under jit (JAX: [2.5244129, 3.6371896], [1.6209068, -1.6645874])', () => {
    const x = f32([1, 2]);
    const y = f32([3, 4]);
    expectClose(list(vmap(f)(x, y)), [2.5244129, 3.6371896]);
    expectClose(list(vmap(grad(f))(x, y)), [1.6209068, -1.6645874]);
    expectClose(list(jit(vmap(grad(f)))(x, y)), [1.6209068, -1.6645874]);
    expectClose(list(grad((a: Array) => vmap(f)(a, y).sum())(x)), [1.6209068, -1.6645874]);
    expectClose(list(vmap(grad(log1pexp))(f32([0, 2, 10]))), [0.5, 0.8807971, 0.9999546]);
    // An unbatched operand: vmap over x only.
    expectClose(list(vmap((a: Array) => grad(f)(a, f32(3)))(x)), [3 * Math.cos(1), 3 * Math.cos(2)]);
    expectClose(list(vmap(f, { inAxes: [0, null] })(x, f32(3))), [3 * Math.sin(1), 3 * Math.sin(2)]);
  });

  test('inside lax.scan and lax.cond, in a Hessian, and closing over a concrete array', () => {
    const sinC = customJvp((x: Array) => jnp.sin(x));
    sinC.defjvp(([x], [dx]) => [sinC(x), jnp.cos(x).mul(dx)] as const);
    const xs = f32([1, 2, 3]);
    const loop = (s: (x: Array) => Array) => (x: Array) => lax.scan((c: Array, k: Array) => [s(c).mul(k), c] as const, x, xs)[0];
    const expected = item(grad(loop(jnp.sin))(f32(0.5)));
    expect(item(grad(loop(sinC))(f32(0.5)))).toBeCloseTo(expected, 6);
    expect(item(jit(grad(loop(sinC)))(f32(0.5)))).toBeCloseTo(expected, 6);
    const branch = (x: Array) => lax.cond(x.greater(0), (y: Array) => sinC(y), (y: Array) => sinC(y).mul(2), x);
    expect(item(grad(branch)(f32(0.5)))).toBeCloseTo(Math.cos(0.5), 6);
    expect(item(grad(branch)(f32(-0.5)))).toBeCloseTo(2 * Math.cos(0.5), 6);
    const hess = hessian((x: Array) => sinC(x).sum())(f32([1, 2])) as Array;
    expectClose((hess.tolistSync() as number[][]).flat(), [-Math.sin(1), 0, 0, -Math.sin(2)]);
    const c = f32([2, 3]);
    const dotC = customJvp((x: Array) => x.mul(c).sum());
    dotC.defjvp(([x], [dx]) => [dotC(x), dx.mul(c).sum()] as const);
    expect(list(grad(dotC)(f32([1, 1])))).toEqual([2, 3]);
    expect(list(jit(grad(dotC))(f32([1, 1])))).toEqual([2, 3]);
  });

  test("errors, as JAX's", () => {
    const g = customJvp(function g(x: Array) {
      return jnp.sin(x);
    });
    expect(() => g(1)).toThrow('No JVP defined for custom_jvp function g using defjvp.');
    g.defjvp(function g_jvp([x], [dx]) {
      return [g(x), [dx, dx]] as const;
    });
    expect(() => jvp(g, [f32(1)], [f32(1)])).toThrow(
      'Custom JVP rule g_jvp for function g must produce primal and tangent outputs with equal container (pytree) structures, but got PyTreeDef(*) and PyTreeDef([*, *]) respectively.',
    );
    // defjvp again replaces the rule
    g.defjvp(([x]) => [g(x), jnp.ones([3])] as const);
    expect(() => jvp(g, [f32(1)], [f32(1)])).toThrow(
      'Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes. Expected float32[] (tangent type of float32[]) but got float32[3].',
    );
    g.defjvp(([x], [dx]) => [g(x), dx.astype('float16')] as const);
    expect(() => grad(g)(f32(1))).toThrow('Expected float32[] (tangent type of float32[]) but got float16[].');
    g.defjvp(([x], [dx]) => [jnp.ones([2]), dx] as const);
    expect(() => jvp(g, [f32(1)], [f32(1)])).toThrow('and in particular with leaves of the same shape/dtype), but instead the JVP rule output');
    g.defjvp(() => 3 as unknown as readonly [unknown, unknown]);
    expect(() => grad(g)(f32(1))).toThrow('must produce a pair (list or tuple of length two) representing primal and tangent outputs, but got 3.');
    // Differentiating with respect to a value the function closes over
    const outer = (y: Array) => {
      const h = customJvp((x: Array) => x.mul(y));
      h.defjvp(([x], [dx]) => [h(x), dx.mul(y)] as const);
      return h(f32(2));
    };
    expect(() => grad(outer)(f32(3))).toThrow('Detected differentiation of a custom_jvp function with respect to a closed-over value.');
  });
});
