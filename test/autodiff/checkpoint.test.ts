// checkpoint (remat), as jax.checkpoint: values and gradients equal those without it, while the
// backward pass recomputes the forward intermediates instead of saving them (visible in the
// jaxpr), per policy; with jit in both orders, vmap, static arguments and higher orders.
// Expected values: JAX 0.10.2 (run in Python) or the same function without checkpoint.
import { checkpoint, checkpointPolicies, remat, grad, jit, lax, linearize, makeJaxpr, numpy as jnp, vmap, type Array } from '../../lib/index.js';

const item = (x: unknown) => Number((x as Array).item());
const list = (x: unknown) => (x as Array).tolistSync();
const f32 = (values: unknown) => jnp.array(values as number[], { dtype: 'float32' });
const count = (text: string, op: string) => text.split('\n').filter((l) => new RegExp(`= ${op} `).test(l)).length;

const sin2 = (x: Array) => jnp.sin(jnp.sin(x));

describe('checkpoint', () => {
  test('values and gradients equal those without checkpoint (JAX: 0.36003947, and -0.7783957 for grad of grad)', () => {
    const c = checkpoint(sin2);
    expect(item(c(f32(1)))).toBe(item(sin2(f32(1))));
    expect(item(grad(c)(f32(1)))).toBe(item(grad(sin2)(f32(1))));
    expect(item(grad(c)(f32(1)))).toBeCloseTo(0.36003947, 6);
    expect(item(grad(grad(c))(f32(1)))).toBeCloseTo(-0.7783957, 6);
    expect(item(jit(grad(c))(f32(1)))).toBeCloseTo(0.36003947, 6);
    expect(item(grad(jit(c))(f32(1)))).toBeCloseTo(0.36003947, 6);
  });

  test('the backward pass recomputes: grad(checkpoint(sin∘sin)) has three sins where the plain one has two (as JAX)', () => {
    const plain = makeJaxpr(grad(sin2))(f32(1)).toString();
    const rem = makeJaxpr(grad(checkpoint(sin2)))(f32(1)).toString();
    expect(count(plain, 'sin')).toBe(2);
    expect(count(rem, 'sin')).toBe(3);
    expect(rem).toContain('remat2[');
    expect(rem).toContain('differentiated=True');
    expect(rem).toContain('policy=None');
    // everything_saveable keeps the residuals: no recomputation.
    const saved = makeJaxpr(grad(checkpoint(sin2, { policy: checkpointPolicies.everythingSaveable })))(f32(1)).toString();
    expect(count(saved, 'sin')).toBe(2);
    expect(saved).toContain('policy=everything_saveable');
  });

  test('linearize: the linear function recomputes sin and cos from the saved input', () => {
    const [out, fJvp] = linearize(checkpoint(sin2), f32(1));
    expect(item(out)).toBeCloseTo(Math.sin(Math.sin(1)), 6);
    expect(item(fJvp(f32(2)))).toBeCloseTo(2 * 0.36003947, 6);
  });

  test('an MLP layer: gradients equal the plain ones for every policy, eagerly and under jit; jit lowers an optimization barrier', () => {
    const W = f32([[0.5, -1], [0.25, 2], [-0.75, 1.5]]);
    const b = f32([0.1, -0.2]);
    const x = f32([[1, 2, 3], [-1, 0.5, 0.25]]);
    const layer = (w: Array, bias: Array, h: Array) => jnp.tanh(jnp.dot(h, w).add(bias));
    const loss = (l: typeof layer) => (w: Array, bias: Array) => jnp.sum(jnp.sin(l(w, bias, x)));
    const expected = grad(loss(layer), { argnums: [0, 1] })(W, b).map(list);
    for (const policy of [undefined, checkpointPolicies.everythingSaveable, checkpointPolicies.dotsSaveable, checkpointPolicies.dotsWithNoBatchDimsSaveable]) {
      const g = grad(loss(checkpoint(layer, { policy })), { argnums: [0, 1] });
      expect(g(W, b).map(list)).toEqual(expected);
      const gj = jit(g)(W, b).map(list) as number[][][];
      gj.forEach((a, i) => expect(jnp.allclose(f32(a), f32(expected[i]), { atol: 1e-6 }).item()).toBe(true));
    }
    const text = jit(grad(loss(checkpoint(layer)))).lower(W, b).asText();
    expect(text).toContain('stablehlo.optimization_barrier');
  });

  test('an output that forwards an input, and checkpoint inside lax.scan', () => {
    const fw = checkpoint((x: Array) => [x, jnp.sin(x)] as const);
    const prod = (x: Array) => {
      const [a, b] = fw(x);
      return a.mul(b);
    };
    expect(item(grad(prod)(f32(1)))).toBeCloseTo(Math.sin(1) + Math.cos(1), 6);
    const xs = f32([1, 2, 3]);
    const loop = (s: (x: Array) => Array) => (x: Array) => lax.scan((c: Array, k: Array) => [s(c).mul(k), c] as const, x, xs)[0];
    const expected = item(grad(loop(sin2))(f32(0.5)));
    expect(item(grad(loop(checkpoint(sin2)))(f32(0.5)))).toBeCloseTo(expected, 6);
    expect(item(jit(grad(loop(checkpoint(sin2))))(f32(0.5)))).toBeCloseTo(expected, 6);
  });

  test('staticArgnums, remat alias, pytrees, vmap and vmap of grad', () => {
    const repeat = (x: Array, n: number) => {
      for (let i = 0; i < n; i++) x = jnp.sin(x);
      return x;
    };
    const c = remat(repeat, { staticArgnums: [1] });
    expect(item(grad((x: Array) => c(x, 2))(f32(1)))).toBeCloseTo(0.36003947, 6);
    const tree = checkpoint((p: { a: Array; b: Array }) => [p.a.mul(p.b), jnp.sin(p.a)] as const);
    const g = grad((p: { a: Array; b: Array }) => {
      const [u, v] = tree(p);
      return u.add(v);
    })({ a: f32(1), b: f32(2) });
    expect(item(g.a)).toBeCloseTo(2 + Math.cos(1), 6);
    expect(item(g.b)).toBe(1);
    const xs = f32([0.5, 1, 2]);
    const cs = checkpoint(sin2);
    expect(list(vmap(cs)(xs))).toEqual(list(sin2(xs)));
    const expected = [0.5, 1, 2].map((v) => Math.cos(Math.sin(v)) * Math.cos(v));
    (list(vmap(grad(cs))(xs)) as number[]).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    (list(grad((a: Array) => vmap(cs)(a).sum())(xs)) as number[]).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });
});
