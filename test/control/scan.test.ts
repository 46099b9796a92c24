// lax.scan and lax.map: one compiled loop whatever the length; carries, xs and ys are pytrees;
// jvp, grad and jit compose with it. Expected values are hand-computed, or (for the RNN) the same
// computation unrolled with a JS loop.
import { config, grad, hessian, jit, jvp, lax, linearize, makeJaxpr, numpy as jnp, valueAndGrad, vjp, type Array } from '../../lib/index.js';

const f32 = (v: unknown) => jnp.array(v as number[], { dtype: 'float32' });
const list = (x: unknown) => (x as Array).tolistSync();
const bits = (x: Array) => Buffer.from((x.dataSync() as Float32Array).buffer);
const eqnNames = (j: { jaxpr: { eqns: { primitive: { name: string } }[] } }) => j.jaxpr.eqns.map((e) => e.primitive.name);

// Running sums: the carry is the sum so far, ys the sums after each step.
const cumsum = (c: Array, x: Array) => [c.add(x), c.add(x)] as const;

describe('lax.scan', () => {
  const xs = f32([[1, 2], [3, 4], [5, 6]]);

  test('carries and stacks, eagerly and under jit with the same bits', () => {
    const f = (init: Array, xs: Array) => lax.scan((h: Array, x: Array) => {
      const n = jnp.tanh(h.mul(0.5).add(x));
      return [n, n.mul(2)] as const;
    }, init, xs);
    const [c, ys] = f(f32([0.1, 0.2]), xs);
    const [cj, ysj] = jit(f)(f32([0.1, 0.2]), xs);
    expect(bits(cj).equals(bits(c))).toBe(true);
    expect(bits(ysj).equals(bits(ys))).toBe(true);
    expect(ys.shape).toEqual([3, 2]);
    const [c2, ys2] = lax.scan(cumsum, f32([0, 0]), xs);
    expect([list(c2), list(ys2)]).toEqual([[9, 12], [[1, 2], [4, 6], [9, 12]]]);
  });

  test('reverse runs from the end; ys stay aligned with xs', () => {
    const [c, ys] = lax.scan(cumsum, f32([0, 0]), xs, { reverse: true });
    expect([list(c), list(ys)]).toEqual([[9, 12], [[9, 12], [8, 10], [5, 6]]]);
  });

  test('unroll gives the same values, with a remainder, fully unrolled, and in reverse', () => {
    const x5 = f32([1, 2, 3, 4, 5]);
    const step = (c: Array, x: Array) => [c.mul(2).add(x), c] as const;
    const reference = lax.scan(step, f32(0), x5);
    const reversed = lax.scan(step, f32(0), x5, { reverse: true });
    for (const [unroll, reverse] of [[2, false], [2, true], [3, true], [true, false], [0, true]] as const) {
      const [c, ys] = lax.scan(step, f32(0), x5, { unroll, reverse });
      const [rc, rys] = reverse ? reversed : reference;
      expect([list(c), list(ys)]).toEqual([list(rc), list(rys)]);
    }
    expect(list(reference[0])).toBe(57); // ((((1)*2+2)*2+3)*2+4)*2+5
  });

  test('pytrees of carries, xs and ys; xs null with a length; lax.map', () => {
    const [carry, ys] = lax.scan(
      (c: { total: Array; count: Array }, x: { a: Array; b: Array }) => [{ total: c.total.add(x.a.sum().mul(x.b)), count: c.count.add(1) }, [x.a.sum(), null]] as const,
      { total: f32(0), count: jnp.array(0) },
      { a: xs, b: f32([1, 10, 100]) },
    );
    expect([carry.total.item(), carry.count.item(), list(ys[0]), ys[1]]).toEqual([3 * 1 + 7 * 10 + 11 * 100, 3, [3, 7, 11], null]);
    const [n, powers] = lax.scan((c: Array) => [c.mul(2), c] as const, jnp.array(1), null, { length: 4 });
    expect([n.item(), list(powers)]).toEqual([16, [1, 2, 4, 8]]);
    expect(list(lax.map((r: Array) => r.sum(), xs))).toEqual([3, 7, 11]);
    expect(lax.scan((c: null, x: Array) => [c, null] as const, null, xs)).toEqual([null, null]);
    const [, empty] = lax.scan(cumsum, f32([0, 0]), jnp.zeros([0, 2], { dtype: 'float32' }));
    expect(empty.shape).toEqual([0, 2]);
  });

  test('a JS number init takes the dtype the body gives it (weak type promotion)', () => {
    const [c, ys] = lax.scan((c, x: Array) => [c.add(x), c] as const, 0, f32([0.5, 1.5]));
    expect([c.item(), c.dtype, list(ys)]).toEqual([2, 'float32', [0, 0.5]]);
  });

  test('the body is traced once: 1000 steps make the same one-equation jaxpr as 10', () => {
    let traces = 0;
    const f = (x: Array) =>
      lax.scan((c: Array, _: null) => {
        traces++;
        return [jnp.sin(c).add(x), null] as const;
      }, x, null, { length: x.shape[0] === 1 ? 10 : 1000 })[0];
    const j10 = makeJaxpr(f)(f32([1]));
    expect(traces).toBe(1);
    const j1000 = makeJaxpr(f)(f32([2, 3]));
    expect(traces).toBe(2);
    expect(eqnNames(j10)).toEqual(['scan']);
    expect(eqnNames(j1000)).toEqual(['scan']);
    // Compiled: one while loop either way, and the program text does not grow with the length.
    const g = (n: number) => jit((x: Array) => lax.scan((c: Array) => [jnp.sin(c).add(x), null] as const, x, null, { length: n })[0]);
    const t10 = g(10).lower(f32([1])).asText();
    const t1000 = g(1000).lower(f32([1])).asText();
    expect(t1000.length).toBe(t10.length + 2);
    expect(t1000.match(/stablehlo\.while/g)?.length).toBe(1);
    // grad: one forward and one backward scan, still one trace of the body.
    traces = 0;
    const jg = jit(grad((x: Array) => f(x).sum()));
    const dj = makeJaxpr(grad((x: Array) => f(x).sum()))(f32([1]));
    expect(traces).toBe(1);
    expect(eqnNames(dj).filter((n) => n === 'scan').length).toBe(2);
    expect(jg(f32([1])).shape).toEqual([1]);
  });

  test('arrays the body closes over are hoisted as operands of the scan', () => {
    const w = f32([2, 3]);
    const j = makeJaxpr((h: Array) => lax.scan((c: Array, x: Array) => [c.mul(w).add(x), null] as const, h, xs))(f32([1, 1]));
    expect(j.jaxpr.eqns[0]!.params.num_consts).toBe(1);
    expect(j.consts).toContain(w);
  });

  test('jvp: tangents flow through carries (a fixpoint finds carries that become nonzero) and ys', () => {
    // a_t = a_{t-1} + b_{t-1}, b_t = b_{t-1} * s: only s has a tangent, so b's and then a's become nonzero.
    const f = (s: Array) => lax.scan(([a, b]: [Array, Array], _: null) => [[a.add(b), b.mul(s)], a] as const, [f32(0), f32(1)], null, { length: 3 });
    const [[[a, b], ys], [[da, db], dys]] = jvp(f, [f32(2)], [f32(1)]);
    // a = 1 + s + s^2 = 7, b = s^3 = 8; da = 1 + 2s = 5, db = 3s^2 = 12; ys = [0, 1, 1 + s]
    expect([a.item(), b.item(), da.item(), db.item(), list(ys), list(dys)]).toEqual([7, 8, 5, 12, [0, 1, 3], [0, 0, 1]]);
    const [, lin] = linearize((s: Array) => f(s)[0][0], f32(2));
    expect(lin(f32(2)).item()).toBe(10);
  });

  test('grad with respect to init, xs and closed-over values, eagerly and under jit', () => {
    const loss = (h0: Array, xs: Array, w: Array) => lax.scan((h: Array, x: Array) => [h.mul(w).add(x), h.mul(h)] as const, h0, xs)[1].sum();
    // h1 = w h0 + x0, h2 = w h1 + x1; loss = h0^2 + h1^2 + h2^2 (scalars, xs = [1, 2, 3]: three steps)
    const args = [f32(1), f32([1, 2, 3]), f32(2)] as const;
    // h: 1, 3, 8 (then 19, unused); loss = 1 + 9 + 64 = 74
    // dL/dh0 = 2*1 + 2*3*w + 2*8*w^2 = 2 + 12 + 64 = 78; dL/dx = [2*3 + 2*8*w, 2*8, 0] = [38, 16, 0]
    // dL/dw = 2*h1*h0 + 2*h2*(h1 + w h0) = 6 + 16*(3 + 2) = 86
    const g = grad(loss, { argnums: [0, 1, 2] });
    for (const h of [g, jit(g)]) {
      const [d0, dx, dw] = h(...args);
      expect([d0.item(), list(dx), dw.item()]).toEqual([78, [38, 16, 0], 86]);
    }
    const [v] = valueAndGrad(loss)(...args);
    expect(v.item()).toBe(74);
    // Known carries, unknown ys: c = 1, 2, 4 and ys = x c s, so d/dx = c s and d/ds = sum(x c) = 17.
    const ysOnly = (v: Array, s: Array) => lax.scan((c: Array, x: Array) => [c.mul(2), x.mul(c).mul(s)] as const, f32(1), v)[1].sum();
    const [gx, gs] = grad(ysOnly, { argnums: [0, 1] })(f32([1, 2, 3]), f32(3));
    expect([list(gx), gs.item()]).toEqual([[3, 6, 12], 17]);
  });

  test('grad of a tanh RNN written with scan matches the unrolled JS loop (float64)', () => {
    config.with({ enableX64: true }, () => {
      const f64 = (v: unknown) => jnp.array(v as number[], { dtype: 'float64' });
      const W = f64([[0.5, -0.3, 0.1], [0.2, 0.4, -0.6], [-0.1, 0.3, 0.2]]);
      const U = f64([[0.7, -0.2], [0.1, 0.5], [-0.4, 0.3]]);
      const b = f64([0.05, -0.1, 0.2]);
      const h0 = f64([0.1, -0.2, 0.3]);
      const xs = f64([[1, 0.5], [-0.3, 0.8], [0.2, -1], [0.9, 0.1], [-0.5, 0.4]]);
      const cell = (p: { W: Array; U: Array; b: Array }, h: Array, x: Array) => jnp.tanh(jnp.dot(p.W, h).add(jnp.dot(p.U, x)).add(p.b));
      const scanned = (p: { W: Array; U: Array; b: Array }, h0: Array, xs: Array) => {
        const [h, hs] = lax.scan((h: Array, x: Array) => {
          const n = cell(p, h, x);
          return [n, n.sum()] as const;
        }, h0, xs);
        return h.square().sum().add(hs.mul(hs).sum());
      };
      const unrolled = (p: { W: Array; U: Array; b: Array }, h0: Array, xs: Array) => {
        let h = h0;
        let total = jnp.array(0, { dtype: 'float64' });
        for (let t = 0; t < xs.shape[0]!; t++) {
          h = cell(p, h, xs.slice(t));
          total = total.add(h.sum().square());
        }
        return h.square().sum().add(total);
      };
      const p = { W, U, b };
      const [v1, [g1p, g1h, g1x]] = valueAndGrad(scanned, { argnums: [0, 1, 2] })(p, h0, xs);
      const [v2, [g2p, g2h, g2x]] = jit(valueAndGrad(unrolled, { argnums: [0, 1, 2] }))(p, h0, xs);
      const close = (a: Array, e: Array) => expect(jnp.max(jnp.abs(a.sub(e))).item()).toBeLessThan(1e-10);
      close(v1, v2);
      for (const [a, e] of [[g1p.W, g2p.W], [g1p.U, g2p.U], [g1p.b, g2p.b], [g1h, g2h], [g1x, g2x]] as const) {
        expect(a.dtype).toBe('float64');
        close(a, e);
      }
      const [, [j1p]] = jit(valueAndGrad(scanned, { argnums: [0, 1, 2] }))(p, h0, xs);
      close(j1p.W, g2p.W);
    });
  });

  test('reverse scans, vjp, and higher derivatives (grad of grad, hessian) match the unrolled loop', () => {
    // Reverse: c = ((0*2 + x3)*2 + x2)*2 + x1, so dc/dx = [1, 2, 4].
    const r = (v: Array) => lax.scan((c: Array, x: Array) => [c.mul(2).add(x), c] as const, f32(0), v, { reverse: true })[0];
    expect(list(grad(r)(f32([1, 2, 3])))).toEqual([1, 2, 4]);
    const [ys, back] = vjp((s: Array) => lax.scan((c: Array, x: Array) => [c.mul(s), c.add(x)] as const, f32(1), f32([1, 2]))[1], f32(3));
    expect([list(ys), back(f32([1, 1]))[0].item()]).toEqual([[2, 5], 1]); // ys = [1 + 1, s + 2]
    const scanned = (s: Array) => lax.scan((c: Array, x: Array) => [jnp.sin(c.mul(s)).add(x), c.mul(c)] as const, f32(0.3), f32([1, 2, 3]))[1].sum();
    const unrolled = (s: Array) => {
      let [c, total] = [f32(0.3), f32(0)];
      for (const x of [1, 2, 3]) [total, c] = [total.add(c.mul(c)), jnp.sin(c.mul(s)).add(x)];
      return total;
    };
    const s = f32(0.7);
    expect(grad(scanned)(s).item()).toBeCloseTo(Number(grad(unrolled)(s).item()), 5);
    expect(grad(grad(scanned))(s).item()).toBeCloseTo(Number(grad(grad(unrolled))(s).item()), 4);
    expect((hessian(scanned)(s) as Array).item()).toBeCloseTo(Number((hessian(unrolled)(s) as Array).item()), 4);
  });

  test('control flow nested in the body, under grad', () => {
    // A cond inside the scan: multiply when x > 0, else add.
    const f = (s: Array) => lax.scan((c: Array, x: Array) => [lax.cond(x.greater(0), (a: Array) => a.mul(s), (a: Array) => a.add(s), c), null] as const, f32(1), f32([1, -1, 1]))[0];
    // c = ((1*s) + s) * s = 2 s^2: 8 at s = 2, derivative 4s = 8
    expect([f(f32(2)).item(), grad(f)(f32(2)).item(), jit(grad(f))(f32(2)).item()]).toEqual([8, 8, 8]);
    // A scan inside a scan: the inner one sums s^k for k = 0..2, the outer one adds that three times.
    const g = (s: Array) =>
      lax.scan((c: Array, _: null) => [c.add(lax.scan((p: Array, _2: null) => [p.mul(s), p] as const, f32(1), null, { length: 3 })[1].sum()), null] as const, f32(0), null, { length: 3 })[0];
    // 3 (1 + s + s^2) = 21 at s = 2; derivative 3 (1 + 2s) = 15
    expect([g(f32(2)).item(), grad(g)(f32(2)).item()]).toEqual([21, 15]);
  });

  test("errors, as JAX's", () => {
    expect(() => lax.scan((c: Array, x: Array) => [c.astype('int32'), x] as never, f32(0), xs)).toThrow(
      'scan body function carry input and carry output must have equal types, but they differ:\n\n' +
        'The input carry has type float32[] but the corresponding output carry component has type int32[], so the dtypes do not match.\n\n' +
        'Revise the function so that all output types match the corresponding input types.',
    );
    expect(() => lax.scan((c: Array[], x: Array) => [[c[0]!, c[1]!.reshape([1])], x] as never, [f32(0), f32(0)], xs)).toThrow(
      'The input carry at path [1] has type float32[] but the corresponding output carry component has type float32[1], so the shapes do not match.',
    );
    expect(() => lax.scan((c: Array[], x: Array) => [[c[0]!], x] as never, [f32(0), f32(0)], xs)).toThrow(
      'scan body function carry input and carry output must have the same pytree structure, but they differ:\n\n' +
        'The input carry is a list of length 2 but the corresponding component of the carry output is a list of length 1, so the lengths do not match.\n\n' +
        'Revise the function so that the carry output has the same pytree structure as the carry input.',
    );
    expect(() => lax.scan(cumsum as never, f32(0), [xs, f32([1, 2])])).toThrow('scan got values with different leading axis sizes: 3, 2.');
    expect(() => lax.scan(cumsum, f32(0), xs, { length: 4 })).toThrow('scan got `length` argument of 4 which disagrees with leading axis sizes [3].');
    expect(() => lax.scan(cumsum as never, f32(0), null)).toThrow('scan got no values to scan over and `length` not provided.');
    expect(() => lax.scan(((c: Array) => c) as never, f32(0), xs)).toThrow('scan body output must be a pair');
    expect(() => lax.scan(cumsum, f32(0), f32(1))).toThrow('scan got value with no leading axis to scan over');
  });
});
