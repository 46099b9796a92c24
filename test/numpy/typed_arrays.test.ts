// Host data in, iteration out: jnp.array of a TypedArray (dtype from the element type, as NumPy's
// for the same buffer), and iterating an Array over its first axis as a JAX array iterates.
import { config, jit, numpy as jnp, random, type Array } from '../../lib/index.js';

describe('jnp.array of a TypedArray', () => {
  test('takes the dtype of the element type and copies the data', () => {
    const data = new Float32Array([1.5, -2, 3.25]);
    const x = jnp.array(data);
    data[0] = 99; // a copy: later writes do not reach the array
    expect([x.dtype, x.shape, x.weakType]).toEqual(['float32', [3], false]);
    expect(x.tolistSync()).toEqual([1.5, -2, 3.25]);
    const cases: [ArrayBufferView & ArrayLike<number | bigint>, string][] = [
      [new Int8Array([-3, 4]), 'int8'],
      [new Uint8Array([200, 7]), 'uint8'],
      [new Uint8ClampedArray([255, 0]), 'uint8'],
      [new Int16Array([-300, 5]), 'int16'],
      [new Uint16Array([60000, 1]), 'uint16'],
      [new Int32Array([-7, 2 ** 30]), 'int32'],
      [new Uint32Array([2 ** 32 - 1, 3]), 'uint32'],
    ];
    for (const [typed, dtype] of cases) {
      const a = jnp.array(typed as never);
      expect(a.dtype).toBe(dtype);
      expect(a.tolistSync()).toEqual(globalThis.Array.from(typed as ArrayLike<number>));
    }
  });

  test('64-bit element types are canonicalised without x64 and kept with it', () => {
    expect(jnp.array(new Float64Array([0.1, 2])).dtype).toBe('float32');
    expect(jnp.array(new BigInt64Array([5n, -6n])).tolistSync()).toEqual([5, -6]);
    config.update('enableX64', true);
    try {
      const f = jnp.array(new Float64Array([0.1, 2]));
      expect([f.dtype, f.tolistSync()]).toEqual(['float64', [0.1, 2]]);
      expect(jnp.array(new BigUint64Array([2n ** 63n])).dtype).toBe('uint64');
    } finally {
      config.update('enableX64', false);
    }
  });

  test('an explicit dtype converts, and the result works under jit', () => {
    const x = jnp.array(new Float32Array([1, 2.5, -3]), { dtype: 'bfloat16' });
    expect([x.dtype, x.tolistSync()]).toEqual(['bfloat16', [1, 2.5, -3]]);
    const f = jit((v: Array) => v.mul(2));
    expect(f(jnp.array(new Int32Array([1, 2]))).tolistSync()).toEqual([2, 4]);
  });
});

describe('iterating an Array', () => {
  test('yields the subarrays along the first axis', () => {
    const [a, b] = jnp.array([[1, 2], [3, 4]]);
    expect([a!.tolistSync(), b!.tolistSync()]).toEqual([[1, 2], [3, 4]]);
    const [k1, k2] = random.split(random.PRNGKey(0));
    expect(k1!.tolistSync()).toEqual(random.split(random.PRNGKey(0)).slice(0).tolistSync());
    expect(k2!.shape).toEqual([2]);
    expect([...jnp.arange(3)].map((x) => x.item())).toEqual([0, 1, 2]);
  });

  test('a 0-d array is not iterable, as in JAX', () => {
    expect(() => [...jnp.asarray(1)]).toThrow('iteration over a 0-d array');
  });
});
