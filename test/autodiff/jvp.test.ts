// Forward mode: jvp with pytrees and aux, symbolic zeros, JAX's rules at non-differentiable
// points, jvp of jit, and JAX's argument errors. Expected values are JAX's (quoted) or formulas.
import { grad, jit, jvp, lax, makeJaxpr, numpy as jnp, type Array } from '../../lib/index.js';

const list = (x: unknown) => (x as Array).tolistSync() as number[];
const item = (x: unknown) => Number((x as Array).item());
const bits = (x: Array) => Buffer.from((x.dataSync() as Float32Array).buffer).toString('hex');
const f32 = (values: unknown) => jnp.array(values as number[], { dtype: 'float32' });

function expectClose(actual: number[], expected: number[], digits = 5) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, digits));
}

describe('jvp', () => {
  test('of sin: the primal and the tangent (JAX: 0.09983342, 0.19900084)', () => {
    const [y, t] = jvp(jnp.sin, [0.1], [0.2]);
    expect(item(y)).toBeCloseTo(0.09983342, 7);
    expect(item(t)).toBeCloseTo(0.19900084, 7);
    expect((t as Array).weakType).toBe(true); // a JS number is weak, so is its tangent
  });

  test('pytrees in and out, and aux', () => {
    const f = (p: { w: Array; b: Array[] }) => ({ y: p.w.mul(p.b[0]!), z: [jnp.exp(p.w)] });
    const p = { w: f32([1, 2]), b: [f32([3, 4])] };
    const [out, tan] = jvp(f, [p], [{ w: f32([1, 0]), b: [f32([0, 1])] }]);
    expect(list(out.y)).toEqual([3, 8]);
    expect(list(tan.y)).toEqual([3, 2]); // b·ẇ + w·ḃ
    expectClose(list(tan.z[0]), [Math.E, 0]);
    const [y, ty, aux] = jvp((x: Array) => [x.mul(x), { seen: x }] as const, [f32([3])], [f32([1])], { hasAux: true });
    expect(list(y)).toEqual([9]);
    expect(list(ty)).toEqual([6]);
    expect(list(aux.seen)).toEqual([3]); // aux is the primal, not a tracer
  });

  test('integer inputs and outputs have null (float0) tangents', () => {
    const f = (x: Array, n: Array) => [x.mul(n), n.add(1), x.greater(1)];
    const [out, tan] = jvp(f, [f32([2, 3]), jnp.array([4, 5])], [f32([1, 1]), null]);
    expect(list(out[0])).toEqual([8, 15]);
    expect(list(tan[0])).toEqual([4, 5]);
    expect(tan[1]).toBeNull();
    expect(tan[2]).toBeNull();
  });

  test('symbolic zeros: an output that does not depend on the input gets instantiated zeros', () => {
    const [, t] = jvp((x: Array) => [x.mul(2), jnp.ones([2])], [f32([1, 2])], [f32([1, 1])]);
    expect(list(t[0])).toEqual([2, 2]);
    expect(list(t[1])).toEqual([0, 0]);
  });

  test('nothing is computed for inputs that do not matter', () => {
    // d/dx of x·exp(y): exp's rule never runs (y has a zero tangent), so exp appears once
    const jaxpr = makeJaxpr((x: Array, y: Array) => grad((a: Array) => a.mul(jnp.exp(y)).sum())(x))(f32([1, 2]), f32([3, 4])).toString();
    expect(jaxpr.match(/ exp /g)?.length).toBe(1);
    expect(jaxpr).not.toContain('cos');
  });

  test('of jit(f) gives the same bits as of f', () => {
    const f = (x: Array) => jnp.tanh(x).mul(jnp.sin(x)).add(x.mul(x));
    const x = f32([0.5, -1.25, 2]);
    const t = f32([1, 0.5, -2]);
    const [y1, t1] = jvp(f, [x], [t]);
    const [y2, t2] = jvp(jit(f), [x], [t]);
    expect(bits(y2)).toBe(bits(y1));
    expect(bits(t2)).toBe(bits(t1));
    const [, t3] = jvp(jit(jit(f)), [x], [t]);
    expect(bits(t3)).toBe(bits(t1));
  });

  test('JS control flow on concrete values works under jvp and grad', () => {
    const f = (x: Array) => ((x.item() as number) > 0 ? x.mul(x) : x.mul(-3));
    expect(item(grad(f)(f32(2)))).toBe(4);
    expect(item(grad(f)(f32(-2)))).toBe(-3);
    expect(item(jvp(f, [f32(-2)], [f32(1)])[1])).toBe(-3);
  });
});

describe("JAX's rules at non-differentiable points", () => {
  const d = (f: (x: Array) => Array, x: number[]) => list(jvp(f, [f32(x)], [f32(x.map(() => 1))])[1]);

  test('max and min ties split the gradient 0.5/0.5', () => {
    expect(d((x) => jnp.maximum(x, 1), [0, 1, 2])).toEqual([0, 0.5, 1]);
    expect(d((x) => jnp.minimum(x, 1), [0, 1, 2])).toEqual([1, 0.5, 0]);
    expect(d((x) => jnp.maximum(x, x), [3])).toEqual([1]); // 0.5 + 0.5
    const [gx, gy] = grad((x: Array, y: Array) => jnp.maximum(x, y).sum(), { argnums: [0, 1] })(f32([1, 2]), f32([1, 3]));
    expect(list(gx)).toEqual([0.5, 0]);
    expect(list(gy)).toEqual([0.5, 1]);
  });

  test('abs: select(x >= 0, g, -g), so 1 at 0 as in JAX (jax.grad(jnp.abs)(0.) == 1.)', () => {
    expect(d(jnp.abs, [-2, 0, 3])).toEqual([-1, 1, 1]);
  });

  test('sqrt at 0 gives inf', () => {
    expect(d(jnp.sqrt, [0, 4])).toEqual([Infinity, 0.25]);
  });

  test('integer_pow: 0, 1, 2, 3, -2', () => {
    expect(d((x) => lax.integerPow.bind1([x], { y: 0 }), [2])).toEqual([0]);
    expect(d((x) => lax.integerPow.bind1([x], { y: 1 }), [2])).toEqual([1]);
    expect(d((x) => x.pow(2), [3])).toEqual([6]);
    expect(d((x) => x.pow(3), [2])).toEqual([12]);
    expect(d((x) => x.pow(-2), [2])).toEqual([-0.25]);
  });

  test('pow in both operands: y·x^(y-1) and log(x)·x^y (log(1) at x = 0)', () => {
    const [gx, gy] = grad((x: Array, y: Array) => lax.pow.bind1([x, y]).sum(), { argnums: [0, 1] })(f32([2, 0]), f32([3, 2]));
    expectClose(list(gx), [12, 0]);
    expectClose(list(gy), [8 * Math.LN2, 0]);
  });

  test('atan2, logistic, erf, erf_inv, lgamma', () => {
    const [gx, gy] = grad((x: Array, y: Array) => jnp.arctan2(x, y).sum(), { argnums: [0, 1] })(f32([1]), f32([2]));
    expectClose(list(gx), [2 / 5]);
    expectClose(list(gy), [-1 / 5]);
    const s = 1 / (1 + Math.exp(-0.5));
    expectClose(d((x) => lax.logistic.bind1([x]), [0.5]), [s * (1 - s)]);
    expectClose(d((x) => lax.erf.bind1([x]), [0.5]), [(2 / Math.sqrt(Math.PI)) * Math.exp(-0.25)]);
    expectClose(d((x) => lax.erfInv.bind1([x]), [0]), [Math.sqrt(Math.PI) / 2]);
    expectClose(d((x) => lax.lgamma.bind1([x]), [1, 2]), [-0.5772157, 1 - 0.5772157]); // digamma
    expectClose(d((x) => lax.digamma.bind1([x]), [1, 2]), [1.6449341, 0.6449341]); // polygamma(1, x): pi^2/6, pi^2/6 - 1
  });

  test('comparisons, sign, floor, round and integer ops have zero tangents', () => {
    expect(d((x) => jnp.sign(x).add(jnp.floor(x)).add(jnp.round(x)), [1.5, -0.5])).toEqual([0, 0]);
    const [, t] = jvp((x: Array) => [x.less(1), x.astype('int32'), jnp.argmax(x)], [f32([0.5, 2])], [f32([1, 1])]);
    expect(t).toEqual([null, null, null]);
    expect(d((x) => x.astype('int32').astype('float32'), [2.5])).toEqual([0]); // float → int cuts the tangent
  });

  test('where/select_n is not differentiated in its condition; clamp passes the tangent inside the bounds', () => {
    expect(d((x) => jnp.where(x.greater(0), x.mul(3), x.mul(x)), [-2, 2])).toEqual([-4, 3]);
    const clamp = (x: Array) => lax.clamp.bind1([f32(0), x, f32(1)]);
    expect(d(clamp, [-1, 0.5, 2])).toEqual([0, 1, 0]);
    const [glo, , ghi] = grad((lo: Array, x: Array, hi: Array) => lax.clamp.bind1([lo, x, hi]).sum(), { argnums: [0, 1, 2] })(f32(0), f32([-1, 0.5, 2]), f32(1));
    expect(item(glo)).toBe(1); // one element below the bound
    expect(item(ghi)).toBe(1);
  });

  test('reduce_max/min share the gradient among tied extrema; reduce_prod handles zeros', () => {
    expect(list(grad((x: Array) => x.max())(f32([1, 3, 3])))).toEqual([0, 0.5, 0.5]);
    expect(grad((x: Array) => x.min(0).sum())(f32([[1, 2], [1, 0]])).tolistSync()).toEqual([[0.5, 0], [0.5, 1]]);
    expect(list(grad((x: Array) => x.prod())(f32([2, 3, 4])))).toEqual([12, 8, 6]);
    expect(list(grad((x: Array) => x.prod())(f32([2, 0, 4])))).toEqual([0, 8, 0]);
    expect(list(grad((x: Array) => x.prod())(f32([0, 0, 4])))).toEqual([0, 0, 0]);
  });
});

describe('jvp errors (JAX messages)', () => {
  test('mismatched dtypes', () => {
    expect(() => jvp(jnp.sin, [f32([1])], [jnp.array([1])])).toThrow(
      'primal and tangent arguments to jax.jvp do not match; dtypes must be equal, or in case of int/bool primal dtype the tangent dtype must be float0.' +
        'Got primal dtype float32 and so expected tangent dtype float32, but got tangent dtype int32 instead.',
    );
    expect(() => jvp((n: Array) => n, [jnp.array([1])], [f32([1])])).toThrow('Got primal dtype int32 and so expected tangent dtype float0, but got tangent dtype float32 instead.');
  });

  test('mismatched shapes, structures and containers', () => {
    expect(() => jvp(jnp.sin, [f32([1, 2, 3])], [f32([1, 2])])).toThrow('jvp called with different primal and tangent shapes;Got primal shape (3,) and tangent shape as (2,)');
    expect(() => jvp(jnp.sin, [f32([1])], [[f32([1])]])).toThrow(
      'primal and tangent arguments to jax.jvp must have the same tree structure; primals have tree structure PyTreeDef([*]) whereas tangents have tree structure PyTreeDef([[*]]).',
    );
    expect(() => jvp(jnp.sin, f32([1]) as never, [f32([1])])).toThrow('primal and tangent arguments to jax.jvp must be tuples or lists; found ArrayImpl and list.');
  });
});
