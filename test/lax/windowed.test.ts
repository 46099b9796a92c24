// lax.reduceWindow, lax.convGeneralDilated / lax.conv and lax.copy. Small cases are worked by
// hand (noted); the others were computed with JAX 0.10.2 on CPU. Eager and jitted give the same bits.
import { jit, lax, makeJaxpr, numpy as jnp, type Array } from '../../lib/index.js';

const bytes = (x: Array): Buffer => {
  const d = x.dataSync();
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
};

/** `f` eagerly and under jit: same shape, dtype and bits; returns the eager result as nested lists. */
function both(f: (...args: Array[]) => Array, ...args: Array[]): unknown {
  const eager = f(...args);
  const jitted = jit(f)(...args);
  expect([jitted.shape, jitted.dtype]).toEqual([eager.shape, eager.dtype]);
  expect(bytes(jitted).equals(bytes(eager))).toBe(true);
  return eager.tolistSync();
}

// [[0, -1, 2, -3], [4, -5, 6, -7], [8, -9, 10, -11], [12, -13, 14, -15]]
const x = jnp.arange(16, { dtype: 'float32' }).reshape([4, 4]).mul(jnp.array([1, -1, 1, -1], { dtype: 'float32' }));

describe('lax.reduceWindow', () => {
  test('2x2 max and sum pooling with stride 2 (by hand)', () => {
    expect(both((a) => lax.reduceWindow(a, -Infinity, 'max', [2, 2], [2, 2], 'VALID'), x)).toEqual([[4, 6], [12, 14]]);
    expect(both((a) => lax.reduceWindow(a, 0, 'add', [2, 2], [2, 2]), x)).toEqual([[-2, -2], [-2, -2]]);
  });

  test('SAME and explicit padding', () => {
    // SAME with a 3x3 window and stride 2 on 4 pads (0, 1): windows rows/cols {0,1,2} and {2,3}
    expect(both((a) => lax.reduceWindow(a, 0, 'add', [3, 3], [2, 2], 'SAME'), x)).toEqual([[15, -3], [22, -2]]);
    expect(both((a) => lax.reduceWindow(a, Infinity, 'min', [2, 2], [1, 1], [[1, 0], [0, 1]]), x)).toEqual([
      [-1, -1, -3, -3], [-5, -5, -7, -7], [-9, -9, -11, -11], [-13, -13, -15, -15],
    ]);
  });

  test('mul and a non-identity start use the generic reduce_window', () => {
    expect(both((a) => lax.reduceWindow(a, 1, 'mul', [1, 2], [1, 2]), x)).toEqual([[-0, -6], [-20, -42], [-72, -110], [-156, -210]]);
    expect(both((a) => lax.reduceWindow(a, 100, 'add', [2, 2], [2, 2]), x)).toEqual([[98, 98], [98, 98]]);
    const init = jnp.asarray(100, 'float32');
    expect(both((a, i) => lax.reduceWindow(a, i, 'add', [2, 2], [2, 2]), x, init)).toEqual([[98, 98], [98, 98]]);
    expect(makeJaxpr((a: Array) => lax.reduceWindow(a, 1, 'mul', [1, 2], [1, 2]))(x).toString()).toContain('= reduce_window[base_dilation=(1, 1) computation=mul');
  });

  test('base and window dilation (JAX)', () => {
    const out = both((a) => lax.reduceWindow(a, 0, 'add', [2, 2], [1, 1], 'VALID', { baseDilation: [2, 1], windowDilation: [1, 2] }), x);
    expect(out).toEqual([[2, -4], [10, -12], [10, -12], [18, -20], [18, -20], [26, -28]]);
  });

  test('int32 and bool', () => {
    const i = jnp.array([[1, 5, 2], [7, 3, 8]], { dtype: 'int32' });
    expect(both((a) => lax.reduceWindow(a, -(2 ** 31), 'max', [1, 2], [1, 1], 'SAME'), i)).toEqual([[5, 5, 2], [7, 8, 8]]);
    expect(both((a) => lax.reduceWindow(a, false, 'max', [2], [1]), jnp.array([true, false, false, true]))).toEqual([true, false, true]);
  });

  test('prints as JAX does; errors name the op and the shapes', () => {
    expect(makeJaxpr((a: Array) => lax.reduceWindow(a, -Infinity, 'max', [2, 2], [2, 2]))(x).toString()).toContain(
      'b:f32[2,2] = reduce_window_max[base_dilation=(1, 1) padding=((0, 0), (0, 0)) window_dilation=(1, 1) window_dimensions=(2, 2) window_strides=(2, 2)] a',
    );
    expect(() => lax.reduceWindow(x, 0, 'add', [2], [1])).toThrow('reduce_window got the wrong number of window_dimensions for operand: got operand shape (4, 4) with window_dimensions (2,).');
    expect(() => lax.reduceWindow(x, 0, 'add', [2, 2], [1])).toThrow('reduce_window got inconsistent window_strides and window_dimensions');
    expect(() => lax.reduceWindow(x, 0, 'add', [2, 0], [1, 1])).toThrow('reduce_window window_dimensions must have every element be strictly positive, got (2, 0).');
    expect(() => lax.reduceWindow(x, 0, 'add', [2, 2], [1, 1], 'FULL' as never)).toThrow("Unrecognized padding type: expected 'VALID', 'SAME', or 'SAME_LOWER', got FULL.");
    expect(() => lax.reduceWindow(x, jnp.asarray(0, 'int32'), 'add', [2, 2], [1, 1])).toThrow(
      'reduce_window got inconsistent dtypes for operands and init_values: got operand dtypes [float32] and init_value dtypes [int32].',
    );
    expect(() => lax.reduceWindow(jnp.array([true]), 0, 'add', [1], [1])).toThrow('operand to reduce_window_sum must have a number dtype, got bool');
  });

  test('padtypeToPads', () => {
    expect(lax.padtypeToPads([4, 5], [3, 2], [2, 1], 'SAME')).toEqual([[0, 1], [0, 1]]);
    expect(lax.padtypeToPads([4, 5], [3, 2], [2, 1], 'SAME_LOWER')).toEqual([[1, 0], [1, 0]]);
    expect(lax.padtypeToPads([4, 5], [3, 2], [2, 1], 'VALID')).toEqual([[0, 0], [0, 0]]);
  });
});

describe('lax.convGeneralDilated', () => {
  // image [[1, 2, 3], [4, 5, 6], [7, 8, 9]], kernel [[1, 0], [0, 1]]: each output is x[i][j] + x[i+1][j+1]
  const img = jnp.arange(1, 10, { dtype: 'float32' }).reshape([1, 1, 3, 3]);
  const ker = jnp.array([[[[1, 0], [0, 1]]]], { dtype: 'float32' });

  test('VALID, SAME, SAME_LOWER (by hand)', () => {
    expect(both((a, b) => lax.convGeneralDilated(a, b, [1, 1], 'VALID'), img, ker)).toEqual([[[[6, 8], [12, 14]]]]);
    // SAME pads (0, 1): the last row and column meet zeros
    expect(both((a, b) => lax.convGeneralDilated(a, b, [1, 1], 'SAME'), img, ker)).toEqual([[[[6, 8, 3], [12, 14, 6], [7, 8, 9]]]]);
    expect(both((a, b) => lax.convGeneralDilated(a, b, [1, 1], 'SAME_LOWER'), img, ker)).toEqual([[[[1, 2, 3], [4, 6, 8], [7, 12, 14]]]]);
    expect(both((a, b) => lax.conv(a, b, [1, 1], 'VALID'), img, ker)).toEqual([[[[6, 8], [12, 14]]]]);
  });

  test('strides, padding pairs and dilations (by hand)', () => {
    // padded by one all round, windows at rows/cols 0 and 2
    expect(both((a, b) => lax.convGeneralDilated(a, b, [2, 2], [[1, 1], [1, 1]]), img, ker)).toEqual([[[[1, 3], [7, 14]]]]);
    // kernel dilated to 3x3: one window, x[0][0] + x[2][2]
    expect(both((a, b) => lax.convGeneralDilated(a, b, [1, 1], 'VALID', { rhsDilation: [2, 2] }), img, ker)).toEqual([[[[10]]]]);
    expect(both((a, b) => lax.convGeneralDilated(a, b, [1, 1], 'SAME', { rhsDilation: [2, 2] }), img, ker)).toEqual([[[[5, 6, 0], [8, 10, 2], [0, 4, 5]]]]);
    // rows dilated: [1,2,3], 0, [4,5,6], 0, [7,8,9]
    expect(both((a, b) => lax.convGeneralDilated(a, b, [1, 1], [[0, 0], [0, 0]], { lhsDilation: [2, 1] }), img, ker)).toEqual([[[[1, 2], [5, 6], [4, 5], [8, 9]]]]);
  });

  test("dimension numbers in string form ('NHWC', 'HWIO', 'NHWC')", () => {
    const nhwc = img.transpose([0, 2, 3, 1]);
    const hwio = ker.transpose([2, 3, 1, 0]);
    expect(both((a, b) => lax.convGeneralDilated(a, b, [1, 1], 'SAME', { dimensionNumbers: ['NHWC', 'HWIO', 'NHWC'] }), nhwc, hwio)).toEqual([
      [[[6], [8], [3]], [[12], [14], [6]], [[7], [8], [9]]],
    ]);
    expect(String(lax.convDimensionNumbers(nhwc.shape, hwio.shape, ['NHWC', 'HWIO', 'NHWC']))).toBe(
      'ConvDimensionNumbers(lhs_spec=(0, 3, 1, 2), rhs_spec=(3, 2, 0, 1), out_spec=(0, 3, 1, 2))',
    );
    expect(String(lax.convDimensionNumbers([1, 2, 3, 4], [1, 2, 3, 4], ['NCWH', 'IOHW', 'NHWC']))).toBe(
      'ConvDimensionNumbers(lhs_spec=(0, 1, 3, 2), rhs_spec=(1, 0, 2, 3), out_spec=(0, 3, 1, 2))',
    );
  });

  test('feature and batch groups (JAX)', () => {
    const g = jnp.array([[[1, 2, 3], [10, 20, 30]]], { dtype: 'float32' });
    const gk = jnp.array([[[1, 1]], [[1, -1]]], { dtype: 'float32' });
    expect(both((a, b) => lax.convGeneralDilated(a, b, [1], 'VALID', { featureGroupCount: 2 }), g, gk)).toEqual([[[3, 5], [-10, -10]]]);
    const bg = jnp.arange(6, { dtype: 'float32' }).reshape([2, 1, 3]);
    const bk = jnp.array([[[1, 1]], [[2, 0]]], { dtype: 'float32' });
    expect(both((a, b) => lax.convGeneralDilated(a, b, [1], 'VALID', { batchGroupCount: 2 }), bg, bk)).toEqual([[[1, 3], [6, 8]]]);
  });

  test('integer dtypes and preferredElementType', () => {
    const i = both((a, b) => lax.convGeneralDilated(a, b, [1, 1], 'VALID'), img.astype('int32'), ker.astype('int32'));
    expect(i).toEqual([[[[6, 8], [12, 14]]]]);
    const p = lax.convGeneralDilated(img.astype('int8'), ker.astype('int8'), [1, 1], 'VALID', { preferredElementType: 'int32' });
    expect([p.dtype, p.tolistSync()]).toEqual(['int32', [[[[6, 8], [12, 14]]]]]);
  });

  test('prints as JAX does', () => {
    expect(makeJaxpr((a: Array, b: Array) => lax.convGeneralDilated(a, b, [1, 1], 'SAME'))(img, ker).toString()).toContain(
      'c:f32[1,1,3,3] = conv_general_dilated[batch_group_count=1 dimension_numbers=ConvDimensionNumbers(lhs_spec=(0, 1, 2, 3), rhs_spec=(0, 1, 2, 3), out_spec=(0, 1, 2, 3)) feature_group_count=1 lhs_dilation=(1, 1) padding=((0, 1), (0, 1)) precision=None preferred_element_type=None rhs_dilation=(1, 1) window_strides=(1, 1)] a b',
    );
  });

  test('errors name the op, the shapes and the dtypes', () => {
    expect(() => lax.convGeneralDilated(img, ker.astype('int32'), [1, 1], 'VALID')).toThrow('lax.conv_general_dilated requires arguments to have the same dtypes, got float32, int32.');
    expect(() => lax.convGeneralDilated(img, jnp.zeros([1, 2, 2, 2]), [1, 1], 'VALID')).toThrow(
      'conv_general_dilated lhs feature dimension size divided by feature_group_count must equal the rhs input feature dimension size, but 1 // 1 != 2.',
    );
    expect(() => lax.convGeneralDilated(img, jnp.zeros([1, 1, 2]), [1], 'VALID')).toThrow('convolution requires lhs and rhs ndim to be equal, got 4 and 3.');
    expect(() => lax.convGeneralDilated(img, ker, [1], 'VALID')).toThrow('conv_general_dilated window and window_strides must have the same number of dimensions, but got 2 and 1');
    expect(() => lax.convGeneralDilated(img, ker, [1, 1], [[-5, 0], [0, 0]])).toThrow('Negative padding is larger than the size of the corresponding dimension');
    expect(() => lax.convGeneralDilated(img, ker, [1, 1], 'SAME', { lhsDilation: [2, 2] })).toThrow('String padding is not implemented for transposed convolution');
    expect(() => lax.convGeneralDilated(img, ker, [1, 1], 'VALID', { dimensionNumbers: ['NCHW', 'OIHW', 'NCH'] })).toThrow(
      'convolution dimension_numbers[2] must have len equal to the ndim of lhs and rhs, got 3 for lhs and rhs shapes (1, 1, 3, 3) and (1, 1, 2, 2).',
    );
    expect(() => lax.convGeneralDilated(img, ker, [1, 1], 'VALID', { dimensionNumbers: ['NCHW', 'OOHW', 'NCHW'] })).toThrow(
      "convolution dimension_numbers[1] must contain the characters 'O' and 'I' exactly once, got OOHW.",
    );
    expect(() => lax.convGeneralDilated(img.astype('int32'), ker.astype('int32'), [1, 1], 'VALID', { preferredElementType: 'uint32' })).toThrow(
      '`preferred_element_type` must have the same signedness as the original type.',
    );
  });
});

describe('lax.copy', () => {
  test('the same values, a distinct array; prints as copy', () => {
    const a = jnp.array([1.5, -0, NaN], { dtype: 'float32' });
    expect(both((v) => lax.copy(v), a)).toEqual([1.5, -0, NaN]);
    expect(lax.copy(a)).not.toBe(a);
    expect(makeJaxpr((v: Array) => lax.copy(v))(a).toString()).toContain('b:f32[3] = copy a');
  });
});
