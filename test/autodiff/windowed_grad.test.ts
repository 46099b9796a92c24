// Gradients of the windowed primitives: reduce_window_sum (average pooling), reduce_window_max
// and _min (max pooling, through select_and_gather_add and its transpose select_and_scatter_add),
// conv_general_dilated and copy. checkGrads compares with central finite differences in float64;
// exact values are Python JAX 0.10's (jax.grad of the same function).
import { config, grad, jit, jvp, lax, numpy as jnp, vjp, type Array } from '../../lib/index.js';
import { checkGrads } from './check_grads.js';

const x64 = <T>(fn: () => T): T => config.with({ enableX64: true }, fn);
const f64 = (values: unknown) => jnp.array(values as number[], { dtype: 'float64' });
const f32 = (values: unknown) => jnp.array(values as number[], { dtype: 'float32' });
const list = (x: unknown) => (x as Array).tolistSync();

// a 4x5 matrix with distinct entries (no ties in any window)
const matrix = () => f64([[0.3, -1.2, 2.5, 0.7, 0.9], [-0.1, 1.9, 0.2, 0.8, -2.0], [1.1, 0.4, -0.7, 0.5, 1.3], [0.15, -0.45, 1.7, -0.9, 0.6]]);
const sumPool = (x: Array, ...rest: Parameters<typeof lax.reduceWindow> extends [unknown, unknown, unknown, ...infer R] ? R : never) => lax.reduceWindow(x, 0, 'add', ...rest);
const maxPool = (x: Array, ...rest: Parameters<typeof lax.reduceWindow> extends [unknown, unknown, unknown, ...infer R] ? R : never) => lax.reduceWindow(x, -Infinity, 'max', ...rest);
const minPool = (x: Array, ...rest: Parameters<typeof lax.reduceWindow> extends [unknown, unknown, unknown, ...infer R] ? R : never) => lax.reduceWindow(x, Infinity, 'min', ...rest);

describe('checkGrads over the windowed primitives (float64, fwd and rev)', () => {
  test('reduce_window_sum with strides, padding and dilations (order 2)', () =>
    x64(() => {
      const a = matrix();
      checkGrads((x: Array) => sumPool(x, [2, 3], [1, 2], [[1, 0], [0, 1]]), [a], { order: 2 });
      checkGrads((x: Array) => sumPool(x, [2, 2], [2, 1], 'SAME', { baseDilation: [2, 1], windowDilation: [1, 2] }), [a], { order: 2 });
    }));

  test('reduce_window_max and _min (order 2), with base dilation; window dilation forward only', () =>
    x64(() => {
      const a = matrix();
      checkGrads((x: Array) => maxPool(x, [2, 2], [2, 2], 'VALID'), [a], { order: 2 });
      checkGrads((x: Array) => minPool(x, [2, 3], [1, 2], [[1, 0], [0, 1]]), [a], { order: 2 });
      checkGrads((x: Array) => maxPool(x, [2, 2], [1, 1], 'VALID', { baseDilation: [2, 1] }), [a], { order: 2 });
      checkGrads((x: Array) => maxPool(x, [2, 2], [1, 1], 'VALID', { windowDilation: [2, 1] }), [a], { order: 2, modes: ['fwd'] });
    }));

  test('conv_general_dilated: plain (order 2), strided SAME, groups, dilations, layouts (order 1)', () =>
    x64(() => {
      const image = matrix().reshape([1, 1, 4, 5]);
      const kernel = f64([0.5, -0.3, 0.2, 0.1, 0.4, -0.6, 0.7, 0.05, -0.25]).reshape([1, 1, 3, 3]);
      checkGrads((x: Array, w: Array) => lax.conv(x, w, [1, 1], 'VALID'), [image, kernel], { order: 2 });
      checkGrads((x: Array, w: Array) => lax.conv(x, w, [2, 1], 'SAME'), [image, kernel], { order: 1 });
      const twoChannels = jnp.concatenate([image, image.mul(0.5)], 1);
      const kernels = jnp.concatenate([kernel, kernel.mul(-1), kernel.mul(2), kernel.mul(0.3)], 0);
      // feature groups (depthwise, 2 outputs per group) with rhs dilation
      checkGrads((x: Array, w: Array) => lax.convGeneralDilated(x, w, [1, 1], [[1, 1], [0, 1]], { featureGroupCount: 2, rhsDilation: [1, 2] }), [twoChannels, kernels], { order: 1 });
      // lhs dilation (a transposed convolution) and an NHWC output
      checkGrads(
        (x: Array, w: Array) => lax.convGeneralDilated(x, w, [1, 2], [[1, 1], [0, 1]], { lhsDilation: [2, 1], dimensionNumbers: ['NCHW', 'OIHW', 'NHWC'] }),
        [twoChannels, kernels.reshape([2, 2, 3, 3])],
        { order: 1 },
      );
      // batch groups (as in the kernel gradient of a grouped convolution)
      checkGrads((x: Array, w: Array) => lax.convGeneralDilated(x, w, [1, 1], 'VALID', { batchGroupCount: 2 }), [jnp.concatenate([image, image.mul(0.5)], 0), kernels.slice([0, 2])], { order: 1 });
    }));

  test('copy', () => x64(() => checkGrads((x: Array) => lax.copy(x).mul(x), [matrix()], { order: 2 })));
});

describe('exact gradients (values from JAX)', () => {
  const x = () => f64([[0, -1, 2, -3], [4, 0, 1, -2], [3, -4, 0, -1], [2, -3, 4, 0]]);

  test('2x2 max pooling routes each window cotangent to its maximum', () =>
    x64(() => {
      const weights = f64([[1, 2], [3, 4]]);
      expect(list(grad((a: Array) => maxPool(a, [2, 2], [2, 2], 'VALID').mul(weights).sum())(x()))).toEqual([
        [0, 0, 2, 0],
        [1, 0, 0, 0],
        [3, 0, 0, 0],
        [0, 0, 4, 0],
      ]);
      // overlapping windows with ties: each window picks its first maximum
      expect(list(grad((a: Array) => maxPool(a, [2, 2], [1, 1], 'VALID').sum())(f64([[1, 2, 2], [0, 2, 1], [1, 1, 1]])))).toEqual([
        [0, 2, 0],
        [0, 2, 0],
        [0, 0, 0],
      ]);
      expect(list(grad((a: Array) => minPool(a, [2, 2], [1, 1], 'SAME').sum())(x()))).toEqual([
        [0, 2, 0, 2],
        [0, 0, 0, 2],
        [0, 4, 0, 2],
        [0, 2, 0, 2],
      ]);
    }));

  test('reduce_window_sum spreads each cotangent over its window', () =>
    x64(() => {
      const weights = f64([[1, 2, 3, 4], [5, 6, 7, 8]]);
      expect(list(grad((a: Array) => sumPool(a, [2, 2], [2, 1], [[0, 0], [1, 0]]).mul(weights).sum())(x()))).toEqual([
        [3, 5, 7, 4],
        [3, 5, 7, 4],
        [11, 13, 15, 8],
        [11, 13, 15, 8],
      ]);
    }));

  test('a 3x3 convolution: gradients of the image and of the kernel', () =>
    x64(() => {
      const image = jnp.arange(16, { dtype: 'float64' }).reshape([1, 1, 4, 4]);
      const sobel = f64([[1, 0, -1], [2, 0, -2], [1, 0, -1]]).reshape([1, 1, 3, 3]);
      const [gx, gk] = grad((a: Array, k: Array) => lax.conv(a, k, [1, 1], 'VALID').sum(), { argnums: [0, 1] })(image, sobel);
      expect(list(gx)).toEqual([[[[1, 1, -1, -1], [3, 3, -3, -3], [3, 3, -3, -3], [1, 1, -1, -1]]]]);
      expect(list(gk)).toEqual([[[[10, 14, 18], [26, 30, 34], [42, 46, 50]]]]);
      const [sx, sk] = grad((a: Array, k: Array) => lax.conv(a, k, [2, 2], 'SAME').square().sum(), { argnums: [0, 1] })(image.div(10), sobel);
      const close = (actual: unknown, expected: number[][]) =>
        (list(actual) as number[][][][])[0]![0]!.forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(expected[r]![c]!, 12)));
      close(sx, [[-1.6, 0, 6.4, 0], [-3.2, 0, 12.8, 0], [-2.8, 0, 15.2, 0], [-2.4, 0, 17.6, 0]]);
      close(sk, [[7.6, 8.56, -1.52], [11.44, 12.4, -2.64], [3.52, 3.84, -1.6]]);
    }));

  test('a small CNN in float32: eagerly and under jit in both orders', () => {
    const net = (w: Array, image: Array) => {
      const features = jnp.tanh(lax.conv(image, w, [1, 1], 'SAME'));
      const pooled = maxPool(features, [1, 1, 2, 2], [1, 1, 2, 2], 'VALID');
      return sumPool(pooled, [1, 1, 2, 2], [1, 1, 1, 1], 'VALID').square().sum();
    };
    const w = f32([0.5, -0.3, 0.2, 0.1, 0.4, -0.6, 0.7, 0.05, -0.25, 0.3, 0.1, -0.2, 0.6, -0.5, 0.35, 0.15, -0.05, 0.45]).reshape([2, 1, 3, 3]);
    const image = jnp.sin(jnp.arange(32, { dtype: 'float32' })).reshape([2, 1, 4, 4]);
    const eager = grad(net)(w, image);
    // JAX 0.10, float32: jax.grad(net)(w, image)
    const expected = [
      0.836773157119751, -6.063470840454102, -0.7494745254516602, -0.9285534620285034, 2.5683932304382324, -1.8345472812652588,
      1.630829930305481, -2.193833589553833, -2.433990240097046, -0.7147922515869141, 3.2685437202453613, 1.6270499229431152,
      1.4710123538970947, -4.497401237487793, -0.24356913566589355, 0.4448416233062744, 4.6511735916137695, 0.396228164434433,
    ];
    // XLA compiles the whole program differently from op-by-op runs: float32 results may differ in the last bits
    const close = (a: Array) => (list(a) as number[][][][]).flat(3).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    close(eager);
    close(jit(grad(net))(w, image));
    close(grad(jit(net))(w, image));
  });

  test('jvp of max pooling with window dilation', () =>
    x64(() => {
      const [out, t] = jvp((a: Array) => maxPool(a, [2], [1], 'VALID', { windowDilation: [2] }), [f64([1, 5, 3, 2])], [f64([10, 20, 30, 40])]);
      expect([list(out), list(t)]).toEqual([[3, 5], [30, 20]]);
    }));
});

describe('errors, as JAX', () => {
  test('reverse mode of max pooling with window dilation', () =>
    x64(() => {
      const [, pullback] = vjp((a: Array) => maxPool(a, [2, 2], [1, 1], 'VALID', { windowDilation: [2, 1] }), matrix());
      expect(() => pullback(f64([[1, 1, 1, 1], [1, 1, 1, 1]]))).toThrow(
        'VJP not implemented for select_and_gather (MaxPool) with window dilation, got window_dilation=(2, 1).',
      );
    }));
});
