// Structure functions: concatenate, stack, hstack, vstack, split, tile, repeat, flip, roll, pad,
// tril, triu, diagonal, trace, moveaxis, broadcastArrays, nonzero. Expected values are JAX 0.10.2's.
import { jit, numpy as jnp, type Array } from '../../lib/index.js';
import { both } from '../helpers/eager_and_jit.js';

const m = jnp.arange(6).reshape([2, 3]);

const list = (a: Array) => a.tolistSync();
const lists = (as: Array[]) => as.map((a) => a.tolistSync());

describe('joining', () => {
  test('concatenate: axes, flattening, dtype promotion as NumPy', () => {
    expect(list(both((a) => jnp.concatenate([a, a.mul(10)], 1), m))).toEqual([[0, 1, 2, 0, 10, 20], [3, 4, 5, 30, 40, 50]]);
    expect(list(jnp.concatenate([m, jnp.arange(2)], null))).toEqual([0, 1, 2, 3, 4, 5, 0, 1]);
    const promoted = jnp.concatenate([jnp.ones([2], { dtype: 'int8' }), jnp.ones([1], { dtype: 'uint8' })]);
    expect([promoted.dtype, list(promoted)]).toEqual(['int16', [1, 1, 1]]);
    const weak = jnp.concatenate([jnp.ones([2], { dtype: 'float16' }), jnp.array([2.5])]);
    expect([weak.dtype, list(weak)]).toEqual(['float32', [1, 1, 2.5]]);
    expect(jnp.concatenate([jnp.ones([2], { dtype: 'int32' }), jnp.ones([1], { dtype: 'int32' })], { dtype: 'float32' }).dtype).toBe('float32');
    expect(jnp.concatenate([m, jnp.ones([3, 3], { dtype: 'int32' })]).shape).toEqual([5, 3]);
  });

  test('concatenate errors', () => {
    expect(() => jnp.concatenate([m, jnp.ones([3, 3], { dtype: 'int32' })], 1)).toThrow(
      'Cannot concatenate arrays with shapes that differ in dimensions other than the one being concatenated: concatenating along dimension 1 for shapes (2, 3), (3, 3).',
    );
    expect(() => jnp.concatenate([m, jnp.arange(3)])).toThrow('Cannot concatenate arrays with different numbers of dimensions: got (2, 3), (3,).');
    expect(() => jnp.concatenate([m, m], 2)).toThrow('concatenate: axis 2 is out of bounds for array of dimension 2');
    expect(() => jnp.concatenate([jnp.asarray(1), jnp.asarray(2)])).toThrow('Zero-dimensional arrays cannot be concatenated.');
    expect(() => jnp.concatenate([])).toThrow('Need at least one array to concatenate.');
  });

  test('stack, hstack, vstack', () => {
    expect(list(both((a) => jnp.stack([a, a.mul(2)], 1), jnp.arange(3)))).toEqual([[0, 0], [1, 2], [2, 4]]);
    expect(jnp.stack([m, m], -1).shape).toEqual([2, 3, 2]);
    expect(() => jnp.stack([jnp.zeros([2]), jnp.zeros([3])])).toThrow('All input arrays must have the same shape. Got (2,), (3,).');
    expect(() => jnp.stack([])).toThrow('Need at least one array to stack.');
    expect(list(jnp.hstack([jnp.arange(2), jnp.arange(3)]))).toEqual([0, 1, 0, 1, 2]);
    expect(list(jnp.hstack([m, m]))).toEqual([[0, 1, 2, 0, 1, 2], [3, 4, 5, 3, 4, 5]]);
    expect(list(jnp.vstack([jnp.arange(3), m]))).toEqual([[0, 1, 2], [0, 1, 2], [3, 4, 5]]);
  });
});

describe('splitting, tiling, repeating, flipping, rolling', () => {
  test('split into sections or at indices', () => {
    expect(lists(jnp.split(jnp.arange(6), 3))).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(lists(jnp.split(jnp.arange(6), [1, 4]))).toEqual([[0], [1, 2, 3], [4, 5]]);
    // NumPy's slicing of each piece (JAX 0.10.2 rejects these split points)
    expect(lists(jnp.split(jnp.arange(6), [4, 2, 10]))).toEqual([[0, 1, 2, 3], [], [2, 3, 4, 5], []]);
    expect(lists(jnp.split(m, [-1], 1))).toEqual([[[0, 1], [3, 4]], [[2], [5]]]);
    expect(() => jnp.split(jnp.arange(5), 2)).toThrow('array split does not result in an equal division: rest is 1');
  });

  test('tile and repeat', () => {
    expect(list(both((a) => jnp.tile(a, [2, 2]), jnp.arange(3)))).toEqual([[0, 1, 2, 0, 1, 2], [0, 1, 2, 0, 1, 2]]);
    expect(list(jnp.tile(m, 2))).toEqual([[0, 1, 2, 0, 1, 2], [3, 4, 5, 3, 4, 5]]);
    expect(jnp.tile(jnp.array([1, 2]), [2, 1, 2]).shape).toEqual([2, 1, 4]);
    expect(list(both((a) => jnp.repeat(a, 2), m))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(list(jnp.repeat(m, 2, 0))).toEqual([[0, 1, 2], [0, 1, 2], [3, 4, 5], [3, 4, 5]]);
    expect(list(jnp.repeat(m, 3, -1))).toEqual([[0, 0, 0, 1, 1, 1, 2, 2, 2], [3, 3, 3, 4, 4, 4, 5, 5, 5]]);
    expect(jnp.repeat(m, 0, 1).shape).toEqual([2, 0]);
    expect(() => jnp.repeat(m, -1)).toThrow('repeat: repeats must be a non-negative integer, got -1');
  });

  test('flip and roll', () => {
    expect(list(both((a) => jnp.flip(a), m))).toEqual([[5, 4, 3], [2, 1, 0]]);
    expect(list(jnp.flip(m, 1))).toEqual([[2, 1, 0], [5, 4, 3]]);
    expect(list(both((a) => jnp.roll(a, 2), jnp.arange(5)))).toEqual([3, 4, 0, 1, 2]);
    expect(list(jnp.roll(jnp.arange(5), -7))).toEqual([2, 3, 4, 0, 1]);
    expect(list(jnp.roll(m, 1))).toEqual([[5, 0, 1], [2, 3, 4]]);
    expect(list(both((a) => jnp.roll(a, [1, -1], [0, 1]), m))).toEqual([[4, 5, 3], [1, 2, 0]]);
    // a traced shift: a dynamic slice of the doubled array
    expect(list(both((a, s) => jnp.roll(a, s, 1), m, jnp.asarray(4, 'int32')))).toEqual([[2, 0, 1], [5, 3, 4]]);
  });
});

describe('pad', () => {
  test('constant mode: widths per axis and side, values per axis and side', () => {
    expect(list(both((a) => jnp.pad(a, 2), jnp.arange(3)))).toEqual([0, 0, 0, 1, 2, 0, 0]);
    expect(list(jnp.pad(m, [1, 2]))).toEqual([[0, 0, 0, 0, 0, 0], [0, 0, 1, 2, 0, 0], [0, 3, 4, 5, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]]);
    expect(list(jnp.pad(m, [[1, 0], [0, 2]], { constantValues: -1 }))).toEqual([[-1, -1, -1, -1, -1], [0, 1, 2, -1, -1], [3, 4, 5, -1, -1]]);
    expect(list(both((a) => jnp.pad(a, [[1, 1], [1, 1]], { constantValues: [[7, 8], [9, 10]] }), m))).toEqual([
      [9, 7, 7, 7, 10],
      [9, 0, 1, 2, 10],
      [9, 3, 4, 5, 10],
      [9, 8, 8, 8, 10],
    ]);
    expect(list(jnp.pad(jnp.arange(2), 1, { constantValues: 2.5 }))).toEqual([2, 0, 1, 2]);
  });

  test('errors', () => {
    expect(() => jnp.pad(m, -1)).toThrow("index can't contain negative values");
    expect(() => jnp.pad(m, 1, { mode: 'foo' })).toThrow("Unimplemented padding mode 'foo' for np.pad."); // other modes: pad_modes.test.ts
    expect(() => jnp.pad(m, [1, 2, 3])).toThrow('pad: cannot broadcast [1,2,3] to shape (2, 2)');
  });
});

describe('triangles, diagonals, axes', () => {
  const a = jnp.arange(1, 13).reshape([3, 4]);
  test('tril and triu', () => {
    expect(list(both((p) => jnp.tril(p), a))).toEqual([[1, 0, 0, 0], [5, 6, 0, 0], [9, 10, 11, 0]]);
    expect(list(jnp.tril(a, -1))).toEqual([[0, 0, 0, 0], [5, 0, 0, 0], [9, 10, 0, 0]]);
    expect(list(both((p) => jnp.triu(p), a))).toEqual([[1, 2, 3, 4], [0, 6, 7, 8], [0, 0, 11, 12]]);
    expect(list(jnp.triu(a, 1))).toEqual([[0, 2, 3, 4], [0, 0, 7, 8], [0, 0, 0, 12]]);
    expect(list(jnp.triu(jnp.arange(8, { dtype: 'float32' }).reshape([2, 2, 2])))).toEqual([[[0, 1], [0, 3]], [[4, 5], [0, 7]]]);
    expect(() => jnp.tril(jnp.arange(3))).toThrow('Argument to jax.numpy.tril must be at least 2D');
  });

  test('diagonal and trace', () => {
    const b = jnp.arange(12).reshape([3, 4]);
    const c = jnp.arange(24).reshape([2, 3, 4]);
    expect(list(both((p) => jnp.diagonal(p), b))).toEqual([0, 5, 10]);
    expect(list(jnp.diagonal(b, 1))).toEqual([1, 6, 11]);
    expect(list(jnp.diagonal(b, -1))).toEqual([4, 9]);
    expect(jnp.diagonal(b, 5).shape).toEqual([0]);
    expect(list(both((p) => jnp.diagonal(p, 0, 1, 2), c))).toEqual([[0, 5, 10], [12, 17, 22]]);
    expect(list(jnp.diagonal(c, 1, 2, 0))).toEqual([[12], [16], [20]]);
    expect(() => jnp.diagonal(jnp.ones([3]))).toThrow('diagonal requires an array of at least two dimensions.');
    expect(both((p) => jnp.trace(p), b).item()).toBe(15);
    expect(jnp.trace(b, -1).item()).toBe(13);
    const t8 = jnp.trace(jnp.ones([3, 3], { dtype: 'int8' }));
    expect([t8.dtype, t8.item()]).toEqual(['int32', 3]);
    expect(jnp.trace(jnp.array([[1, Infinity], [2, 3]])).item()).toBe(4); // off-diagonal infinities are masked out
    expect(list(jnp.trace(c, 0, 1, 2))).toEqual([15, 51]);
    expect(() => jnp.trace(m, 0, 1, -1)).toThrow('axis1 and axis2 can not be same. axis1=1 and axis2=-1');
  });

  test('moveaxis and broadcastArrays', () => {
    const z = jnp.zeros([2, 3, 4, 5]);
    expect(jnp.moveaxis(z, 0, -1).shape).toEqual([3, 4, 5, 2]);
    expect(jnp.moveaxis(z, [0, 1], [3, 0]).shape).toEqual([3, 4, 5, 2]);
    expect(jnp.moveaxis(z, [3, 0], [0, 3]).shape).toEqual([5, 3, 4, 2]);
    expect(list(jnp.moveaxis(m, 1, 0))).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(() => jnp.moveaxis(z, [0, 1], 0)).toThrow('Inconsistent number of elements: 2 vs 1');
    const [p, q, r] = jnp.broadcastArrays(jnp.arange(3), jnp.array([[1], [2]]), 5);
    expect([list(p!), list(q!), list(r!)]).toEqual([[[0, 1, 2], [0, 1, 2]], [[1, 1, 1], [2, 2, 2]], [[5, 5, 5], [5, 5, 5]]]);
    expect(r!.weakType).toBe(true);
  });
});

describe('nonzero', () => {
  const a = jnp.array([[0, 3, 0], [4, 0, 5]]);
  test('concrete inputs without a size', () => {
    expect(lists(jnp.nonzero(a))).toEqual([[0, 1, 1], [1, 0, 2]]);
    expect(lists(jnp.nonzero(jnp.array([true, false, true])))).toEqual([[0, 2]]);
    expect(lists(jnp.nonzero(jnp.zeros([0, 2])))).toEqual([[], []]);
    expect(jnp.nonzero(a)[0]!.dtype).toBe('int32');
  });

  test('size pads or truncates; fillValue', () => {
    expect(lists(jnp.nonzero(a, { size: 5 }))).toEqual([[0, 1, 1, 0, 0], [1, 0, 2, 0, 0]]);
    expect(lists(jnp.nonzero(a, { size: 2 }))).toEqual([[0, 1], [1, 0]]);
    expect(lists(jnp.nonzero(a, { size: 4, fillValue: -1 }))).toEqual([[0, 1, 1, -1], [1, 0, 2, -1]]);
    expect(lists(jnp.nonzero(a, { size: 4, fillValue: [-1, 9] }))).toEqual([[0, 1, 1, -1], [1, 0, 2, 9]]);
    expect(list(both((p) => jnp.nonzero(p, { size: 3 })[0]!, jnp.array([0, 1, 0, 2, 3, 0, 4], { dtype: 'float32' })))).toEqual([1, 3, 4]);
  });

  test('errors', () => {
    expect(() => jnp.nonzero(jnp.asarray(3))).toThrow('Calling nonzero on 0d arrays is not allowed.');
    expect(() => jit((p: Array) => jnp.nonzero(p)[0]!)(a)).toThrow('The size argument of jnp.nonzero must be statically specified to use jnp.nonzero within JAX transformations.');
  });
});
