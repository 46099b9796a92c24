// lax.cond and lax.switch: one branch runs, chosen at run time; eager and jit agree bit for bit;
// forward and reverse mode go through the branches. Expected values are hand-computed.
import { config, grad, jit, jvp, lax, makeJaxpr, numpy as jnp, valueAndGrad, type Array } from '../../lib/index.js';

const f32 = (v: unknown) => jnp.array(v as number[], { dtype: 'float32' });
const list = (x: unknown) => (x as Array).tolistSync();
const bits = (x: Array) => Buffer.from((x.dataSync() as Float32Array).buffer);
const eqnNames = (j: { jaxpr: { eqns: { primitive: { name: string } }[] } }) => j.jaxpr.eqns.map((e) => e.primitive.name);

describe('lax.cond', () => {
  const f = (p: Array | boolean | number, x: Array) => lax.cond(p, (a: Array) => jnp.sin(a).mul(2), (a: Array) => a.sub(1), x);
  const x = f32([0.5, 1, -2]);

  test('picks a branch at run time, eagerly and under jit with the same bits', () => {
    const jf = jit(f);
    for (const p of [true, false]) {
      const eager = f(jnp.array(p), x);
      const compiled = jf(jnp.array(p), x);
      expect(bits(compiled).equals(bits(eager))).toBe(true);
    }
    expect(list(f(jnp.array(false), x))).toEqual([-0.5, 0, -3]);
    expect(list(f(true, x))).toEqual(list(jnp.sin(x).mul(2)));
    expect(jf.stats.traces).toBe(1); // the predicate is data, not a trace-time constant
  });

  test('numeric predicates compare with zero; a concrete predicate still binds the cond primitive, as in JAX', () => {
    expect(list(f(jnp.array(3), x))).toEqual(list(f(true, x)));
    expect(list(f(f32(0), x))).toEqual([-0.5, 0, -3]);
    expect(list(f(-0.5, x))).toEqual(list(f(true, x)));
    const j = makeJaxpr(f)(jnp.array(true), x);
    expect(eqnNames(j)).toEqual(['convert_element_type', 'cond']);
    expect(eqnNames(makeJaxpr(f)(jnp.array(2), x))).toEqual(['ne', 'convert_element_type', 'cond']);
  });

  test('operands and outputs are pytrees; int and bool outputs', () => {
    const g = (p: Array, ops: { a: Array; b: [Array, Array] }) =>
      lax.cond(
        p,
        (o: typeof ops) => ({ sum: o.a.add(o.b[0]), n: o.b[1].add(1), flag: jnp.array(true) }),
        (o: typeof ops) => ({ sum: o.a.sub(o.b[0]), n: o.b[1].sub(1), flag: jnp.array(false) }),
        ops,
      );
    const ops = { a: f32([1, 2]), b: [f32([10, 20]), jnp.array(5)] as [Array, Array] };
    for (const h of [g, jit(g)]) {
      const t = h(jnp.array(true), ops);
      const e = h(jnp.array(false), ops);
      expect([list(t.sum), t.n.item(), t.flag.item()]).toEqual([[11, 22], 6, true]);
      expect([list(e.sum), e.n.item(), e.flag.item()]).toEqual([[-9, -18], 4, false]);
      expect(t.n.dtype).toBe('int32');
    }
  });

  test('several operands; outputs both branches forward are not routed through the cond', () => {
    const g = (p: Array, a: Array, b: Array) => lax.cond(p, (u: Array, v: Array) => [u, v.mul(u)], (u: Array, v: Array) => [u, v], a, b);
    const [u, v] = g(jnp.array(true), f32([2]), f32([3]));
    expect([list(u), list(v)]).toEqual([[2], [6]]);
    const j = makeJaxpr(g)(jnp.array(true), f32([2]), f32([3]));
    expect(j.jaxpr.eqns[1]!.outVars.length).toBe(1);
    expect(j.jaxpr.outs[0]).toBe(j.jaxpr.inVars[1]);
    expect(list(lax.cond(true, (a: Array) => a, (a: Array) => a, f32([7])))).toEqual([7]);
  });

  test('arrays the branches close over are hoisted as operands of the cond, not inlined', () => {
    const w = f32([1, 2, 3]);
    const g = (p: Array, a: Array) => lax.cond(p, (u: Array) => u.mul(w), (u: Array) => u.add(w), a);
    const j = makeJaxpr(g)(jnp.array(true), x);
    const eqn = j.jaxpr.eqns.find((e) => e.primitive.name === 'cond')!;
    expect(eqn.inputs.length).toBe(3); // index, w, a
    expect(j.consts).toContain(w);
    expect(list(g(jnp.array(true), x))).toEqual([0.5, 2, -6]);
    expect(list(jit(g)(jnp.array(false), x))).toEqual([1.5, 3, 1]);
  });

  test('jvp: tangents of each branch, instantiated where only one branch has them', () => {
    const g = (a: Array, b: Array) => lax.cond(a.sum().greater(0), (u: Array, v: Array) => u.mul(v), (u: Array) => u.mul(3), a, b);
    const [y, dy] = jvp(g, [f32([1, 2]), f32([3, 4])], [f32([1, 1]), f32([10, 100])]);
    expect([list(y), list(dy)]).toEqual([[3, 8], [13, 204]]); // d(u*v) = du*v + u*dv
    const [y2, dy2] = jvp(g, [f32([-1, -2]), f32([3, 4])], [f32([1, 1]), f32([10, 100])]);
    expect([list(y2), list(dy2)]).toEqual([[-3, -6], [3, 3]]);
    // Only v has a tangent: the false branch gives zeros.
    const [, dz] = jvp((b: Array) => g(f32([-1, -2]), b), [f32([3, 4])], [f32([1, 1])]);
    expect(list(dz)).toEqual([0, 0]);
  });

  test('grad through cond, eager and under jit, with respect to operands and closed-over values', () => {
    const loss = (a: Array, b: Array) => lax.cond(a.sum().greater(0), (u: Array, v: Array) => u.mul(v).sum(), (u: Array) => jnp.sin(u).sum(), a, b);
    const g = grad(loss, { argnums: [0, 1] });
    const [ga, gb] = g(f32([1, 2]), f32([3, 4]));
    expect([list(ga), list(gb)]).toEqual([[3, 4], [1, 2]]);
    const [ha, hb] = jit(g)(f32([-1, -2]), f32([3, 4]));
    expect(list(ha)).toEqual(list(jnp.cos(f32([-1, -2]))));
    expect(list(hb)).toEqual([0, 0]);
    // A closed-over variable is differentiated through the hoisted constant.
    const h = grad((s: Array) => lax.cond(true, (u: Array) => u.mul(s).sum(), (u: Array) => u.sum(), f32([1, 2, 3])));
    expect(h(f32(2)).item()).toBe(6);
    // ... and a value jit traces, closed over inside grad: d/du sum(u * s) = s.
    const k = jit((s: Array) => grad((a: Array) => lax.cond(true, (u: Array) => u.mul(s).sum(), (u: Array) => u.sum(), a))(f32([1, 2, 3])));
    expect(list(k(f32(2)))).toEqual([2, 2, 2]);
    // Second derivative: (x sin x)'' = 2 cos x - x sin x.
    const sinx = (a: Array) => lax.cond(a.greater(0), (u: Array) => jnp.sin(u).mul(u), (u: Array) => u, a);
    expect(grad(grad(sinx))(f32(0.7)).item()).toBeCloseTo(2 * Math.cos(0.7) - 0.7 * Math.sin(0.7), 5);
  });

  test('nested cond, and grad of a cond with an integer operand', () => {
    const g = (a: Array, n: Array) =>
      lax.cond(n.greater(0), (u: Array, k: Array) => lax.cond(k.greater(5), (v: Array) => v.mul(v), (v: Array) => v.mul(10), u), (u: Array) => u.neg(), a, n);
    const d = grad(g);
    expect([d(f32(3), jnp.array(7)).item(), d(f32(3), jnp.array(2)).item(), d(f32(3), jnp.array(-1)).item()]).toEqual([6, 10, -1]);
    const [v, dv] = valueAndGrad(jit(g))(f32(3), jnp.array(7));
    expect([v.item(), dv.item()]).toEqual([9, 6]);
  });

  test('float64 under x64', () => {
    config.with({ enableX64: true }, () => {
      const g = (a: Array) => lax.cond(a.greater(0), (u: Array) => jnp.exp(u), (u: Array) => u, a);
      const a = jnp.array(0.1, { dtype: 'float64' });
      expect(g(a).dtype).toBe('float64');
      expect(grad(g)(a).item()).toBe(Math.exp(0.1));
    });
  });

  test("errors, as JAX's", () => {
    expect(() => f(f32([1, 2]), x)).toThrow('Pred must be a scalar, got');
    expect(() => lax.cond(jnp.array(1, { dtype: 'complex64' }), (a: Array) => a, (a: Array) => a, x)).toThrow('Pred type must be either boolean or number, got complex64.');
    expect(() => lax.cond(true, (a: Array) => a, ((a: Array) => [a, a]) as never, x)).toThrow(
      'cond branch outputs must have the same pytree structure, but they differ:\n\ntrue_fun is an anonymous function\nfalse_fun is an anonymous function\n\n' +
        'true_fun output is a pytree leaf but false_fun output is a list, so their types differ.\n\nRevise true_fun and/or false_fun so that they have the same pytree structure.',
    );
    function ints(a: Array) {
      return [a, a.astype('int32')];
    }
    expect(() => lax.cond(true, (a: Array) => [a, a], ints, x)).toThrow(
      'cond branches must have equal output types but they differ.\n\ntrue_fun is an anonymous function\nfalse_fun is function ints\n\n' +
        'The output of true_fun at path [1] has type float32[3] but the corresponding output of false_fun has type int32[3], so the dtypes do not match.\n\n' +
        'Revise true_fun and/or false_fun so that all output types match.',
    );
    expect(() => lax.cond(true, (a: Array) => ({ y: a }), ((a: Array) => ({ z: a })) as never, x)).toThrow("true_fun output is a object with keys y but false_fun output is a object with keys z, so the pytree node metadata does not match");
  });
});

describe('lax.switch', () => {
  const branches = [(a: Array) => a.mul(a), (a: Array) => jnp.sin(a), (a: Array) => a.mul(3)];
  const sw = (i: Array | number, a: Array) => lax.switch(i, branches, a);
  const two = f32(2);

  test('the index is clamped to the branches, as JAX does; eager and jit agree', () => {
    const jsw = jit(sw);
    const expected = [4, 4, Math.fround(Math.sin(2)), 6, 6];
    [-1, 0, 1, 2, 7].forEach((i, k) => {
      expect(sw(jnp.array(i), two).item()).toBeCloseTo(expected[k]!, 6);
      expect(bits(jsw(jnp.array(i), two)).equals(bits(sw(jnp.array(i), two)))).toBe(true);
    });
    expect(jsw.stats.traces).toBe(1);
    expect(sw(jnp.array(1, { dtype: 'uint8' }), two).item()).toBeCloseTo(Math.sin(2), 6);
    expect(eqnNames(makeJaxpr(sw)(jnp.array(1), two))).toEqual(['convert_element_type', 'clamp', 'cond']);
  });

  test('one branch is simply called; jvp and grad per branch', () => {
    expect(lax.switch(5, [(a: Array) => a.add(1)], two).item()).toBe(3);
    const d = grad(sw, { argnums: 1 });
    expect([d(0, two).item(), d(1, two).item(), d(2, two).item()]).toEqual([4, Math.fround(Math.cos(2)), 3]);
    const [, t] = jvp((a: Array) => sw(jnp.array(0), a), [two], [f32(0.5)]);
    expect(t.item()).toBe(2);
  });

  test("errors, as JAX's", () => {
    expect(() => lax.switch(jnp.array([0, 1]), branches, two)).toThrow('Branch index must be scalar, got');
    expect(() => lax.switch(f32(1), branches, two)).toThrow('Index type must be an integer, got');
    expect(() => lax.switch(0, [], two)).toThrow('Empty branch sequence');
    expect(() => lax.switch(0, [(a: Array) => a, (a: Array) => a.astype('int32')], two)).toThrow(
      'switch branches must have equal output types but they differ.\n\nbranch 0 is an anonymous function\nbranch1 is an anonymous function\n\n' +
        'The output of branch 0 has type float32[] but the corresponding output of branch1 has type int32[], so the dtypes do not match.',
    );
  });
});
