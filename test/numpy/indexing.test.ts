// NumPy indexing: x.slice(...) (basic, advanced, boolean), x.at(...) updates, take, takeAlongAxis.
// Expected values are JAX 0.10.2's (jnp on the same inputs) unless marked as a hand computation.
import { jit, makeJaxpr, numpy as jnp, type Array } from '../../lib/index.js';
import { both } from '../helpers/eager_and_jit.js';

const x = jnp.arange(24).reshape([2, 3, 4]);
const v = jnp.arange(6);

const list = (a: Array) => a.tolistSync();

describe('basic indexing: integers, ranges, null, ellipsis', () => {
  test('integers and ranges as Python slices', () => {
    expect(both((a) => a.slice(-1), v).item()).toBe(5);
    expect(list(both((a) => a.slice([1]), v))).toEqual([1, 2, 3, 4, 5]);
    expect(list(both((a) => a.slice([null, -1]), v))).toEqual([0, 1, 2, 3, 4]);
    expect(list(both((a) => a.slice([null, null, 2]), v))).toEqual([0, 2, 4]);
    expect(list(both((a) => a.slice([]), v))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(list(v.slice([undefined, undefined, -1]))).toEqual([5, 4, 3, 2, 1, 0]);
    expect(list(both((a) => a.slice([4, 1, -2]), v))).toEqual([4, 2]);
    expect(list(v.slice([-2, null, -3]))).toEqual([4, 1]);
    expect(list(v.slice([-100, 2]))).toEqual([0, 1]);
    expect(list(v.slice([null, -100, -1]))).toEqual([5, 4, 3, 2, 1, 0]);
    expect(list(both((a) => a.slice([5, -7, -2]), v))).toEqual([5, 3, 1]);
  });

  test('empty slices', () => {
    expect(v.slice([3, 1]).shape).toEqual([0]);
    expect(v.slice([10])).toHaveProperty('shape', [0]);
    expect(v.slice([0, 3, -1]).shape).toEqual([0]);
    expect(both((a) => a.slice([2, 2], 1), x).shape).toEqual([0, 4]);
  });

  test('several axes, negative steps, ellipsis and new axes', () => {
    expect(list(both((a) => a.slice(1, -1), x))).toEqual([20, 21, 22, 23]);
    expect(list(x.slice('...', 1))).toEqual([[1, 5, 9], [13, 17, 21]]);
    expect(x.slice(null, '...', null).shape).toEqual([1, 2, 3, 4, 1]);
    expect(list(both((a) => a.slice(0, null, [], null, [null, null, -2]), x))).toEqual([[[[3, 1]], [[7, 5]], [[11, 9]]]]);
    expect(list(both((a) => a.slice('...', null, 1, [null, 2]), x))).toEqual([[[4, 5]], [[16, 17]]]);
    expect(list(x.slice(-1, [null, null, -1], 2))).toEqual([22, 18, 14]);
    expect(x.slice().shape).toEqual([2, 3, 4]);
    expect(x.slice('...').shape).toEqual([2, 3, 4]);
    expect(x.slice(0, 0, 0, '...').shape).toEqual([]);
  });

  test('basic indices lower to slice, rev, squeeze and broadcast_in_dim, as in JAX', () => {
    const text = makeJaxpr((a: Array) => a.slice(null, 1, [null, null, -2]))(x).toString();
    // JAX 0.10.2's jaxpr for x[None, 1, ::-2] (params sorted by name, as JAX prints them)
    expect(text).toContain('slice[limit_indices=(2, 3, 4) start_indices=(1, 0, 0) strides=(1, 2, 1)]');
    expect(text).toContain('rev[dimensions=(1,)]');
    expect(text).toContain('squeeze[dimensions=(0,)]');
    expect(text).toContain('broadcast_in_dim[broadcast_dimensions=(1, 2) shape=(1, 2, 4)]');
    expect(text).not.toContain('gather');
    // a 0-d integer Array index is a dynamic_slice, an array index a gather
    expect(makeJaxpr((a: Array, i: Array) => a.slice(i))(v, jnp.asarray(2, 'int32')).toString()).toContain('dynamic_slice[slice_sizes=(1,)]');
    expect(makeJaxpr((a: Array, i: Array) => a.slice(i))(v, jnp.array([2, 3])).toString()).toContain('gather[');
  });

  test('out-of-range static integers clamp, as in JAX 0.10.2', () => {
    expect(x.slice(2).tolistSync()).toEqual(x.slice(1).tolistSync());
    expect(x.slice(0, -4).tolistSync()).toEqual(x.slice(0, 0).tolistSync());
    expect(x.slice(0, 0, 4).tolistSync()).toEqual(x.slice(0, 0, -1).tolistSync());
  });

  test('errors: too many indices, bad entries', () => {
    expect(() => x.slice(0, 0, 0, 0)).toThrow('Too many indices: array is 3-dimensional, but 4 were indexed');
    expect(() => x.slice('...', 0, '...')).toThrow("an index can only have a single ellipsis ('...')");
    expect(() => x.slice(1.5)).toThrow('Indexer must have integer or boolean type, got indexer with type float');
    expect(() => x.slice(jnp.array([0.5]))).toThrow('Indexer must have integer or boolean type, got indexer with type float32');
    expect(() => v.slice([null, null, 0])).toThrow('slice step cannot be zero');
    expect(() => v.slice('x' as never)).toThrow("only integers, ranges [start, stop, step], '...', null (new axis) and integer or boolean Arrays are valid indices");
    expect(() => jnp.zeros([2, 0]).slice(0, 0)).toThrow('index 0 is out of bounds for axis 1 with size 0');
  });
});

describe('advanced indexing', () => {
  test('one array, and scalar Array indices', () => {
    expect(list(both((a, i) => a.slice(i), v, jnp.array([4, 0, -1, 4])))).toEqual([4, 0, 5, 4]); // hand: NumPy
    expect(both((a, i) => a.slice(i), v, jnp.asarray(-2, 'int32')).item()).toBe(4);
    expect(list(both((a, i) => a.slice(i, [1]), x, jnp.asarray(1, 'int32')))).toEqual([[16, 17, 18, 19], [20, 21, 22, 23]]);
    expect(list(both((a, i, j) => a.slice(i, [null, null, -1], j), x, jnp.asarray(-1, 'int32'), jnp.asarray(2, 'int8')))).toEqual([22, 18, 14]);
    expect(list(both((a, i) => a.slice('...', i), x, jnp.array([[0, 1], [2, 3]])))).toEqual([
      [[[0, 1], [2, 3]], [[4, 5], [6, 7]], [[8, 9], [10, 11]]],
      [[[12, 13], [14, 15]], [[16, 17], [18, 19]], [[20, 21], [22, 23]]],
    ]);
    expect(both((a, i) => a.slice(i), v, jnp.array([], { dtype: 'int32' })).shape).toEqual([0]);
  });

  test('out-of-range array indices clamp (the default gather mode)', () => {
    expect(list(both((a, i) => a.slice(i), v, jnp.array([7, -8])))).toEqual([5, 0]);
  });

  test("several arrays broadcast; NumPy's rule for where their dimensions go", () => {
    // non-adjacent advanced indices: their dimensions come first
    expect(list(both((a, i, j) => a.slice(i, [], j), x, jnp.array([1, 0]), jnp.array([3, -1])))).toEqual([[15, 19, 23], [3, 7, 11]]);
    // adjacent (an integer counts as advanced): they stay in place
    expect(list(both((a, i) => a.slice([], i, 1), x, jnp.array([0, 2])))).toEqual([[1, 9], [13, 21]]);
    expect(list(both((a, i, j) => a.slice(i, [null, null, -1], j), x, jnp.array([[1], [0]]), jnp.array([3, 0])))).toEqual([
      [[23, 19, 15], [20, 16, 12]],
      [[11, 7, 3], [8, 4, 0]],
    ]);
    expect(list(both((a, i) => a.slice([], null, i), x, jnp.array([0, 2])))).toEqual([[[[0, 1, 2, 3], [8, 9, 10, 11]]], [[[12, 13, 14, 15], [20, 21, 22, 23]]]]);
    // a new axis between them separates them
    expect(list(x.slice(jnp.array([0]), null, jnp.array([1])))).toEqual([[[4, 5, 6, 7]]]);
    expect(list(both((a, i) => a.slice(1, i, null, [null, null, 2]), x, jnp.array([2, 0])))).toEqual([[[20, 22]], [[12, 14]]]);
    expect(() => x.slice(jnp.array([0, 1]), jnp.array([0, 1, 2]))).toThrow('shape mismatch: indexing arrays could not be broadcast together with shapes (2,) (3,)');
  });

  test('boolean masks (concrete) become integer indices', () => {
    expect(list(x.slice(x.slice('...', 0).greater(4)))).toEqual([[8, 9, 10, 11], [12, 13, 14, 15], [16, 17, 18, 19], [20, 21, 22, 23]]);
    const mask = jnp.array([true, false, true]);
    expect(list(both((a) => a.slice([], mask), x))).toEqual([[[0, 1, 2, 3], [8, 9, 10, 11]], [[12, 13, 14, 15], [20, 21, 22, 23]]]);
    expect(x.slice(jnp.asarray(true)).shape).toEqual([1, 2, 3, 4]);
    expect(x.slice(0, jnp.asarray(false)).shape).toEqual([0, 3, 4]);
    expect(() => x.slice(0, jnp.array([true, false]))).toThrow('boolean index did not match shape of indexed array in index 1: got (2,), expected (3,)');
  });

  test('a traced boolean mask is an error, as JAX NonConcreteBooleanIndexError', () => {
    const f = jit((a: Array) => a.slice(a.greater(3)));
    expect(() => f(v)).toThrow(jnp.NonConcreteBooleanIndexError);
    expect(() => f(v)).toThrow('Array boolean indices must be concrete; got ShapedArray(bool[6])');
  });
});

describe('x.at(...)', () => {
  test('set, add, mul, min, max', () => {
    expect(list(both((a) => a.at(0, 1).set(100), x).slice(0))).toEqual([[0, 1, 2, 3], [100, 100, 100, 100], [8, 9, 10, 11]]);
    expect(list(both((a) => a.at([null, null, 2]).mul(-2), v))).toEqual([0, 1, -4, 3, -8, 5]);
    expect(list(both((a, u) => a.at(jnp.array([0, 5])).min(u), v, jnp.array([-1, 9])))).toEqual([-1, 1, 2, 3, 4, 5]);
    expect(list(both((a, u) => a.at([1, 3]).max(u), v, jnp.array([7, 0])))).toEqual([0, 7, 2, 3, 4, 5]);
    expect(list(v.at(-1).set(9))).toEqual([0, 1, 2, 3, 4, 9]);
    expect(list(v.at(jnp.array([-1, 0])).get())).toEqual([5, 0]);
  });

  test('duplicate indices: add accumulates; set is deterministic only with equal values', () => {
    expect(list(both((a, i) => a.at(i).add(10), v, jnp.array([1, 1, 3])))).toEqual([0, 21, 2, 13, 4, 5]);
    expect(list(both((a, i) => a.at(i).mul(3), v, jnp.array([2, 2])))).toEqual([0, 1, 18, 3, 4, 5]); // hand: 2 * 3 * 3
    expect(list(v.at(jnp.array([4, 4])).set(7))).toEqual([0, 1, 2, 3, 7, 5]);
    const winner = v.at(jnp.array([2, 2])).set(jnp.array([8, 9])).tolistSync() as number[];
    expect([8, 9]).toContain(winner[2]);
  });

  test('values broadcast to the indexed shape; negative steps and new axes', () => {
    expect(list(both((a, u) => a.at([], 1).set(u), x, jnp.array([9, 8, 7, 6])).slice(1))).toEqual([[12, 13, 14, 15], [9, 8, 7, 6], [20, 21, 22, 23]]);
    expect(list(both((a, u) => a.at([null, null, -2]).set(u), v, jnp.array([10, 20, 30])))).toEqual([0, 30, 2, 20, 4, 10]);
    expect(list(v.at(null, [2, 4]).set(jnp.array([[1, 2]])))).toEqual([0, 1, 1, 2, 4, 5]);
    expect(list(v.at(v.greater(3)).set(0))).toEqual([0, 1, 2, 3, 0, 0]);
    expect(() => v.at([0, 2]).set(jnp.array([1, 2, 3]))).toThrow('at: incompatible shapes for broadcasting: (3,), (2,)');
  });

  test('values convert to the dtype of x after a promoted update, as JAX', () => {
    expect(list(v.at(2).add(1.5))).toEqual([0, 1, 3, 3, 4, 5]);
    expect(v.at(2).add(1.5).dtype).toBe('int32');
    const h = jnp.arange(4, { dtype: 'float16' }).at(1).set(2.5);
    expect(h.dtype).toBe('float16');
    expect(list(h)).toEqual([0, 2.5, 2, 3]);
    const b = jnp.array([true, false, true]).at(1).set(true);
    expect(b.dtype).toBe('bool');
    expect(list(b)).toEqual([true, true, true]);
    expect(jnp.asarray(3).at(null).set(4).weakType).toBe(true);
  });

  test('out-of-range updates are dropped (default) or clipped; get can fill', () => {
    // the options of .at() methods (core's AtIndexer does not declare them yet)
    const at = (a: Array, ...index: Parameters<Array['at']>) => a.at(...index) as jnp.IndexUpdater;
    expect(list(both((a, i, u) => a.at(i).set(u), v, jnp.array([0, 9, -1]), jnp.array([7, 8, 9])))).toEqual([7, 1, 2, 3, 4, 9]);
    expect(list(v.at(6).set(1))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(list(at(v, jnp.array([0, 9])).set(jnp.array([7, 8]), { mode: 'clip' }))).toEqual([7, 1, 2, 3, 4, 8]);
    expect(list(both((a, i) => at(a, i).get({ mode: 'fill', fillValue: -5 }), v, jnp.array([0, 6, -1])))).toEqual([0, -5, 5]);
    expect(list(at(v.astype('float32'), jnp.array([0, 6])).get({ mode: 'fill' }))).toEqual([0, NaN]);
    expect(at(v, 9).get({ mode: 'clip' }).item()).toBe(5);
  });

  test('scatters are what .at() lowers to', () => {
    const text = makeJaxpr((a: Array) => a.at(jnp.array([1, 1])).add(1))(v).toString();
    expect(text).toContain('scatter-add[');
    expect(text).toContain('mode=fill');
  });
});

describe('take and takeAlongAxis', () => {
  test('take: fill (default), clip, wrap; axis or flattened', () => {
    const idx = jnp.array([0, 7, -1]);
    expect(list(both((a, i) => jnp.take(a, i), v, idx))).toEqual([0, -2147483648, 5]);
    expect(list(jnp.take(v.astype('float32'), idx))).toEqual([0, NaN, 5]);
    expect(list(both((a, i) => jnp.take(a, i, null, { mode: 'clip' }), v, idx))).toEqual([0, 5, 0]);
    expect(list(jnp.take(v, idx, { mode: 'wrap' }))).toEqual([0, 1, 5]);
    expect(list(jnp.take(v, idx, 0, { fillValue: -1 }))).toEqual([0, -1, 5]);
    expect(list(jnp.take(v.astype('uint8'), idx, 0, { fillValue: -1 }))).toEqual([0, 255, 5]); // JAX: -1 wraps into uint8
    expect(list(both((a, i) => jnp.take(a, i, 1), x, jnp.array([[0, 2]])))).toEqual([[[[0, 1, 2, 3], [8, 9, 10, 11]]], [[[12, 13, 14, 15], [20, 21, 22, 23]]]]);
    expect(list(jnp.take(x, jnp.array([5, 23])))).toEqual([5, 23]);
    expect(() => jnp.take(x, jnp.array([0.5]))).toThrow('take: indices must be integers, got float32');
  });

  test('takeAlongAxis, with broadcasting index dimensions', () => {
    const a = jnp.array([[4, 3, 5], [1, 2, 9]]);
    expect(list(both((p, i) => jnp.takeAlongAxis(p, i, 1), a, jnp.array([[1], [0]])))).toEqual([[3], [1]]);
    expect(list(both((p, i) => jnp.takeAlongAxis(p, i, 1), a, jnp.array([[2, 0, 1]])))).toEqual([[5, 4, 3], [9, 1, 2]]);
    expect(list(jnp.takeAlongAxis(a, jnp.array([[1, 0, 1]]), 0))).toEqual([[1, 3, 9]]);
    expect(list(jnp.takeAlongAxis(a.astype('float32'), jnp.array([[3], [-1]]), -1))).toEqual([[NaN], [9]]);
    expect(list(jnp.takeAlongAxis(a, jnp.array([5, 0]), null))).toEqual([9, 4]);
    expect(() => jnp.takeAlongAxis(a, jnp.array([1]), 1)).toThrow('indices and arr must have the same number of dimensions; 1 vs. 2');
  });
});
