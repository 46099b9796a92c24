// lax.sort, lax.sortKeyVal and lax.topK: expected values computed with JAX 0.10.2 on CPU
// (`jax.lax.sort`, `jax.lax.top_k`), eager and jitted giving the same bits.
import { jit, lax, makeJaxpr, numpy as jnp, type Array } from '../../lib/index.js';

const bytes = (x: Array): Buffer => {
  const d = x.dataSync();
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
};

/** Runs `f` eagerly and under jit, checks both give the same shapes, dtypes and bits, returns the eager outputs. */
function both(f: (...args: Array[]) => Array | Array[], ...args: Array[]): Array[] {
  const eager = [f(...args)].flat();
  const jitted = [jit(f)(...args)].flat();
  eager.forEach((e, i) => {
    const j = jitted[i]!;
    expect([j.shape, j.dtype]).toEqual([e.shape, e.dtype]);
    expect(bytes(j).equals(bytes(e))).toBe(true);
  });
  return eager;
}
const list = (x: Array) => x.tolistSync();

const x = jnp.array([[3, -0.0, NaN, 1, 0, -Infinity], [2, 2, 1, NaN, -1, 5]], { dtype: 'float32' });

describe('lax.sort', () => {
  test('floats: -inf first, -0.0 and 0.0 equal (stable order kept), NaN last', () => {
    const [s] = both((a) => lax.sort(a), x);
    expect(list(s!)).toEqual([[-Infinity, -0, 0, 1, 3, NaN], [-1, 1, 2, 2, 5, NaN]]);
    const [s0] = both((a) => lax.sort(a, { dimension: 0 }), x);
    expect(list(s0!)).toEqual([[2, -0, 1, 1, -1, -Infinity], [3, 2, NaN, NaN, 0, 5]]);
  });

  test('integer, unsigned, bool and complex (lexicographic real, imag) dtypes', () => {
    const [i] = both((a) => lax.sort(a), jnp.array([[5, -3, 0], [-7, 2, 2]], { dtype: 'int32' }));
    expect(list(i!)).toEqual([[-3, 0, 5], [-7, 2, 2]]);
    const [u] = both((a) => lax.sort(a), jnp.array([200, 3, 255, 0], { dtype: 'uint8' }));
    expect(list(u!)).toEqual([0, 3, 200, 255]);
    expect(u!.dtype).toBe('uint8');
    const [b] = both((a) => lax.sort(a), jnp.array([true, false, true, false]));
    expect(list(b!)).toEqual([false, false, true, true]);
    const c = lax.complex.bind1([jnp.array([1, 1, -1, 1, NaN], { dtype: 'float32' }), jnp.array([2, -1, 5, 0, 0], { dtype: 'float32' })]);
    const [cs] = both((a) => lax.sort(a), c);
    expect(globalThis.Array.from(cs!.dataSync() as Float32Array)).toEqual([-1, 5, 1, -1, 1, 0, 1, 2, NaN, 0]);
  });

  test('sortKeyVal is stable: equal keys keep their order', () => {
    const keys = jnp.array([2, 1, 2, 1, 0], { dtype: 'int32' });
    const values = jnp.arange(5, { dtype: 'int32' });
    const [k, v] = both((a, b) => lax.sortKeyVal(a, b), keys, values);
    expect(list(k!)).toEqual([0, 1, 1, 2, 2]);
    expect(list(v!)).toEqual([4, 1, 3, 0, 2]);
  });

  test('several operands ordered by the first numKeys, lexicographically', () => {
    const a = jnp.array([1, 0, 1, 0, 1], { dtype: 'int32' });
    const b = jnp.array([3, 2, 1, 2, NaN], { dtype: 'float32' });
    const c = jnp.arange(5, { dtype: 'int32' });
    const outs = both((p, q, r) => lax.sort([p, q, r], { numKeys: 2 }), a, b, c);
    expect(outs.map(list)).toEqual([[0, 0, 1, 1, 1], [2, 2, 1, 3, NaN], [1, 3, 2, 0, 4]]);
  });

  test('prints as JAX does', () => {
    expect(makeJaxpr((a: Array) => lax.sort(a, { dimension: 0 }))(x).toString()).toContain('b:f32[2,6] = sort[dimension=0 is_stable=True num_keys=1] a');
  });

  test('errors name the op and the shapes', () => {
    expect(() => lax.sort([jnp.zeros([3]), jnp.zeros([4])])).toThrow('Arguments to sort must have equal shapes, got: (3,) (4,)');
    expect(() => lax.sort([jnp.zeros([3])], { numKeys: 2 })).toThrow('num_keys=2 must be between 1 and len(operand)=1');
    expect(() => lax.sort(jnp.zeros([3]), { numKeys: 2 })).toThrow('num_keys=2 must equal 1 for a single operand.');
    expect(() => lax.sort(jnp.zeros([3]), { dimension: 1 })).toThrow('sort: axis 1 is out of bounds for array of dimension 1');
    expect(() => lax.sort([])).toThrow('Sort requires at least one operand');
  });
});

describe('lax.topK', () => {
  test('largest first with int32 indices; NaN is the largest', () => {
    const [v, i] = both((a) => lax.topK(a, 3), x);
    expect(list(v!)).toEqual([[NaN, 3, 1], [NaN, 5, 2]]);
    expect(list(i!)).toEqual([[2, 0, 3], [3, 5, 0]]);
    expect(i!.dtype).toBe('int32');
  });

  test('ties go to the lower index; total order puts 0.0 before -0.0 and -NaN last', () => {
    const [v, i] = both((a) => lax.topK(a, 2), jnp.array([[1, 3, 3, 2], [4, 4, 0, 4]], { dtype: 'int32' }));
    expect(list(v!)).toEqual([[3, 3], [4, 4]]);
    expect(list(i!)).toEqual([[1, 2], [0, 1]]);
    const negNaN = new Float32Array(new Uint32Array([0xffc00000]).buffer)[0]!;
    const [zv, zi] = both((a) => lax.topK(a, 4), jnp.array([0, -0, negNaN, 1], { dtype: 'float32' }));
    expect(list(zv!)).toEqual([1, 0, -0, NaN]);
    expect(list(zi!)).toEqual([3, 0, 1, 2]);
  });

  test('along another axis', () => {
    const [v, i] = both((a) => lax.topK(a, 2, { axis: 0 }), jnp.array([[1, 5], [7, 2], [3, 6]], { dtype: 'float32' }));
    expect(list(v!)).toEqual([[7, 6], [3, 5]]);
    expect(list(i!)).toEqual([[1, 2], [2, 0]]);
    expect(makeJaxpr((a: Array) => lax.topK(a, 2))(x).toString()).toContain('b:f32[2,2] c:i32[2,2] = top_k[axis=1 k=2] a');
  });

  test('errors', () => {
    expect(() => lax.topK(x, 7)).toThrow('k argument to top_k must be no larger than size along axis; got k=7 with shape=[2,6] and axis=1');
    expect(() => lax.topK(x, -1)).toThrow('k argument to top_k must be nonnegative, got -1');
    expect(() => lax.topK(lax.complex.bind1([jnp.zeros([2]), jnp.zeros([2])]), 1)).toThrow('top_k is not compatible with complex inputs.');
  });
});
