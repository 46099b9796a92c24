// customVjp, as jax.custom_vjp: grad uses fwd and bwd (bwd is the transpose of custom_lin), with
// nondiff arguments, pytrees, jit in both orders, vmap, grad of grad through bwd, and JAX's errors.
// Expected values: JAX 0.10.2 (its documentation's examples, run in Python) or formulas.
import { customVjp, grad, jit, jvp, lax, makeJaxpr, numpy as jnp, vjp, vmap, type Array } from '../../lib/index.js';

const item = (x: unknown) => Number((x as Array).item());
const list = (x: unknown) => (x as Array).tolistSync();
const f32 = (values: unknown) => jnp.array(values as number[], { dtype: 'float32' });

function expectClose(actual: unknown, expected: unknown, digits = 6): void {
  if (globalThis.Array.isArray(expected)) {
    expect(globalThis.Array.isArray(actual) && actual.length === expected.length).toBe(true);
    expected.forEach((e: unknown, i: number) => expectClose((actual as unknown[])[i], e, digits));
  } else expect(actual as number).toBeCloseTo(expected as number, digits);
}

// JAX's documentation example: f(x, y) = sin(x)·y, residuals (cos x, sin x, y).
const f = customVjp(function f(x: Array, y: Array) {
  return jnp.sin(x).mul(y);
});
f.defvjp(
  function f_fwd(x: Array, y: Array) {
    return [f(x, y), [jnp.cos(x), jnp.sin(x), y]] as const;
  },
  function f_bwd([cosX, sinX, y]: Array[], g: Array) {
    return [cosX.mul(g).mul(y), sinX.mul(g)];
  },
);

// JAX's clip_gradient: the identity, whose backward pass clips the cotangent to [lo, hi].
const clipGradient = customVjp((lo: number, hi: number, x: Array) => x);
clipGradient.defvjp(
  (lo: number, hi: number, x: Array) => [x, [lo, hi]] as const,
  ([lo, hi]: Array[], g: Array) => [null, null, jnp.clip(g, lo, hi)],
);
const fun = (x: Array) => jnp.sin(clipGradient(-0.75, 0.75, x));

describe('customVjp', () => {
  test("JAX's f(x, y) = sin(x)·y: value, grad by fwd/bwd, grad of grad through bwd", () => {
    expect(item(f(f32(2), f32(3)))).toBeCloseTo(2.7278922, 6);
    expect(item(grad(f)(f32(2), f32(3)))).toBeCloseTo(-1.2484405, 6);
    expectClose(grad(f, { argnums: [0, 1] })(f32(2), f32(3)).map(item), [-1.2484405, 0.9092974]);
    expect(item(grad(grad(f))(f32(2), f32(3)))).toBeCloseTo(-2.7278922, 6);
    const [out, vjpFn] = vjp(f, f32([1, 2]), f32([3, 4]));
    expectClose(list(out), [2.5244129, 3.6371896]);
    expectClose(list(vjpFn(f32([1, 1]))[1]), [Math.sin(1), Math.sin(2)]);
  });

  test('clip_gradient: the backward pass is the rule (cos clipped to ±0.75), not the derivative of the function', () => {
    expect(item(grad(fun)(f32(0)))).toBe(0.75);
    expect(item(grad(fun)(f32(2)))).toBeCloseTo(-0.41614684, 6);
    expect(item(grad(fun)(f32(3)))).toBe(-0.75);
    expect(item(fun(f32(0)))).toBe(0);
    expectClose(list(vmap(grad(fun))(f32([0, 2, 3]))), [0.75, -0.41614684, -0.75]);
    expectClose(list(jit(vmap(grad(fun)))(f32([0, 2, 3]))), [0.75, -0.41614684, -0.75]);
  });

  test('under jit in both orders, identical to eager; the jaxpr holds a custom_vjp_call', () => {
    const x = f32([0.5, 1, 2]);
    const y = f32([3, -1, 0.25]);
    const g = (a: Array, b: Array) => f(a, b).sum();
    const eager = list(grad(g)(x, y));
    expect(list(jit(grad(g))(x, y))).toEqual(eager);
    expect(list(grad(jit(g))(x, y))).toEqual(eager);
    expect(list(jit(f)(x, y))).toEqual(list(f(x, y)));
    const text = makeJaxpr(f)(f32(2), f32(3)).toString();
    expect(text).toContain('custom_vjp_call[');
    expect(text).toContain('fwd=f_fwd');
    expect(text).toContain('bwd=f_bwd');
  });

  test('nondiffArgnums: fwd takes every argument, bwd the nondiff ones first (JAX: gradient 5)', () => {
    const app = customVjp((fn: (x: Array) => Array, x: Array) => fn(x), { nondiffArgnums: [0] });
    app.defvjp(
      (fn: (x: Array) => Array, x: Array) => [app(fn, x), x] as const,
      (_fn: (x: Array) => Array, _x: Array, g: Array) => [g.mul(5)],
    );
    const square = (x: Array) => x.mul(x);
    expect(item(app(square, f32(4)))).toBe(16);
    expect(item(grad((x: Array) => app(square, x))(f32(4)))).toBe(5);
    expect(item(jit(grad((x: Array) => app(square, x)))(f32(4)))).toBe(5);
  });

  test('pytree arguments, residuals and outputs; null cotangents for a whole argument or a leaf', () => {
    type P = { w: Array; b: Array };
    const layer = customVjp((p: P, x: Array) => ({ y: p.w.mul(x).add(p.b), x2: x.mul(x) }));
    layer.defvjp(
      (p: P, x: Array) => [layer(p, x), { w: p.w, x }] as const,
      (res: { w: Array; x: Array }, ct: { y: Array; x2: Array }) => [{ w: ct.y.mul(res.x), b: null }, ct.y.mul(res.w).add(ct.x2.mul(res.x).mul(2))],
    );
    const loss = (p: P, x: Array) => {
      const o = layer(p, x);
      return o.y.sum().add(o.x2.sum());
    };
    const p = { w: f32([2, 3]), b: f32([1, 1]) };
    const x = f32([0.5, -1]);
    const [gp, gx] = grad(loss, { argnums: [0, 1] })(p, x);
    expect(list(gp.w)).toEqual([0.5, -1]);
    expect(list(gp.b)).toEqual([0, 0]); // bwd said null: zero
    expect(list(gx)).toEqual([3, 1]); // w + 2x
    const skip = customVjp((a: Array, b: Array) => a.mul(b));
    skip.defvjp((a: Array, b: Array) => [a.mul(b), a] as const, (a: Array, g: Array) => [null, g.mul(a)]);
    expectClose(grad(skip, { argnums: [0, 1] })(f32(2), f32(3)).map(item), [0, 2]);
  });

  test('vmap: of the function, of its grad, and grad of vmap with an unbatched operand (bwd summed over the batch)', () => {
    const x = f32([1, 2]);
    const y = f32([3, 4]);
    expectClose(list(vmap(f)(x, y)), [2.5244129, 3.6371896]);
    expectClose(list(vmap(grad(f))(x, y)), [1.6209068, -1.6645874]);
    // JAX: grad(lambda x: vmap(f, (0, None))(x, 3.).sum()) = [1.6209068, -1.2484405]; for y: 1.7507684
    expectClose(list(grad((a: Array) => vmap(f, { inAxes: [0, null] })(a, f32(3)).sum())(x)), [1.6209068, -1.2484405]);
    expect(item(grad((b: Array) => vmap(f, { inAxes: [0, null] })(x, b).sum())(f32(3)))).toBeCloseTo(1.7507684, 6);
    expect(item(jit(grad((b: Array) => vmap(f, { inAxes: [0, null] })(x, b).sum()))(f32(3)))).toBeCloseTo(1.7507684, 6);
  });

  test('inside lax.scan and lax.cond', () => {
    const sinV = customVjp((x: Array) => jnp.sin(x));
    sinV.defvjp((x: Array) => [jnp.sin(x), jnp.cos(x)] as const, (cosX: Array, g: Array) => [cosX.mul(g)]);
    const xs = f32([1, 2, 3]);
    const loop = (s: (x: Array) => Array) => (x: Array) => lax.scan((c: Array, k: Array) => [s(c).mul(k), c] as const, x, xs)[0];
    const expected = item(grad(loop(jnp.sin))(f32(0.5)));
    expect(item(grad(loop(sinV))(f32(0.5)))).toBeCloseTo(expected, 6);
    expect(item(jit(grad(loop(sinV)))(f32(0.5)))).toBeCloseTo(expected, 6);
    const branch = (x: Array) => lax.cond(x.greater(0), (y: Array) => sinV(y), (y: Array) => jnp.sin(y).mul(2), x);
    expect(item(grad(branch)(f32(0.5)))).toBeCloseTo(Math.cos(0.5), 6);
    expect(item(grad(branch)(f32(-0.5)))).toBeCloseTo(2 * Math.cos(0.5), 6);
  });

  test("errors, as JAX's", () => {
    const h = customVjp(function h(x: Array, y: Array) {
      return x.mul(y);
    });
    expect(() => h(f32(2), f32(3))).toThrow('No VJP defined for custom_vjp function h using defvjp.');
    const fwd = (x: Array, y: Array) => [x.mul(y), [x, y]] as const;
    h.defvjp(fwd, ([, y]: Array[], g: Array) => [g.mul(y)]);
    expect(() => grad(h)(f32(2), f32(3))).toThrow(
      'Custom VJP bwd rule must produce an output with the same container (pytree) structure as the args tuple of the primal function, and in particular must produce a tuple of length equal to the number of arguments to the primal function, but got bwd output structure PyTreeDef([*]) for primal input structure PyTreeDef([*, *]).',
    );
    h.defvjp(fwd, ([, y]: Array[], g: Array) => [g.mul(y), jnp.ones([3])]);
    expect(() => grad(h)(f32(2), f32(3))).toThrow(
      'Custom VJP bwd rule must produce an output with the same type as the args tuple of the primal function, but at output[1] the bwd rule produced an output of type float32[3] corresponding to an input of type float32[], so the shapes do not match',
    );
    h.defvjp(fwd, ([, y]: Array[], g: Array) => [g.mul(y), g]);
    expect(() => jvp(h, [f32(2), f32(3)], [f32(1), f32(1)])).toThrow("can't apply forward-mode autodiff (jvp) to a custom_vjp function.");
    h.defvjp(() => [f32([1, 2]), null] as const, ([, y]: Array[], g: Array) => [g.mul(y), g]);
    expect(() => grad(h)(f32(2), f32(3))).toThrow('Custom VJP fwd rule <lambda> for function h must produce a pair (list or tuple of length two) where the first element represents the primal output');
    const tracerNondiff = customVjp((s: Array, x: Array) => x.mul(s), { nondiffArgnums: [0] });
    tracerNondiff.defvjp((s: Array, x: Array) => [x.mul(s), null] as const, (s: Array, _r: null, g: Array) => [g.mul(s)]);
    expect(() => grad((s: Array) => tracerNondiff(s, f32(2)))(f32(3))).toThrow(
      'Found a JAX Tracer object passed as an argument to a custom_vjp function in a position indicated by nondiff_argnums as non-differentiable.',
    );
  });
});
