// Reverse mode: linearize (jvp + partial evaluation), vjp (= linearize then transpose), the
// transpose rule of every linear primitive, and vjp of jit. Expected values: formulas, JAX's docs.
import { hessian, jit, jvp, lax, linearize, linearTranspose, makeJaxpr, numpy as jnp, vjp, type Array } from '../../lib/index.js';

const list = (x: unknown) => (x as Array).tolistSync();
const item = (x: unknown) => Number((x as Array).item());
const bits = (x: unknown) => Buffer.from(((x as Array).dataSync() as Float32Array).buffer).toString('hex');
const f32 = (values: unknown) => jnp.array(values as number[], { dtype: 'float32' });

describe('linearize', () => {
  test("JAX's example: f(x) = 3 sin(x) + cos(x / 2) at 2", () => {
    const f = (x: Array) => jnp.sin(x).mul(3).add(jnp.cos(x.div(2)));
    const [y, fJvp] = linearize(f, f32(2)); // (a JS 2.0 is the integer 2)
    expect(item(y)).toBeCloseTo(3.2681944, 6);
    expect(item(fJvp(3))).toBeCloseTo(-5.007528, 5);
    expect(item(fJvp(4))).toBeCloseTo(-6.676704, 5);
    expect(bits(fJvp(3))).toBe(bits(jvp(f, [f32(2)], [3])[1]));
  });

  test('pytrees, aux, and constant outputs', () => {
    const f = (p: { a: Array; b: Array }) => [{ s: p.a.mul(p.b) }, jnp.ones([2]), { aux: p.a.add(1) }] as const;
    const [out, fJvp, aux] = linearize((p: { a: Array; b: Array }) => [f(p).slice(0, 2), f(p)[2]] as const, { a: f32([1, 2]), b: f32([3, 4]) }, { hasAux: true });
    expect(list((out[0] as { s: Array }).s)).toEqual([3, 8]);
    const t = fJvp({ a: f32([1, 1]), b: f32([0, 1]) }) as unknown as [{ s: Array }, Array];
    expect(list(t[0].s)).toEqual([3, 6]);
    expect(list(t[1])).toEqual([0, 0]);
    expect(list(aux.aux)).toEqual([2, 3]);
  });
});

describe('vjp', () => {
  test('one cotangent per primal, as pytrees', () => {
    const f = (x: Array, p: { y: Array }) => x.mul(p.y).add(jnp.sin(x));
    const x = f32([0.5, 1]);
    const [out, vjpFn] = vjp(f, x, { y: f32([2, 3]) });
    expect(list(out)).toEqual(list(x.mul(f32([2, 3])).add(jnp.sin(x))));
    const [gx, gp] = vjpFn(f32([1, 2]));
    const expected = [1 * (2 + Math.cos(0.5)), 2 * (3 + Math.cos(1))];
    (list(gx) as number[]).forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 5));
    expect(list(gp.y)).toEqual([0.5, 2]);
  });

  test('with aux, and a JS number cotangent', () => {
    expect(vjp((x: Array) => x.mul(2), f32(3)).length).toBe(2); // [out, vjpFn], as JAX's pair
    expect(vjp((x: Array) => [x.mul(x), x] as const, f32(3), { hasAux: true }).length).toBe(3); // [out, vjpFn, aux]
    const [y, vjpFn, aux] = vjp((x: Array) => [x.mul(x), x.mul(2)] as const, f32(3), { hasAux: true });
    expect(item(y)).toBe(9);
    expect(item(aux)).toBe(6);
    expect(item(vjpFn(1)[0])).toBe(6);
  });

  test('integer inputs get null cotangents; unused inputs get zeros', () => {
    const [, vjpFn] = vjp((x: Array, n: Array, z: Array) => x.mul(n.astype('float32')), f32([1, 2]), jnp.array([3, 4]), f32([5]));
    const [gx, gn, gz] = vjpFn(f32([1, 1]));
    expect(list(gx)).toEqual([3, 4]);
    expect(gn).toBeNull();
    expect(list(gz)).toEqual([0]);
  });

  test('a cotangent of the wrong shape is an error', () => {
    const [, vjpFn] = vjp((x: Array) => x.mul(2), f32([1, 2, 3]));
    expect(() => vjpFn(f32([1, 2]))).toThrow(
      'unexpected JAX type (e.g. shape/dtype) for argument to VJP function: got f32[2], but expected f32[3] because the corresponding output of the differentiated function had JAX type f32[3]',
    );
  });
});

describe('transpose rules of the linear primitives', () => {
  const pull = (f: (x: Array) => Array, x: Array, ct: Array) => list(vjp(f, x)[1](ct)[0]);

  test('add, sub, neg, mul by a constant, div of the numerator', () => {
    expect(pull((x) => x.add(x).sub(x.neg()), f32([1, 2]), f32([1, 2]))).toEqual([3, 6]);
    expect(pull((x) => x.mul(f32([2, 3])).div(4), f32([1, 2]), f32([1, 1]))).toEqual([0.5, 0.75]);
  });

  test('broadcast_in_dim sums over broadcast dimensions and over expanded size-1 dimensions', () => {
    expect(pull((x) => lax.broadcastInDim.bind1([x], { shape: [2, 3], broadcast_dimensions: [1] }), f32([1, 2, 3]), f32([[1, 2, 3], [4, 5, 6]]))).toEqual([5, 7, 9]);
    expect(pull((x) => lax.broadcastInDim.bind1([x], { shape: [4, 3], broadcast_dimensions: [0, 1] }), f32([[1, 2, 3]]), jnp.ones([4, 3]))).toEqual([[4, 4, 4]]);
  });

  test('reshape, transpose, squeeze, rev, reduce_sum', () => {
    const ct = f32([[1, 2], [3, 4], [5, 6]]);
    expect(pull((x) => x.reshape([3, 2]), jnp.zeros([2, 3]), ct)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(pull((x) => x.T, jnp.zeros([2, 3]), ct)).toEqual([[1, 3, 5], [2, 4, 6]]);
    expect(pull((x) => lax.transpose.bind1([x], { permutation: [2, 0, 1] }), jnp.zeros([1, 2, 3]), ct.reshape([3, 1, 2]))).toEqual([[[1, 3, 5], [2, 4, 6]]]);
    expect(pull((x) => jnp.squeeze(x, 1), jnp.zeros([2, 1]), f32([7, 8]))).toEqual([[7], [8]]);
    expect(pull((x) => lax.rev.bind1([x], { dimensions: [0] }), jnp.zeros([3]), f32([1, 2, 3]))).toEqual([3, 2, 1]);
    expect(pull((x) => x.sum(1), jnp.zeros([2, 3]), f32([1, 2]))).toEqual([[1, 1, 1], [2, 2, 2]]);
  });

  test('dot_general with batch dimensions: ct @ rhsᵀ and lhsᵀ @ ct per batch', () => {
    const lhs = jnp.arange(24, { dtype: 'float32' }).reshape([2, 3, 4]).mul(0.1);
    const rhs = jnp.arange(40, { dtype: 'float32' }).reshape([2, 4, 5]).mul(0.05);
    const ct = jnp.arange(30, { dtype: 'float32' }).reshape([2, 3, 5]).sub(10);
    const [, vjpFn] = vjp((a: Array, b: Array) => jnp.matmul(a, b), lhs, rhs);
    const [ga, gb] = vjpFn(ct);
    expect(list(ga)).toEqual(list(jnp.matmul(ct, jnp.swapaxes(rhs, 1, 2))));
    expect(list(gb)).toEqual(list(jnp.matmul(jnp.swapaxes(lhs, 1, 2), ct)));
  });

  test('select_n routes the cotangent to the chosen case', () => {
    const [, vjpFn] = vjp((x: Array, y: Array) => jnp.where(f32([1, 0, 1]).greater(0), x, y), f32([1, 2, 3]), f32([4, 5, 6]));
    const [gx, gy] = vjpFn(f32([10, 20, 30]));
    expect(list(gx)).toEqual([10, 0, 30]);
    expect(list(gy)).toEqual([0, 20, 0]);
  });

  test('convert_element_type converts the cotangent back', () => {
    const [g] = vjp((x: Array) => x.astype('bfloat16').mul(2).astype('float32'), f32([1, 2]))[1](f32([1, 1]));
    expect(g.dtype).toBe('float32');
    expect(list(g)).toEqual([2, 2]);
  });

  test('real, imag, complex and conj', () => {
    const f = (x: Array) => {
      const z = lax.complex.bind1([x, x.mul(2)]);
      return lax.real.bind1([lax.conj.bind1([z])]).add(lax.imag.bind1([z]).mul(3));
    };
    expect(list(vjp(f, f32([1, 2]))[1](f32([1, 1]))[0])).toEqual([7, 7]);
    expect(list(jvp(f, [f32([1, 2])], [f32([1, 1])])[1])).toEqual([7, 7]);
  });

  test('pjit: vjp of jit(f) matches vjp of f (XLA fuses the jitted backward pass), with jitted known and transposed parts', () => {
    const f = (x: Array) => jnp.tanh(x).mul(jnp.exp(x.div(3))).sum();
    const x = f32([0.5, -1.25, 2]);
    const [y1, v1] = vjp(f, x);
    const [y2, v2] = vjp(jit(f), x);
    expect(bits(y2)).toBe(bits(y1));
    (list(v2(1)[0]) as number[]).forEach((g, i) => expect(g).toBeCloseTo((list(v1(1)[0]) as number[])[i]!, 6));
    const jaxpr = makeJaxpr((a: Array) => vjp(jit(f), a)[1](f32(1))[0])(x).toString();
    expect(jaxpr.match(/pjit/g)?.length).toBe(2); // the known part, then the transposed linear part
  });
});

describe('jit with forwarded inputs, constant outputs, integer arguments and closed-over constants', () => {
  const W = f32([[1, 2], [3, 4]]);
  const f = jit((x: Array, n: Array) => [x, jnp.ones([2]), jnp.dot(W, x).mul(n.astype('float32')), n]);

  test('vjp, jvp and linearize split the call into known and linear parts', () => {
    const [out, vjpFn] = vjp(f, f32([1, 2]), jnp.array(3));
    expect(out.map(list)).toEqual([[1, 2], [1, 1], [15, 33], 3]);
    const [gx, gn] = vjpFn([f32([1, 1]), f32([1, 1]), f32([1, 0]), null]);
    expect(list(gx)).toEqual([4, 7]); // ct₀ + 3 Wᵀ ct₂
    expect(gn).toBeNull();
    const [, t] = jvp(f, [f32([1, 2]), jnp.array(3)], [f32([1, 0]), null]);
    expect(t.map((x) => x && list(x))).toEqual([[1, 0], [0, 0], [3, 9], null]);
    const [, fJvp] = linearize(f, f32([1, 2]), jnp.array(3));
    expect((fJvp(f32([1, 0]), null) as (Array | null)[]).map((x) => x && list(x))).toEqual([[1, 0], [0, 0], [3, 9], null]);
  });

  test('hessian through nested jits: g(x) = yᵀWy with y = x², H = diag(2(W+Wᵀ)y) + 4 xᵢxⱼ(W+Wᵀ)ᵢⱼ', () => {
    const g = jit((x: Array) => jit((y: Array) => jnp.dot(W, y).mul(y).sum())(x.mul(x)));
    expect(list(hessian(g)(f32([1, 2])))).toEqual([[52, 40], [40, 202]]);
  });
});

describe('linearTranspose', () => {
  test('of a linear function', () => {
    const t = linearTranspose((x: Array, y: Array) => x.mul(3).add(y.sum()), f32([1, 2]), f32([5, 6, 7]));
    const [gx, gy] = t(f32([1, 2]));
    expect(list(gx)).toEqual([3, 6]);
    expect(list(gy)).toEqual([3, 3, 3]);
  });
});
