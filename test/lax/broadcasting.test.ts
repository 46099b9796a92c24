// lax's implicit broadcasting in binary elementwise ops (JAX's broadcasting_shape_rule: rank-0
// operands, and size-1 dimensions of equal-rank operands), through jit, jvp, grad and vmap; and the
// other JAX 0.10 lax behaviours of this change: reshape with `dimensions`, dot_general of mixed
// dtypes. Expected values are JAX 0.10.2's (CPU), printed by the Python calls quoted above each.
import { grad, jit, jvp, lax, makeJaxpr, numpy as jnp, vmap, type Array } from '../../lib/index.js';

const f32 = (v: unknown) => jnp.array(v as number[], { dtype: 'float32' });
const add = (a: Array, b: Array) => lax.add.bind1([a, b]);
const sub = (a: Array, b: Array) => lax.sub.bind1([a, b]);
const mul = (a: Array, b: Array) => lax.mul.bind1([a, b]);
const div = (a: Array, b: Array) => lax.div.bind1([a, b]);
const max = (a: Array, b: Array) => lax.max.bind1([a, b]);
const rem = (a: Array, b: Array) => lax.rem.bind1([a, b]);
const lt = (a: Array, b: Array) => lax.lt.bind1([a, b]);

/** `f` eagerly and under jit: the same shape, dtype and bits; returns the eager result as lists. */
function both(f: (...xs: Array[]) => Array, ...args: Array[]): unknown {
  const [eager, jitted] = [f(...args), jit(f)(...args)];
  expect(jitted.shape).toEqual(eager.shape);
  expect(jitted.dtype).toBe(eager.dtype);
  expect([...jitted.dataSync()]).toEqual([...eager.dataSync()]);
  return eager.tolistSync();
}

const col = () => f32([[1.5], [-2]]); // [2, 1]
const row = () => f32([[0.5, 3, -1]]); // [1, 3]

describe('shapes and values', () => {
  test('size-1 dimensions broadcast; the result has each dimension that is not 1', () => {
    // lax.add(x, y), lax.max(x, y), lax.lt(x, y) with x = [[1.5], [-2.]], y = [[0.5, 3., -1.]]
    expect(both(add, col(), row())).toEqual([[2, 4.5, 0.5], [-1.5, 1, -3]]);
    expect(both(max, col(), row())).toEqual([[1.5, 3, 1.5], [0.5, 3, -1]]);
    expect(both(lt, col(), row())).toEqual([[false, true, false], [true, true, true]]);
    expect(add(f32([[1], [2]]).reshape([2, 1, 1]), f32([[[0, 0]]]).reshape([1, 1, 2])).shape).toEqual([2, 1, 2]);
    // lax.add(jnp.ones((0, 1)), jnp.ones((1, 5))).shape == (0, 5)
    expect(add(jnp.zeros([0, 1]), jnp.zeros([1, 5])).shape).toEqual([0, 5]);
  });

  test('a rank-0 operand broadcasts to any shape, on either side', () => {
    expect(both(sub, f32(2.5), row())).toEqual([[2, -0.5, 3.5]]);
    expect(both(sub, row(), f32(2.5))).toEqual([[-2, 0.5, -3.5]]);
    // the weak type is kept only if every operand is weak
    expect(add(jnp.asarray(1), jnp.asarray(2)).weakType).toBe(true);
    expect(add(jnp.asarray(1.5), f32([1])).weakType).toBe(false);
  });

  test('the jaxpr keeps the operands as they are, as JAX prints it', () => {
    // jax.make_jaxpr(lax.add)(x, y): { lambda ; a:f32[2,1] b:f32[1,3]. let c:f32[2,3] = add a b in (c,) }
    expect(makeJaxpr(add)(col(), row()).toString()).toContain('c:f32[2,3] = add a b');
  });

  test('errors, as JAX words them', () => {
    expect(() => add(f32([[1, 2, 3]]), f32([[1], [2]]).reshape([1, 2]))).toThrow('add got incompatible shapes for broadcasting: (1, 3), (1, 2).');
    expect(() => mul(f32([[1, 2]]), f32([1, 2]))).toThrow('mul: arrays must have the same number of dimensions, got {1, 2}');
    expect(() => jit(mul)(f32([[1, 2]]), f32([1, 2]))).toThrow('mul: arrays must have the same number of dimensions, got {1, 2}');
    expect(() => lax.selectN.bind1([jnp.array([true, false]).reshape([2, 1]), col(), f32([[1, 2]])])).toThrow('select_n');
  });
});

describe('autodiff', () => {
  test('jvp: a tangent of a broadcast operand is broadcast to the result', () => {
    // jax.jvp(lax.add, (2.5, y), (1., zeros_like(y))) == ([[3., 5.5, 1.5]], [[1., 1., 1.]])
    const [out, t] = jvp(add, [f32(2.5), row()], [f32(1), jnp.zerosLike(row())]);
    expect(out.tolistSync()).toEqual([[3, 5.5, 1.5]]);
    expect(t.tolistSync()).toEqual([[1, 1, 1]]);
    // jax.jvp(lax.rem, (x, y), (ones_like(x), zeros_like(y)))[1] == ones((2, 3))
    const [, tr] = jvp(rem, [col(), row()], [jnp.onesLike(col()), jnp.zerosLike(row())]);
    expect(tr.tolistSync()).toEqual([[1, 1, 1], [1, 1, 1]]);
  });

  test('grad: the cotangent is summed back over the broadcast dimensions (JAX _unbroadcast)', () => {
    const g = (f: (a: Array, b: Array) => Array, a: Array, b: Array) =>
      (grad((x: Array, y: Array) => f(x, y).sum(), { argnums: [0, 1] })(a, b) as Array[]).map((v) => v.tolistSync());
    // jax.grad(lambda a, b: lax.mul(a, b).sum(), (0, 1))(x, y)
    expect(g(mul, col(), row())).toEqual([[[2.5], [2.5]], [[-0.5, -0.5, -0.5]]]);
    // ... lax.sub with a = 2.5 (rank 0)
    expect(g(sub, f32(2.5), row())).toEqual([3, [[-1, -1, -1]]]);
    // ... lax.div
    expect(g(div, col(), row())).toEqual([[[1.3333332538604736], [1.3333332538604736]], [[2, 0.0555555522441864, 0.5]]]);
    // ... lax.max with y = [[0.5, 1.5, -2.]] (a tie splits the gradient)
    expect(g(max, col(), f32([[0.5, 1.5, -2]]))).toEqual([[[2.5], [0.5]], [[1, 1.5, 0.5]]]);
  });
});

describe('vmap', () => {
  const x = () => jnp.arange(6, { dtype: 'float32' }).reshape([2, 3]);
  test('an unbatched operand broadcasts over the batch (JAX broadcast_batcher)', () => {
    // jax.vmap(lax.add, (0, None))(x, [10.]) and jax.vmap(lax.add, (1, None))(x, [1.])
    expect(vmap(add, { inAxes: [0, null] })(x(), f32([10])).tolistSync()).toEqual([[10, 11, 12], [13, 14, 15]]);
    expect(vmap(add, { inAxes: [1, null] })(x(), f32([1])).tolistSync()).toEqual([[1, 4], [2, 5], [3, 6]]);
    // jax.vmap(lax.sub, (None, 0))([[1., 2., 3.]], stack([x, 2 * x]))
    const stacked = jnp.stack([x(), x().mul(2)]);
    expect(vmap(sub, { inAxes: [null, 0] })(f32([[1, 2, 3]]), stacked).tolistSync()).toEqual([[[1, 1, 1], [-2, -2, -2]], [[1, 0, -1], [-5, -6, -7]]]);
  });

  test('a batched per-example scalar broadcasts against a batched array', () => {
    // jax.vmap(lax.mul)([2., 3.], x) and jax.vmap(lax.sub, (1, 0))([[1., 2.], [3., 4.]], [10., 20.])
    expect(vmap(mul)(f32([2, 3]), x()).tolistSync()).toEqual([[0, 2, 4], [9, 12, 15]]);
    expect(vmap(sub, { inAxes: [1, 0] })(f32([[1, 2], [3, 4]]), f32([10, 20])).tolistSync()).toEqual([[-9, -7], [-18, -16]]);
  });
});

describe('reshape with dimensions (transposed first)', () => {
  const a = () => jnp.arange(6, { dtype: 'float32' }).reshape([2, 3]);
  const r = (x: Array) => lax.reshape.bind1([x], { new_sizes: [3, 2], dimensions: [1, 0] });
  test('values, grad, vmap and the jaxpr (JAX 0.10.2)', () => {
    // lax.reshape(a, (3, 2), (1, 0))
    expect(both(r, a())).toEqual([[0, 3], [1, 4], [2, 5]]);
    // jax.grad(lambda a: (lax.reshape(a, (3, 2), (1, 0)) * [[1, 2], [3, 4], [5, 6]]).sum())(a)
    const w = f32([[1, 2], [3, 4], [5, 6]]);
    expect((grad((x: Array) => r(x).mul(w).sum())(a()) as Array).tolistSync()).toEqual([[1, 3, 5], [2, 4, 6]]);
    // jax.vmap(lambda a: lax.reshape(a, (3, 2), (1, 0)))(stack([a, a + 10]))
    expect(vmap(r)(jnp.stack([a(), a().add(10)])).tolistSync()).toEqual([[[0, 3], [1, 4], [2, 5]], [[10, 13], [11, 14], [12, 15]]]);
  });
});

describe('dot_general of mixed dtypes', () => {
  const dims = { dimension_numbers: [[[1], [0]], [[], []]], preferred_element_type: null };
  const dot = (x: Array, y: Array) => lax.dotGeneral.bind1([x, y], dims);
  const vec = (x: Array, y: Array, preferred: string | null = null) =>
    lax.dotGeneral.bind1([x, y], { dimension_numbers: [[[0], [0]], [[], []]], preferred_element_type: preferred });

  test('the wider operand dtype wins (XLA HigherPrecisionType), and grads keep each dtype', () => {
    const a = jnp.arange(6, { dtype: 'float32' }).reshape([2, 3]);
    const b = jnp.array([[1.5], [0.25], [-2]], { dtype: 'bfloat16' });
    // lax.dot_general(a, b, (((1,), (0,)), ((), ()))) == [[-3.75], [-4.5]], float32
    const out = dot(a, b);
    expect(out.dtype).toBe('float32');
    expect(both(dot, a, b)).toEqual([[-3.75], [-4.5]]);
    // jax.grad(lambda a, b: dot(a, b).sum(), (0, 1))(a, b): float32 and bfloat16
    const [ga, gb] = grad((x: Array, y: Array) => dot(x, y).sum(), { argnums: [0, 1] })(a, b) as Array[];
    expect([ga!.dtype, gb!.dtype]).toEqual(['float32', 'bfloat16']);
    expect(ga!.tolistSync()).toEqual([[1.5, 0.25, -2], [1.5, 0.25, -2]]);
    expect(gb!.tolistSync()).toEqual([[3], [5], [7]]);
  });

  test('result dtypes of other pairs, and preferred_element_type', () => {
    const i = (d: string) => jnp.array([1, 2], { dtype: d as 'int8' });
    // int8 x uint8 → int8; int32 x float16 → float16; float16 x bfloat16 → bfloat16 (value 11)
    expect(vec(i('int8'), i('uint8')).dtype).toBe('int8');
    expect(vec(i('int32'), i('float16')).dtype).toBe('float16');
    const fb = vec(i('float16'), i('bfloat16'));
    expect([fb.dtype, fb.item()]).toEqual(['bfloat16', 5]);
    // preferred_element_type=float32 for int32 x bfloat16; int32 for int8 x int8
    expect(vec(i('int32'), i('bfloat16'), 'float32').dtype).toBe('float32');
    const ii = vec(i('int8'), i('int8'), 'int32');
    expect([ii.dtype, ii.item()]).toEqual(['int32', 5]);
  });
});
