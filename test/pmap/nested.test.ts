// pmap inside pmap and pmap inside jit, over 4 CPU devices: each pmap axis is a factor of the
// program's replicas. Python JAX 0.10.2 no longer nests pmaps (its pmap is a shard_map), so the
// nested expectations are computed by hand; the jit-of-pmap ones are JAX's values.
import { grad, jit, numpy as jnp, vmap, type Array } from '../../lib/index.js';
import { pmap, type PmapOptions } from '../../lib/api/pmap.js';
import { allGather, axisIndex, ppermute, psum } from '../../lib/lax/parallel.js';
import { configureBackends } from '../../lib/runtime/registry.js';

configureBackends({ cpuDeviceCount: 4 });

const P = <F extends (...a: never[]) => unknown>(f: F, axisName: string, options: PmapOptions = {}) => pmap(f, { axisName, ...options });
const list = (a: unknown): unknown => (a as Array).tolistSync();
// x[i][j] = [2 * (2i + j), 2 * (2i + j) + 1]
const x = jnp.arange(8, { dtype: 'float32' }).reshape([2, 2, 2]);
const y = jnp.arange(8, { dtype: 'float32' }).reshape([4, 2]);

describe('pmap inside pmap (2 x 2 devices)', () => {
  test('collectives over the inner, the outer and both axes', () => {
    expect(list(P(P((v: Array) => psum(v, 'j'), 'j'), 'i')(x))).toEqual([[[2, 4], [2, 4]], [[10, 12], [10, 12]]]);
    expect(list(P(P((v: Array) => psum(v, 'i'), 'j'), 'i')(x))).toEqual([[[4, 6], [8, 10]], [[4, 6], [8, 10]]]);
    expect(list(P(P((v: Array) => psum(v, ['i', 'j']), 'j'), 'i')(x))).toEqual([[[12, 16], [12, 16]], [[12, 16], [12, 16]]]);
    expect(list(P(P((v: Array) => allGather(v, 'i'), 'j'), 'i')(x))).toEqual([
      [[[0, 1], [4, 5]], [[2, 3], [6, 7]]],
      [[[0, 1], [4, 5]], [[2, 3], [6, 7]]],
    ]);
    expect(list(P(P((v: Array) => ppermute(v, 'j', [[0, 1], [1, 0]]), 'j'), 'i')(x))).toEqual([[[2, 3], [0, 1]], [[6, 7], [4, 5]]]);
  });

  test('axis indices of both axes', () => {
    const f = P(P((v: Array) => v.mul(10).add(axisIndex('i').mul(100)).add(axisIndex('j')), 'j'), 'i');
    expect(list(f(x))).toEqual([[[0, 10], [21, 31]], [[140, 150], [161, 171]]]);
  });

  test('a collective of the outer pmap over the inner pmap\'s result', () => {
    expect(list(P((v: Array) => psum(P((u: Array) => u.mul(2), 'j')(v), 'i'), 'i')(x))).toEqual([[[8, 12], [16, 20]], [[8, 12], [16, 20]]]);
  });

  test('grad and vmap of nested pmaps', () => {
    // sum over (i, j) of psum_i(u^2) = 2 * sum(u^2): the gradient is 4u.
    const loss = (v: Array) => (P(P((u: Array) => psum(u.mul(u), 'i'), 'j'), 'i')(v) as Array).sum();
    expect(list(grad(loss)(x))).toEqual([[[0, 4], [8, 12]], [[16, 20], [24, 28]]]);
    const batched = vmap(P(P((u: Array) => psum(u, 'j'), 'j'), 'i'))(jnp.stack([x, x.mul(2)]));
    expect(list(batched)).toEqual([[[[2, 4], [2, 4]], [[10, 12], [10, 12]]], [[[4, 8], [4, 8]], [[20, 24], [20, 24]]]]);
  });
});

describe('pmap inside jit', () => {
  test("matches JAX's values", () => {
    expect(list(jit(P((v: Array) => psum(v, 'i').add(axisIndex('i')), 'i'))(y))).toEqual([[12, 16], [13, 17], [14, 18], [15, 19]]);
    expect(list(jit(P((v: Array) => psum(v, 'i'), 'i', { outAxes: null }))(y))).toEqual([12, 16]);
    const scaled = jit(P((v: Array, w: Array) => v.mul(w), 'i', { inAxes: [0, null] }));
    expect(list(scaled(y, jnp.array([1, 2], { dtype: 'float32' })))).toEqual([[0, 2], [2, 6], [4, 10], [6, 14]]);
    const loss = (v: Array) => (jit(P((u: Array) => psum(u.mul(u), 'i'), 'i'))(v) as Array).sum();
    expect(list(grad(loss)(y))).toEqual([[0, 8], [16, 24], [32, 40], [48, 56]]);
  });

  test('two pmaps in one jitted function, and its inputs reused afterwards', () => {
    const f = jit((v: Array) => P((u: Array) => u.add(1), 'i')(P((u: Array) => u.mul(2), 'i')(v)));
    expect(list(f(y))).toEqual([[1, 3], [5, 7], [9, 11], [13, 15]]);
    expect(list(f(y.add(1)))).toEqual([[3, 5], [7, 9], [11, 13], [15, 17]]);
    expect(list(y)).toEqual([[0, 1], [2, 3], [4, 5], [6, 7]]);
  });

  test('pmaps over different axes in one program are refused clearly', () => {
    const f = jit((v: Array) => [P((u: Array) => u.add(1), 'i')(v.reshape([2, 4])), P((u: Array) => u.add(1), 'i')(v)]);
    expect(() => f(y)).toThrow('one program holds pmaps over different axes ([i=2] and [i=4])');
  });
});
