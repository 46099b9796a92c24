// lax.whileLoop and lax.foriLoop: one compiled loop with a run-time trip count; forward mode
// through it; JAX's error for reverse mode; foriLoop with static bounds is a scan, so reverse mode
// works there. Expected values are hand-computed.
import { config, grad, jit, jvp, lax, linearize, makeJaxpr, numpy as jnp, type Array } from '../../lib/index.js';

const f32 = (v: unknown) => jnp.array(v as number[], { dtype: 'float32' });
const eqnNames = (j: { jaxpr: { eqns: { primitive: { name: string } }[] } }) => j.jaxpr.eqns.map((e) => e.primitive.name);

// x ** (2 ** 5) by repeated squaring, counting in the carry.
const power = (x: Array) => lax.whileLoop(([i]: [Array, Array]) => i.less(5), ([i, y]: [Array, Array]) => [i.add(1), y.mul(y)] as [Array, Array], [jnp.array(0), x] as const)[1];

describe('lax.whileLoop', () => {
  test('runs until the condition fails, eagerly and under jit with the same values', () => {
    const collatz = (n: Array) =>
      lax.whileLoop(
        ({ n }: { n: Array; steps: Array }) => n.notEqual(1),
        ({ n, steps }: { n: Array; steps: Array }) => ({ n: jnp.where(jnp.remainder(n, 2).equal(0), jnp.floorDivide(n, 2), n.mul(3).add(1)), steps: steps.add(1) }),
        { n, steps: jnp.array(0) },
      );
    for (const g of [collatz, jit(collatz)]) {
      const out = g(jnp.array(27));
      expect([out.n.item(), out.steps.item()]).toEqual([1, 111]); // 27 takes 111 steps
      expect(g(jnp.array(1)).steps.item()).toBe(0); // the body never runs
    }
    const jp = jit(power);
    expect(jp(f32(1.01)).item()).toBe(power(f32(1.01)).item());
    expect(power(f32(1.01)).item()).toBeCloseTo(1.01 ** 32, 5);
  });

  test('JS numbers in the carry take the dtype the body gives them', () => {
    const out = lax.whileLoop(([i]) => i.less(3), ([i, s]) => [i.add(1), s.add(f32(0.5))], [0, 0] as const);
    expect([out[0].item(), out[1].item(), out[1].dtype, out[0].dtype]).toEqual([3, 1.5, 'float32', 'int32']);
    expect(out[0].weakType).toBe(true);
  });

  test('the loop is one while equation whose constants are operands', () => {
    const w = f32([2, 3]);
    const j = makeJaxpr((x: Array) => lax.whileLoop((y: Array) => y.sum().less(100), (y: Array) => y.mul(w), x))(f32([1, 1]));
    expect(eqnNames(j)).toEqual(['while']);
    expect(j.jaxpr.eqns[0]!.params.body_nconsts).toBe(1);
    expect(j.consts).toContain(w);
  });

  test('jvp, linearize, and jvp under jit', () => {
    const x = f32(1.01);
    const [y, dy] = jvp(power, [x], [f32(1)]);
    expect(y.item()).toBeCloseTo(1.01 ** 32, 5);
    expect(dy.item()).toBeCloseTo(32 * 1.01 ** 31, 4);
    const [y2, dy2] = jit((a: Array) => jvp(power, [a], [f32(1)]))(x);
    expect([y2.item(), dy2.item()]).toEqual([y.item(), dy.item()]);
    const [y3, f] = linearize(power, x);
    expect(y3.item()).toBe(y.item());
    expect(f(f32(2)).item()).toBeCloseTo(2 * Number(dy.item()), 3);
    // A carry whose tangent starts at zero but becomes nonzero in the body (the fixpoint).
    const g = (s: Array) => lax.whileLoop(([i]: [Array, Array, Array]) => i.less(3), ([i, a, b]: [Array, Array, Array]) => [i.add(1), a.add(b), b.mul(s)] as [Array, Array, Array], [jnp.array(0), f32(0), f32(1)] as const)[1];
    // a = 1 + s + s^2 after three steps: da/ds = 1 + 2s
    const [v, dv] = jvp(g, [f32(2)], [f32(1)]);
    expect([v.item(), dv.item()]).toEqual([7, 5]);
  });

  test("reverse mode raises JAX's error", () => {
    expect(() => grad(power)(f32(1.01))).toThrow(
      'Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values. Try using lax.scan, or using fori_loop with static start/stop.',
    );
  });

  test("carry and condition errors, as JAX's", () => {
    expect(() => lax.whileLoop((c: Array) => c.less(3), (c: Array) => c.astype('float32'), jnp.array(0, { dtype: 'int32' }))).toThrow(
      'body_fun output and input must have identical types, got\nDIFFERENT ShapedArray(float32[]) vs. ShapedArray(int32[]).',
    );
    expect(() => lax.whileLoop(([c]: Array[]) => c!.less(3), ([c, d]: Array[]) => [c!.add(1), d!.reshape([1])], [jnp.array(0, { dtype: 'int32' }), f32(1)])).toThrow(
      "body_fun output and input must have identical types, got\n['ShapedArray(int32[])', 'DIFFERENT ShapedArray(float32[1]) vs. ShapedArray(float32[])'].",
    );
    expect(() => lax.whileLoop((c: Array) => c.less(3), ((c: Array) => [c]) as never, f32(0))).toThrow('body_fun output and input must have same type structure, got PyTreeDef([*]) and PyTreeDef(*).');
    expect(() => lax.whileLoop((c: Array) => c, (c: Array) => c, f32(0))).toThrow('cond_fun must return a boolean scalar, but got output type(s) [ShapedArray(float32[])].');
  });
});

describe('lax.foriLoop', () => {
  const body = (x: Array) => (i: Array, c: Array) => c.mul(x).add(i);

  test('static bounds make a scan, which reverse mode goes through', () => {
    const f = (x: Array) => lax.foriLoop(0, 4, body(x), f32(0));
    expect(eqnNames(makeJaxpr(f)(f32(2)))).toEqual(['scan']);
    // c: 0, 0*2+0 = 0, 0*2+1 = 1, 1*2+2 = 4, 4*2+3 = 11; dc/dx = 0, 0, 1, 1*... = 6 at x = 2
    expect(f(f32(2)).item()).toBe(11);
    expect(grad(f)(f32(2)).item()).toBe(6);
    expect(jit(grad(f))(f32(2)).item()).toBe(6);
    expect(lax.foriLoop(5, 2, body(f32(2)), f32(7)).item()).toBe(7); // no iterations
    expect(lax.foriLoop(jnp.array(0), jnp.array(4), body(f32(2)), f32(0)).item()).toBe(11); // concrete arrays are static too
  });

  test('traced bounds make a while loop: forward mode works, reverse mode is the error', () => {
    const f = (n: Array, x: Array) => lax.foriLoop(0, n, body(x), 0);
    expect(eqnNames(makeJaxpr(f)(jnp.array(4), f32(2)))).toEqual(['convert_element_type', 'while']);
    const jf = jit(f);
    expect([jf(jnp.array(4), f32(2)).item(), jf(jnp.array(3), f32(2)).item()]).toEqual([11, 4]);
    expect(jf.stats.traces).toBe(1);
    const [, t] = jit((n: Array, x: Array) => jvp((y: Array) => f(n, y), [x], [f32(1)]))(jnp.array(4), f32(2));
    expect(t.item()).toBe(6);
    expect(() => jit(grad((x: Array, n: Array) => f(n, x)))(f32(2), jnp.array(4))).toThrow('Reverse-mode differentiation does not work for lax.while_loop');
  });

  test('pytree carries, unroll, and the bounds check', () => {
    const out = lax.foriLoop(1, 4, (i, c) => ({ fact: c.fact.mul(i), sum: c.sum.add(i) }), { fact: jnp.array(1), sum: jnp.array(0) }, { unroll: 2 });
    expect([out.fact.item(), out.sum.item()]).toEqual([6, 6]);
    expect(() => lax.foriLoop(jnp.array(0, { dtype: 'int8' }), jnp.array(3, { dtype: 'int16' }), (_i, c: Array) => c, f32(0))).toThrow(
      'lower and upper arguments to fori_loop must have equal types, got int8 and int16',
    );
    expect(() => jit((n: Array) => lax.foriLoop(0, n, (_i, c: Array) => c, f32(0), { unroll: 2 }))(jnp.array(3))).toThrow(
      'Can only use `unroll` in `fori_loop` if the loop bounds are statically known.',
    );
  });

  test('int64 counters under x64', () => {
    config.with({ enableX64: true }, () => {
      const out = lax.foriLoop(0, 10, (i, c: Array) => c.add(i), jnp.array(0, { dtype: 'int64' }));
      expect([out.item(), out.dtype]).toEqual([45n, 'int64']);
    });
  });
});
