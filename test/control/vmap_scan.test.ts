// scan and map under vmap (batched xs, carries, constants; cond inside the body), composed with
// jit and grad; lax.map's batchSize; and a 1000-step scan traced and lowered to the same program
// size as a 10-step one. Expected values computed with JAX 0.10.2 (CPU) unless noted.
import { grad, jit, lax, makeJaxpr, numpy as jnp, vmap, type Array } from '../../lib/index.js';

const f32 = (v: unknown) => jnp.array(v as number[], { dtype: 'float32' });
const list = (x: unknown) => (x as Array).tolistSync();
const bits = (x: Array) => Buffer.from(x.dataSync().buffer as ArrayBuffer);
const names = (j: { jaxpr: { eqns: { primitive: { name: string } }[] } }) => j.jaxpr.eqns.map((e) => e.primitive.name);

function expectClose(actual: unknown, expected: unknown, tol = 2e-6): void {
  if (globalThis.Array.isArray(expected)) {
    expect(globalThis.Array.isArray(actual) && actual.length === expected.length).toBe(true);
    expected.forEach((e: unknown, i: number) => expectClose((actual as unknown[])[i], e, tol));
  } else if (Math.abs((actual as number) - (expected as number)) > tol * Math.max(1, Math.abs(expected as number))) {
    expect(actual).toBe(expected);
  }
}

// A tanh RNN: h ← tanh(h·W + x), emitting Σh at each step.
const W = f32([[0.5, -0.3], [0.2, 0.8]]);
const h0 = f32([0.1, -0.2]);
const hB = f32([[0.1, -0.2], [0.4, 0.3]]);
const xsB = jnp.arange(12, { dtype: 'float32' }).mul(0.1).sub(0.5).reshape([3, 2, 2]); // [T, B, 2]
const xs0 = f32([[-0.5, -0.4], [-0.1, 0.0], [0.3, 0.4]]); // xsB[:, 0]
const rnn = (w: Array, h: Array, xs: Array, reverse = false) =>
  lax.scan(
    (c: Array, x: Array) => {
      const n = jnp.tanh(jnp.dot(c, w).add(x));
      return [n, n.sum()] as const;
    },
    h,
    xs,
    { reverse },
  );
const loss = (w: Array, h: Array, xs: Array) => {
  const [c, ys] = rnn(w, h, xs);
  return c.sum().add(ys.mul(ys).sum());
};

describe('scan under vmap', () => {
  test('xs batched along axis 1: one scan over xs with the batch axis at 1; ys come out batched', () => {
    const f = vmap((xs: Array) => rnn(W, h0, xs), { inAxes: 1 });
    const [c, ys] = f(xsB);
    expectClose(list(c), [[0.04003514349460602, 0.28984034061431885], [0.4137233793735504, 0.5542475581169128]]);
    expectClose(list(ys), [[-0.9841121435165405, -0.6878700256347656, 0.32987546920776367], [-0.6534950137138367, -0.12727774679660797, 0.9679709672927856]]);
    const [cj, ysj] = jit(f)(xsB);
    expect(bits(cj).equals(bits(c)) && bits(ysj).equals(bits(ys))).toBe(true);
    const j = makeJaxpr(f)(xsB);
    const eqn = j.jaxpr.eqns.find((e) => e.primitive.name === 'scan')!;
    expect(eqn.inputs.map((v) => v.aval.shape)).toEqual([[2, 2], [2, 2], [3, 2, 2]]); // W unbatched, h broadcast, xs as given
    expect(eqn.outVars.map((v) => v.aval.shape)).toEqual([[2, 2], [3, 2]]);
    // Batched along axis 0 instead: moved to axis 1 before the scan, as JAX does.
    const [c0, ys0] = vmap((xs: Array) => rnn(W, h0, xs))(xsB.transpose([1, 0, 2]));
    expect(bits(c0).equals(bits(c)) && bits(ys0).equals(bits(ys))).toBe(true);
  });

  test('only a constant batched: the carry becomes batched (fixpoint)', () => {
    const Ws = jnp.stack([W, W.transpose()]);
    const [c, ys] = vmap((w: Array) => rnn(w, h0, xs0))(Ws);
    expectClose(list(c), [[0.04003514349460602, 0.28984034061431885], [0.34756913781166077, 0.022917993366718292]]);
    expectClose(list(ys), [[-0.9841121435165405, -0.6878700256347656, 0.32987546920776367], [-0.8643481731414795, -0.5740363001823425, 0.37048712372779846]]);
  });

  test('reverse, with only the initial carry batched', () => {
    const [c, ys] = jit(vmap((h: Array) => rnn(W, h, xs0, true)))(hB);
    expectClose(list(c), [[-0.4130324721336365, -0.35151171684265137], [-0.3208557367324829, -0.28461530804634094]]);
    expectClose(list(ys), [[-0.7645441889762878, 0.16665567457675934, 0.5074036121368408], [-0.6054710149765015, 0.4702826142311096, 0.9856774806976318]]);
  });

  test('unbatched carries stay unbatched beside batched ones', () => {
    const f = (x: Array) => lax.scan((c: [Array, Array], k: Array) => [[c[0].add(1), c[1].mul(k)], c[0]] as const, [jnp.array(0), x] as [Array, Array], f32([2, 3]));
    const [[n, p], ys] = vmap(f)(f32([1, -2]));
    expect([list(n), list(p), list(ys)]).toEqual([[2, 2], [6, -12], [[0, 1], [0, 1]]]); // hand-computed
    const eqn = makeJaxpr(vmap(f))(f32([1, -2])).jaxpr.eqns.find((e) => e.primitive.name === 'scan')!;
    expect(eqn.outVars.map((v) => v.aval.shape)).toEqual([[], [2], [2]]);
  });

  test('vmap(grad) and grad(vmap) of the RNN loss through scan', () => {
    const perExample = jit(vmap(grad(loss), { inAxes: [null, null, 1] }))(W, h0, xsB);
    expectClose(list(perExample), [[[-0.4892136752605438, -0.8365793824195862], [0.36560386419296265, -0.22067220509052277]], [[-0.5330585241317749, -0.736552357673645], [0.1520322859287262, -0.7587631344795227]]]);
    const total = (w: Array) => vmap(loss, { inAxes: [null, null, 1] })(w, h0, xsB).sum();
    const expected = [[-1.0222722291946411, -1.5731316804885864], [0.5176361799240112, -0.9794353246688843]];
    expectClose(list(grad(total)(W)), expected);
    expectClose(list(jit(grad(total))(W)), expected);
    const byH = jit(vmap(grad(loss, { argnums: 1 }), { inAxes: [null, 0, null] }))(W, hB, xs0);
    expectClose(list(byH), [[-0.5324845314025879, -1.5421186685562134], [-0.598267138004303, -0.5341746807098389]]);
  });

  test('a cond inside the body whose predicate is batched per step; and its gradient', () => {
    const gated = (h: Array, xs: Array) =>
      lax.scan(
        (c: Array, x: Array) => {
          const n = lax.cond(x.sum().greater(0), (a: Array) => jnp.tanh(a.mul(x)), (a: Array) => a.sub(x), c);
          return [n, jnp.dot(n, f32([1, 0]))] as const; // n[0]
        },
        h,
        xs,
      );
    const [c, ys] = vmap(gated, { inAxes: [null, 1] })(h0, xsB);
    expectClose(list(c), [[0.20696650445461273, 0.07982976734638214], [0.019986681640148163, -1.7881393032936899e-9]]);
    expectClose(list(ys), [[0.6000000238418579, 0.7000000476837158, 0.20696650445461273], [0.4000000059604645, 0.039978690445423126, 0.019986681640148163]]);
    const g = vmap(
      grad((h: Array, xs: Array) => {
        const [cc, yy] = gated(h, xs);
        return cc.sum().add(yy.sum());
      }),
      { inAxes: [null, 1] },
    );
    expectClose(list(g(h0, xsB)), [[2.574298858642578, 0.39745092391967773], [1.1996405124664307, 0.11999999731779099]]);
  });

  test('lax.map under vmap', () => {
    const out = vmap((xs: Array) => lax.map((r: Array) => jnp.sin(r).sum(), xs), { inAxes: 1 })(xsB);
    expectClose(list(out), [[-0.8688439130783081, -0.0998334139585495, 0.6849385499954224], [-0.4941895306110382, 0.29850274324417114, 1.0440680980682373]]);
  });
});

describe('lax.map with batchSize', () => {
  const xs = jnp.arange(7, { dtype: 'float32' });
  const fn = (x: Array) => ({ s: jnp.sin(x), sq: x.mul(x), c: 2 });
  const reference = lax.map(fn, xs);

  test('chunks scanned with vmap inside, the remainder mapped after, concatenated in order', () => {
    for (const batchSize of [3, 7, 10, 0]) {
      const out = lax.map(fn, xs, { batchSize });
      expect(list(out.s)).toEqual(list(reference.s));
      expect(list(out.sq)).toEqual([0, 1, 4, 9, 16, 25, 36]);
      expect(list(out.c)).toEqual([2, 2, 2, 2, 2, 2, 2]);
    }
    // As JAX: scan over [2, 3] chunks, then the last element, then a concatenate.
    const j = makeJaxpr((x: Array) => lax.map((v: Array) => jnp.sin(v), x, { batchSize: 3 }))(xs);
    expect(names(j)).toEqual(['slice', 'reshape', 'scan', 'slice', 'sin', 'reshape', 'concatenate']);
    expect(names(makeJaxpr((x: Array) => lax.map((v: Array) => jnp.sin(v), x, { batchSize: 7 }))(xs))).toEqual(['reshape', 'scan', 'reshape']);
    expect(names(makeJaxpr((x: Array) => lax.map((v: Array) => jnp.sin(v), x, { batchSize: 8 }))(xs))).toEqual(['slice', 'sin']);
  });

  test('pytree xs, under jit', () => {
    const g = jit((a: Array, b: Array) => lax.map((p: { a: Array; b: Array }) => p.a.mul(p.b).sum(), { a, b }, { batchSize: 2 }));
    const a = jnp.arange(10, { dtype: 'float32' }).reshape([5, 2]);
    expect(list(g(a, a.add(1)))).toEqual([2, 18, 50, 98, 162]); // Σ x(x+1) per row, hand-computed
  });
});

describe('no unrolling', () => {
  test('the jaxpr and StableHLO of a 1000-step scan are the size of a 10-step one, with grad too', () => {
    const program = (n: number) => {
      const f = (w: Array, xs: Array) => loss(w, h0, xs);
      const xs = jnp.zeros([n, 2]);
      const jf = jit(grad(f));
      return { jaxpr: makeJaxpr(grad(f))(W, xs).jaxpr, hlo: jf.lower(W, xs).asText() };
    };
    const [short, long] = [program(10), program(1000)];
    // Equal up to the numbers in them (lengths, trip counts, value names).
    const shape = (t: string) => t.replace(/\d+/g, '#');
    expect(long.jaxpr.eqns.length).toBe(short.jaxpr.eqns.length);
    expect(shape(long.jaxpr.toString())).toBe(shape(short.jaxpr.toString()));
    expect(shape(long.hlo)).toBe(shape(short.hlo));
    expect(long.hlo).toContain('stablehlo.while');
  });
});
