// numpy: promotion with weak types, broadcasting, reductions, creation, printing, errors.
import { config, memory, numpy as jnp, tidy, type Array } from '../../lib/index.js';

const list = (x: Array) => x.tolistSync();

describe('promotion and weak types', () => {
  test('JS numbers are weak: they take the other operand dtype', () => {
    const x = jnp.array([1, 2, 3], { dtype: 'int8' });
    expect(x.add(1).dtype).toBe('int8');
    expect(x.add(1).weakType).toBe(false);
    const h = jnp.array([1.5, 2.5], { dtype: 'bfloat16' });
    expect(h.mul(2.5).dtype).toBe('bfloat16');
    expect(list(h.mul(2.5))).toEqual([3.75, 6.25]);
    const i = jnp.array([1, 2]);
    expect(i.dtype).toBe('int32');
    expect(i.add(1.5).dtype).toBe('float32');
    expect(i.add(1.5).weakType).toBe(true); // int array + JS float: a weak float, as in JAX
    expect(jnp.asarray(2).weakType).toBe(true);
    expect(jnp.asarray(2).mul(3).weakType).toBe(true);
  });

  test('strong types promote through the lattice', () => {
    const a = jnp.array([1, 2], { dtype: 'uint8' });
    const b = jnp.array([1, 2], { dtype: 'int8' });
    expect(a.add(b).dtype).toBe('int16');
    expect(jnp.array([1], { dtype: 'float16' }).add(jnp.array([1], { dtype: 'bfloat16' })).dtype).toBe('float32');
    expect(jnp.array([true, false]).add(jnp.array([1, 2], { dtype: 'uint16' })).dtype).toBe('uint16');
  });

  test('x64 switches the defaults', () => {
    config.with({ enableX64: true }, () => {
      expect(jnp.array([1.5]).dtype).toBe('float64');
      expect(jnp.arange(3).dtype).toBe('int64');
      expect(jnp.array([1.5]).add(1).tolistSync()).toEqual([2.5]);
    });
    expect(jnp.array([1.5], { dtype: 'float64' }).dtype).toBe('float32'); // canonicalised with x64 off
  });
});

describe('arithmetic', () => {
  test('broadcasting and exact values', () => {
    const x = jnp.array([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' });
    expect(list(x.add(jnp.array([10, 20, 30], { dtype: 'float32' })))).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(list(x.mul(jnp.array([[2], [3]], { dtype: 'float32' })))).toEqual([[2, 4, 6], [12, 15, 18]]);
    expect(list(jnp.divide(jnp.array([7, -7]), 2))).toEqual([3.5, -3.5]);
    expect(list(jnp.floorDivide(jnp.array([7, -7, 7, -7]), jnp.array([2, 2, -2, -2])))).toEqual([3, -4, -4, 3]);
    expect(list(jnp.remainder(jnp.array([7, -7, 7, -7]), jnp.array([2, 2, -2, -2])))).toEqual([1, 1, -1, -1]);
    expect(list(jnp.power(jnp.array([2, 3]), 3))).toEqual([8, 27]);
    expect(list(jnp.where(jnp.array([true, false, true]), jnp.array([1, 2, 3]), 0))).toEqual([1, 0, 3]);
    expect(list(jnp.maximum(jnp.array([1, 5]), jnp.array([4, 2])))).toEqual([4, 5]);
    expect(list(jnp.array([1, 2, 3]).greater(2))).toEqual([false, false, true]);
  });

  test('incompatible shapes name the op and the shapes', () => {
    expect(() => jnp.add(jnp.zeros([2, 3]), jnp.zeros([4]))).toThrow('add: incompatible shapes for broadcasting: (2, 3), (4,)');
    expect(() => jnp.matmul(jnp.zeros([2, 3]), jnp.zeros([4, 5]))).toThrow('matmul: contracting dimensions differ: (2, 3) @ (4, 5)');
    expect(() => jnp.reshape(jnp.zeros([2, 3]), [4, -1])).toThrow('cannot reshape array of shape (2, 3) (size 6) into shape (4, -1)');
    expect(() => jnp.zeros([2], { dtype: 'float31' as never })).toThrow('full: unknown dtype "float31"');
  });

  test('lax never promotes', async () => {
    const { lax } = await import('../../lib/index.js');
    expect(() => lax.add.bind1([jnp.zeros([2]), jnp.zeros([2], { dtype: 'int32' })])).toThrow(
      'lax.add requires arguments to have the same dtypes, got float32, int32.',
    );
  });
});

describe('reductions, linear algebra, shapes, creation', () => {
  const x = jnp.array([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' });
  test('reductions', () => {
    expect(x.sum().item()).toBe(21);
    expect(list(x.sum(0))).toEqual([5, 7, 9]);
    expect(list(x.sum(1, { keepdims: true }))).toEqual([[6], [15]]);
    expect(list(x.mean(-1))).toEqual([2, 5]);
    expect(list(x.max(0))).toEqual([4, 5, 6]);
    expect(x.min().item()).toBe(1);
    expect(list(jnp.argmax(jnp.array([[1, 9, 9], [7, 2, 7]]), 1))).toEqual([1, 0]);
    expect(jnp.sum(jnp.array([true, true, false])).dtype).toBe('int32');
    expect(jnp.sum(jnp.array([1, 2], { dtype: 'uint8' })).dtype).toBe('uint32');
    expect(jnp.mean(jnp.array([1, 2])).dtype).toBe('float32');
    expect(jnp.all(jnp.array([1, 0])).item()).toBe(false);
    expect(jnp.any(jnp.array([1, 0])).item()).toBe(true);
    expect(() => x.sum(2)).toThrow('sum: axis 2 is out of bounds for array of dimension 2');
  });

  test('dot and matmul', () => {
    expect(list(jnp.dot(x, jnp.array([1, 1, 1], { dtype: 'float32' })))).toEqual([6, 15]);
    expect(list(x.matmul(x.T))).toEqual([[14, 32], [32, 77]]);
    expect(jnp.dot(jnp.array([1, 2, 3], { dtype: 'float32' }), jnp.array([4, 5, 6], { dtype: 'float32' })).item()).toBe(32);
    const batched = jnp.matmul(jnp.ones([4, 2, 3]), jnp.ones([3, 5]));
    expect(batched.shape).toEqual([4, 2, 5]);
    expect(batched.max().item()).toBe(3);
  });

  test('shapes', () => {
    expect(x.reshape([3, -1]).shape).toEqual([3, 2]);
    expect(list(x.T)).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(jnp.expandDims(x, 0).shape).toEqual([1, 2, 3]);
    expect(jnp.squeeze(jnp.zeros([1, 3, 1])).shape).toEqual([3]);
    expect(jnp.broadcastTo(jnp.array([1, 2]), [3, 2]).tolistSync()).toEqual([[1, 2], [1, 2], [1, 2]]);
  });

  test('creation', () => {
    expect(list(jnp.arange(5))).toEqual([0, 1, 2, 3, 4]);
    expect(list(jnp.arange(1, 2, 0.25))).toEqual([1, 1.25, 1.5, 1.75]);
    expect(jnp.arange(1, 2, 0.25).dtype).toBe('float32');
    expect(list(jnp.linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(list(jnp.eye(2, 3, 1))).toEqual([[0, 1, 0], [0, 0, 1]]);
    expect(list(jnp.full([2], 7, { dtype: 'int16' }))).toEqual([7, 7]);
    expect(jnp.zeros([2, 2]).dtype).toBe('float32');
    expect(list(jnp.ones([2], { dtype: 'bool' }))).toEqual([true, true]);
  });
});

describe('readback, printing, memory', () => {
  test('repr like JAX', () => {
    expect(String(jnp.array([1, 2, 3], { dtype: 'float32' }))).toBe('Array([1., 2., 3.], dtype=float32)');
    expect(String(jnp.array([[1, 2], [3, 4]]))).toBe('Array([[1, 2],\n       [3, 4]], dtype=int32)');
    expect(String(jnp.asarray(2.5))).toBe('Array(2.5, dtype=float32, weak_type=True)');
    expect(String(jnp.array([true, false]))).toBe('Array([ True, False], dtype=bool)');
    expect(String(jnp.arange(2000))).toMatch(/^Array\(\[   0,    1,    2, \.\.\., 1997, 1998, 1999\], dtype=int32\)$/);
  });

  test('async and sync readback, item, tolist', async () => {
    const x = jnp.array([[1.5, 2.5]], { dtype: 'float16' }).mul(2);
    expect(globalThis.Array.from((await x.data()) as Float32Array)).toEqual([3, 5]);
    expect(await x.tolist()).toEqual([[3, 5]]);
    expect(jnp.asarray(7).item()).toBe(7);
    expect(() => x.item()).toThrow('item(): can only convert an array of size 1');
  });

  test('dispose, tidy and memory()', async () => {
    const before = memory().numArrays;
    const kept = tidy(() => {
      const a = jnp.ones([100]).mul(2);
      const b = a.add(1);
      return { b };
    });
    expect(memory().numArrays).toBe(before + 1);
    expect(kept.b.sum().item()).toBe(300);
    const result = await tidy(async () => {
      const a = jnp.ones([4]).mul(3);
      await Promise.resolve();
      return a.sum();
    });
    expect(result.item()).toBe(12);
    kept.b.dispose();
    expect(() => kept.b.dataSync()).toThrow('dataSync: this array has been disposed (shape [100], dtype float32)');
    {
      using temp = jnp.ones([3]).add(1);
      expect(temp.sum().item()).toBe(6);
    }
  });
});

test('max and min propagate NaN as JAX does (XLA fast min/max is off)', () => {
  const x = jnp.array([1.5, NaN, -2], { dtype: 'float32' });
  expect(Number.isNaN(x.max().item() as number)).toBe(true);
  expect(list(jnp.maximum(jnp.array([1, NaN], { dtype: 'float32' }), 0))).toEqual([1, NaN]);
  expect(Number.isNaN(jnp.min(x).item() as number)).toBe(true);
});

describe('JAX corner cases', () => {
  test('logaddexp of equal infinities, float floor division, boolean arithmetic', () => {
    expect(jnp.logaddexp(Infinity, Infinity).item()).toBe(Infinity);
    expect(jnp.logaddexp(-Infinity, -Infinity).item()).toBe(-Infinity);
    expect(jnp.floorDivide(jnp.array([1, -1], { dtype: 'float32' }), 0.1).tolistSync()).toEqual([9, -10]); // as NumPy's divmod
    expect(list(jnp.add(jnp.array([true, false]), jnp.array([true, false])))).toEqual([true, false]);
    expect(list(jnp.multiply(jnp.array([true, false]), jnp.array([true, true])))).toEqual([true, false]);
  });

  test('weak scalars: unary math keeps the weak type; large numbers are floats', () => {
    expect(jnp.sin(2).weakType).toBe(true);
    expect(jnp.sin(2).dtype).toBe('float32');
    expect(jnp.asarray(3.4e38).dtype).toBe('float32');
    expect(jnp.asarray(3.4e38).item()).toBeCloseTo(3.4e38, -32);
    expect(jnp.asarray(2 ** 31 - 1).dtype).toBe('int32');
  });

  test('unsigned sign, unsigned and 64-bit reductions', () => {
    expect(list(jnp.sign(jnp.array([0, 3, 255], { dtype: 'uint8' })))).toEqual([0, 1, 1]);
    expect(jnp.all(jnp.array([3, 1], { dtype: 'uint8' })).item()).toBe(true);
    config.with({ enableX64: true }, () => {
      expect(jnp.min(jnp.array([5, -3, 7], { dtype: 'int64' })).item()).toBe(-3n);
      expect(jnp.argmin(jnp.array([5, -3, 7], { dtype: 'int64' })).item()).toBe(1n);
    });
  });
});
