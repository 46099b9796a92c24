// random keys: seeds, split, fold_in and bits, bit for bit JAX 0.10.2's (threefry2x32,
// jax_threefry_partitionable=True). Expected values were computed with jax 0.10.2 on CPU.
import { config, jit, lax, numpy as jnp, random, vmap, type Array } from '../../lib/index.js';
import { threefry2x32 } from '../../lib/random/threefry.js';

const list = (x: Array): unknown => x.tolistSync();
const k0 = random.PRNGKey(0);
const k42 = random.PRNGKey(42);

describe('threefry2x32', () => {
  test('Random123 known answers (tests/random_impl_test.py)', () => {
    const u = (...v: number[]) => jnp.array(v, { dtype: 'uint32' });
    const [y0, y1] = jit(threefry2x32)(u(0, 0xffffffff, 0x13198a2e), u(0, 0xffffffff, 0x03707344), u(0, 0xffffffff, 0x243f6a88), u(0, 0xffffffff, 0x85a308d3));
    expect(list(y0)).toEqual([0x6b200159, 0x1cb996fc, 0xc4923a9c]);
    expect(list(y1)).toEqual([0x99ba4efe, 0xbb002be7, 0x483df7a0]);
  });
});

describe('seeds', () => {
  test('JS numbers: k0 is the high word with x64, 0 without (the seed wraps to 32 bits)', () => {
    expect(list(random.PRNGKey(0))).toEqual([0, 0]);
    expect(list(random.PRNGKey(42))).toEqual([0, 42]);
    expect(list(random.PRNGKey(-1))).toEqual([0, 4294967295]);
    expect(list(random.PRNGKey(2 ** 32 + 5))).toEqual([0, 5]);
    expect(random.PRNGKey(3).dtype).toBe('uint32');
    expect(list(random.key(42))).toEqual([0, 42]); // typed keys are represented by their key data
    expect(list(random.keyData(random.key(42)))).toEqual([0, 42]);
    config.with({ enableX64: true }, () => {
      expect(list(random.PRNGKey(-1))).toEqual([4294967295, 4294967295]);
      expect(list(random.PRNGKey(2 ** 32 + 5))).toEqual([1, 5]);
      expect(list(random.PRNGKey(2n ** 63n - 1n))).toEqual([2147483647, 4294967295]);
      expect(list(random.PRNGKey(jnp.array(-5, { dtype: 'int64' })))).toEqual([4294967295, 4294967291]);
    });
  });

  test('integer arrays: narrower seeds sign-extend into the low word', () => {
    expect(list(random.PRNGKey(jnp.array(-7, { dtype: 'int8' })))).toEqual([0, 4294967289]);
    expect(list(jit((s: Array) => random.PRNGKey(s))(jnp.array(-7, { dtype: 'int8' })))).toEqual([0, 4294967289]);
  });

  test('bad seeds', () => {
    expect(() => random.PRNGKey(1.5)).toThrow('PRNG key seed must be an integer');
    expect(() => random.PRNGKey(jnp.array([1, 2]))).toThrow('PRNGKey accepts a scalar seed, but was given an array of shape (2,) != (). Use jax.vmap for batching');
    expect(() => random.PRNGKey(jnp.array(1.5))).toThrow('PRNG key seed must be an integer');
  });
});

describe('split and foldIn', () => {
  test('split: key j is the hash of counter j', () => {
    expect(list(random.split(k0))).toEqual([[1797259609, 2579123966], [928981903, 3453687069]]);
    expect(list(random.split(k42, [2, 3]))).toEqual([
      [[1832780943, 270669613], [64467757, 2916123636], [2465931498, 255383827]],
      [[3134548294, 894150801], [2954079971, 3276725750], [2765691542, 824333390]],
    ]);
    expect(random.split(k0, 0).shape).toEqual([0, 2]);
  });

  test('foldIn(key, i) equals split(key, n)[i]', () => {
    expect(list(random.foldIn(k0, 1))).toEqual([928981903, 3453687069]);
    expect(list(random.foldIn(k42, 4294967295))).toEqual([2398536845, 3890976714]);
    expect(list(random.foldIn(k0, jnp.array(-3, { dtype: 'int32' })))).toEqual([2313591868, 3981651893]); // wraps to uint32
    expect(() => random.foldIn(k0, -1)).toThrow('Python integer -1 out of bounds for uint32');
    expect(() => random.foldIn(k0, jnp.array([1, 2]))).toThrow('fold_in accepts a scalar, but was given an array ofshape (2,) != ()');
  });
});

describe('bits', () => {
  test('every width: y0 ^ y1 (truncated), or (y0 << 32) | y1 for 64 bits', () => {
    expect(list(random.bits(k42, [5], 'uint8'))).toEqual([162, 217, 249, 215, 21]);
    expect(list(random.bits(k42, [5], 'uint16'))).toEqual([5026, 12505, 63993, 49623, 29461]);
    const b = random.bits(k42, [2, 3]);
    expect(b.dtype).toBe('uint32');
    expect(list(b)).toEqual([[2098992034, 2919706841, 2646866425], [2409546199, 1935504149, 2516274904]]);
    expect(random.bits(k42, [2], 'uint64').dtype).toBe('uint32'); // canonicalised with x64 off, as JAX
    config.with({ enableX64: true }, () => {
      const wide = random.bits(k42, [3]);
      expect(wide.dtype).toBe('uint64');
      expect(list(wide)).toEqual([7871734211187709741n, 276886910877598708n, 10591095138341673235n]);
    });
  });

  test('the same bits eagerly, under jit and under vmap over keys', () => {
    const f = (k: Array) => random.bits(k, [2, 3]);
    expect(list(jit(f)(k42))).toEqual(list(f(k42)));
    // vmap: one row per key, equal to drawing with each key (jax.vmap gives the same rows)
    const keys = random.split(k0, 3);
    expect(list(vmap((k: Array) => random.bits(k, [2]))(keys) as Array)).toEqual([[3617712097, 783310428], [31327077, 89727312], [3875991361, 3918267949]]);
    const splits = vmap((k: Array) => random.split(k))(keys) as Array;
    expect(splits.shape).toEqual([3, 2, 2]);
    expect(list(splits)).toEqual([0, 1, 2].map((i) => list(random.split(lax.indexInDim(keys, i, 0, false)))));
  });

  test('errors', () => {
    expect(() => random.bits(k0, [2], 'int32')).toThrow('dtype argument to `bits` must be an unsigned int dtype, got int32');
    expect(() => random.bits(jnp.zeros([2]), [2])).toThrow('JAX encountered invalid PRNG key data: expected key_data.dtype = uint32; got dtype=float32');
    expect(() => random.bits(jnp.zeros([3], { dtype: 'uint32' }), [2])).toThrow('expected key_data.shape to end with (2,); got shape=(3,)');
    expect(() => random.bits(jnp.zeros([], { dtype: 'uint32' }), [2])).toThrow('expected key_data.ndim >= 1; got ndim=0');
    expect(() => random.bits(random.split(k0, 4), [2])).toThrow('bits accepts a single key, but was given a key array of shape (4, 2) != (). Use jax.vmap for batching.');
    expect(() => random.split(random.split(k0, 4))).toThrow('split accepts a single key');
    expect(() => random.bits(k0, [-1])).toThrow('bits: shape must be a sequence of non-negative integers, got [-1]');
  });
});
