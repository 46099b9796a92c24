// jax.nn softmax, log_softmax, logsumexp, logmeanexp, standardize and one_hot: values and
// gradients against JAX 0.10.2 (float32 CPU; the generating calls are named beside each value),
// eagerly and under jit, including -inf/+inf/NaN rows and `where` masks.
import { grad, jit, nn, numpy as jnp, vmap, type Array } from '../../lib/index.js';
import { describeCases, expectClose, type Nested } from './close.js';

const f32 = (v: Nested) => jnp.array(v as number[], { dtype: 'float32' });
const A = () => f32([[0.5, -1.25, 2.0, 3.0], [-Infinity, 0.0, 1.0, -Infinity], [-Infinity, -Infinity, -Infinity, -Infinity], [100.0, 100.0, -100.0, 50.0], [Infinity, 1.0, 2.0, 3.0], [NaN, 1, 2, 3]]);
const B = () => f32([[0.5, -1.25, 2.0, 3.0], [1, 0, -1, 4], [2, 2, 2, 2]]);
const C = () => jnp.arange(24, { dtype: 'float32' }).div(7).reshape([2, 3, 4]);
const W = () => jnp.array([[true, false, true, true], [false, false, true, true], [true, true, false, false]]);
const Wt = () => f32([[1, 2, 3, 4], [-1, 0.5, 2, 0], [0.25, -3, 1, 1]]);
const bb = () => f32([[1, 0, 2, -1], [0.5, 0.5, 0, 0], [-1, -1, 0.5, 0]]);

/** JAX's results; A, B, C, W, Wt, bb as above (jax.nn.* with the same arguments). */
const JAX = {
  softmaxA: [[0.056060236, 0.009741807, 0.25124454, 0.6829535], [0.0, 0.26894143, 0.7310586, 0.0], [NaN, NaN, NaN, NaN], [0.5, 0.5, 0.0, 9.6437495e-23], [NaN, NaN, NaN, NaN], [NaN, NaN, NaN, NaN]],
  logSoftmaxA: [[-2.8813286, -4.6313286, -1.3813286, -0.38132858], [-Infinity, -1.3132616, -0.31326163, -Infinity], [NaN, NaN, NaN, NaN], [-0.6931472, -0.6931472, -200.69315, -50.693146], [NaN, NaN, NaN, NaN], [NaN, NaN, NaN, NaN]],
  softmaxB0: [[0.14024438, 0.033024356, 0.48785555, 0.24472848], [0.2312239, 0.11526632, 0.024288896, 0.66524094], [0.6285317, 0.85170937, 0.48785555, 0.09003057]],
  softmaxBall: [[0.014013738, 0.0024352225, 0.06280521, 0.17072229], [0.023104748, 0.008499762, 0.0031268876, 0.46407127], [0.06280521, 0.06280521, 0.06280521, 0.06280521]],
  logSoftmaxB0: [[-1.9643688, -3.41051, -0.7177359, -1.4076059], [-1.4643688, -2.16051, -3.7177358, -0.40760595], [-0.4643688, -0.16050996, -0.7177359, -2.407606]],
  softmaxC02: [[[0.030404128, 0.03507314, 0.04045914, 0.046672255], [0.030404128, 0.03507314, 0.040459145, 0.046672255], [0.030404134, 0.035073142, 0.04045915, 0.046672255]], [[0.16882524, 0.19475088, 0.2246578, 0.25915736], [0.16882525, 0.19475089, 0.2246578, 0.25915736], [0.16882527, 0.1947509, 0.2246578, 0.25915742]]],
  logSoftmaxC12: [[[-3.3893538, -3.2464964, -3.1036394, -2.960782], [-2.817925, -2.675068, -2.5322108, -2.3893538], [-2.2464964, -2.1036394, -1.9607822, -1.8179251]], [[-3.3893535, -3.2464964, -3.1036391, -2.960782], [-2.817925, -2.675068, -2.5322108, -2.3893538], [-2.2464962, -2.1036391, -1.9607822, -1.8179249]]],
  softmaxBwhere: [[0.056611728, 0.0, 0.25371617, 0.68967205], [0.0, 0.0, 0.006692851, 0.9933072], [0.5, 0.5, 0.0, 0.0]],
  logSoftmaxBwhere: [[-2.871539, -Infinity, -1.3715391, -0.3715391], [-Infinity, -Infinity, -5.0067153, -0.006715349], [-0.6931472, -0.6931472, -Infinity, -Infinity]],
  softmaxBwhereRow: [[0.0, 0.0, 0.26894143, 0.7310586], [0.0, 0.0, 0.006692851, 0.9933072], [0.0, 0.0, 0.5, 0.5]],
  gradSoftmax: [[-0.14357537, -0.015207849, -0.14097103, 0.29975438], [-0.04515024, 0.00895065, 0.01269594, 0.02350365], [0.109375, -0.703125, 0.296875, 0.296875]],
  gradLogSoftmax: [[0.43939766, 1.9025819, 0.48755458, -2.8295345], [-1.0694807, 0.4744395, 1.9905968, -1.3955557], [0.4375, -2.8125, 1.1875, 1.1875]],
  gradSoftmaxWhere: [[-0.14585721, 0.0, -0.14625429, 0.29211164], [0.0, 0.0, 0.013296113, -0.013296112], [0.8125, -0.8125, 0.0, 0.0]],
  gradLogSoftmaxWhere: [[0.54710615, 0.0, 0.9702706, -1.5173764], [0.0, 0.0, 1.9866143, -1.9866143], [1.625, -1.625, 0.0, 0.0]],
  gradLogSoftmaxA: [[-0.056060236, 0.9902582, -0.25124454, -0.6829535], [0.0, 0.73105854, -0.7310586, 0.0], [NaN, NaN, NaN, NaN], [-0.5, 0.5, 0.0, -9.6437495e-23], [NaN, NaN, NaN, NaN], [NaN, NaN, NaN, NaN]],
  lseA: [3.3813286, 1.3132616, -Infinity, 100.693146, Infinity, NaN],
  lseAll: 4.7677174,
  lseB0keep: [[2.4643688, 2.16051, 2.7177358, 4.407606]],
  lseC02: [3.493177, 4.064605, 4.636034],
  lseWhere: [3.371539, 4.0067153, 2.6931472],
  lseB: [NaN, 0.62011445, NaN],
  lseBsignOut: [1.2971087, 0.62011445, 2.4054651],
  lseBsign: [-1.0, 1.0, -1.0],
  lseSignOut: [3.3813286, 4.0721726, 3.3862944],
  lseSignSign: [1.0, 1.0, 1.0],
  gradLseA: [[0.056060236, 0.009741807, 0.25124454, 0.6829535], [0.0, 0.26894143, 0.7310586, 0.0], [NaN, NaN, NaN, NaN], [0.0, 0.0, 0.0, 0.0], [NaN, 0.0, 0.0, 0.0], [NaN, NaN, NaN, NaN]],
  gradLseAllInf: [[0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [NaN, NaN, NaN, NaN], [0.0, 0.0, 0.0, 0.0], [NaN, 0.0, 0.0, 0.0], [NaN, NaN, NaN, NaN]],
  gradLseB: [[0.0, 0.0, 0.0, -0.0], [0.7310586, 0.26894143, 0.0, 0.0], [-0.0, -0.0, 0.0, 0.0]],
  gradLseWhere: [[0.056611728, 0.0, 0.25371617, 0.68967205], [0.0, 0.0, 0.006692851, 0.9933072], [0.5, 0.5, 0.0, 0.0]],
  lmeB: [1.9950342, 2.6858783, 2.0],
  lmeWhere: [2.2729268, 3.313568, 2.0],
  lmeAll: 2.2828107,
  stdB: [[-0.3505895, -1.4413126, 0.5843159, 1.2075862], [0.0, -0.5345217, -1.0690434, 1.6035651], [0.0, 0.0, 0.0, 0.0]],
  stdB0: [[-1.0690315, -1.1206279, 0.70710504, 0.0], [-0.26725796, -0.18677132, -1.4142101, 1.2247354], [1.336289, 1.3073993, 0.70710504, -1.2247354]],
  stdBall: [[-0.57148635, -1.7423363, 0.43209934, 1.1011565], [-0.23695779, -0.9060149, -1.575072, 1.7702136], [0.43209934, 0.43209934, 0.43209934, 0.43209934]],
  stdWhere: [[-1.2977655, -3.0010827, 0.16222064, 1.1355447], [-0.19999984, -0.59999955, -0.99999917, 0.99999917], [0.0, 0.0, 0.0, 0.0]],
  stdStable: [[-0.3505895, -1.4413126, 0.5843159, 1.2075862], [0.0, -0.5345217, -1.0690434, 1.6035651], [0.0, 0.0, 0.0, 0.0]],
  stdMeanVar: [[-0.24999969, -1.1249986, 0.49999937, 0.99999875], [0.0, -0.49999937, -0.99999875, 1.4999981], [0.49999937, 0.49999937, 0.49999937, 0.49999937]],
  stdEps: [[-0.32081535, -1.3189076, 0.5346923, 1.1050307], [0.0, -0.5, -1.0, 1.5], [0.0, 0.0, 0.0, 0.0]],
  gradStd: [[-0.75189734, 0.4407314, 0.0066217184, 0.3045442], [-0.73496735, -0.10499483, 0.5249777, 0.31498456], [138.34964, -889.3905, 375.52045, 375.52045]],
  gradStdStable: [[-0.75189734, 0.4407314, 0.0066217184, 0.30454433], [-0.73496735, -0.10499483, 0.5249777, 0.3149846], [138.34964, -889.3905, 375.52045, 375.52045]],
};

const weighted = (f: (x: Array) => Array) => grad((x: Array) => jnp.sum(f(x).mul(Wt())));

describe('softmax and logSoftmax', () => {
  describeCases([
    // last axis, with -inf entries, all -inf rows, +inf and NaN (NaN rows, as in JAX)
    ['softmax(A)', (a) => nn.softmax(a), () => [A()], JAX.softmaxA],
    ['logSoftmax(A)', (a) => nn.logSoftmax(a), () => [A()], JAX.logSoftmaxA],
    // other axes: an integer, null (all), several
    ['softmax(B, 0)', (b) => nn.softmax(b, 0), () => [B()], JAX.softmaxB0],
    ['softmax(B, null)', (b) => nn.softmax(b, null), () => [B()], JAX.softmaxBall],
    ['logSoftmax(B, { axis: 0 })', (b) => nn.logSoftmax(b, { axis: 0 }), () => [B()], JAX.logSoftmaxB0],
    ['softmax(C, [0, 2])', (c) => nn.softmax(c, [0, 2]), () => [C()], JAX.softmaxC02],
    ['logSoftmax(C, [1, -1])', (c) => nn.logSoftmax(c, [1, -1]), () => [C()], JAX.logSoftmaxC12],
    // where: masked-out outputs are 0 (softmax) and -inf (logSoftmax); the mask broadcasts
    ['softmax where', (b, w) => nn.softmax(b, -1, { where: w }), () => [B(), W()], JAX.softmaxBwhere],
    ['logSoftmax where', (b, w) => nn.logSoftmax(b, { where: w }), () => [B(), W()], JAX.logSoftmaxBwhere],
    ['softmax where (a row, broadcast)', (b, w) => nn.softmax(b, { where: w.slice(1) }), () => [B(), W()], JAX.softmaxBwhereRow],
  ], { eager: ['softmax(A)', 'logSoftmax(A)', 'softmax(C, [0, 2])', 'logSoftmax where'] });
  describe('gradients (the max is a stop-gradient constant, as in JAX)', () => {
    describeCases([
      ['grad softmax', weighted((x) => nn.softmax(x)), () => [B()], JAX.gradSoftmax],
      ['grad logSoftmax', weighted((x) => nn.logSoftmax(x)), () => [B()], JAX.gradLogSoftmax],
      ['grad softmax where', weighted((x) => nn.softmax(x, { where: W() })), () => [B()], JAX.gradSoftmaxWhere],
      ['grad logSoftmax where', weighted((x) => jnp.where(W(), nn.logSoftmax(x, { where: W() }), 0)), () => [B()], JAX.gradLogSoftmaxWhere],
      ['grad logSoftmax(A)[:, 1]', grad((x: Array) => jnp.sum(nn.logSoftmax(x).slice([], 1))), () => [A()], JAX.gradLogSoftmaxA],
    ], { eager: ['grad logSoftmax'] });
  });
  test('dtypes: integers become float32 (strong); bfloat16 stays', () => {
    const y = nn.softmax(jnp.array([1, 2, 3]));
    expect([y.dtype, y.weakType]).toEqual(['float32', false]);
    const h = nn.softmax(jnp.array([1, 2, 3], { dtype: 'bfloat16' }));
    expect(h.dtype).toBe('bfloat16');
    expectClose(h, [0.09033203125, 0.2451171875, 0.66796875], { rtol: 2 ** -8 }); // JAX's bfloat16 result
    expect(nn.softmax(3.0, null).item()).toBe(1);
  });
  test('errors name the function and the axis', () => {
    expect(() => nn.softmax(jnp.zeros([2, 3]), 2)).toThrow('softmax: axis 2 is out of bounds for array of dimension 2');
  });
});

describe('logsumexp', () => {
  describeCases([
    // rows with -inf (an all -inf row gives -inf), +inf and NaN
    ['logsumexp(A, 1)', (a) => nn.logsumexp(a, 1), () => [A()], JAX.lseA],
    ['logsumexp(B)', (b) => nn.logsumexp(b), () => [B()], JAX.lseAll],
    ['logsumexp(B, 0, { keepdims })', (b) => nn.logsumexp(b, 0, { keepdims: true }), () => [B()], JAX.lseB0keep],
    ['logsumexp(C, { axis: [0, 2] })', (c) => nn.logsumexp(c, { axis: [0, 2] }), () => [C()], JAX.lseC02],
    ['logsumexp where', (b, w) => nn.logsumexp(b, 1, { where: w }), () => [B(), W()], JAX.lseWhere],
    // b: negative sums are NaN, or signed with returnSign
    ['logsumexp b', (b, s) => nn.logsumexp(b, 1, { b: s }), () => [B(), bb()], JAX.lseB],
    ['logsumexp b returnSign (value)', (b, s) => nn.logsumexp(b, 1, { b: s, returnSign: true })[0], () => [B(), bb()], JAX.lseBsignOut],
    ['logsumexp b returnSign (sign)', (b, s) => nn.logsumexp(b, 1, { b: s, returnSign: true })[1], () => [B(), bb()], JAX.lseBsign],
    ['logsumexp returnSign (value)', (b) => nn.logsumexp(b, 1, { returnSign: true })[0], () => [B()], JAX.lseSignOut],
    ['logsumexp returnSign (sign)', (b) => nn.logsumexp(b, 1, { returnSign: true })[1], () => [B()], JAX.lseSignSign],
  ], { eager: ['logsumexp(A, 1)', 'logsumexp where', 'logsumexp b'] });
  describe('gradients: softmax weights, 0 for -inf entries, NaN for all -inf rows (as JAX)', () => {
    describeCases([
      ['grad logsumexp(A, 1)[:2]', grad((a: Array) => jnp.sum(nn.logsumexp(a, 1).slice([null, 2]))), () => [A()], JAX.gradLseA],
      ['grad logsumexp(A, 1)[2]', grad((a: Array) => nn.logsumexp(a, 1).slice(2)), () => [A()], JAX.gradLseAllInf],
      ['grad logsumexp b', grad((b: Array) => nn.logsumexp(b, 1, { b: bb() }).slice(1)), () => [B()], JAX.gradLseB],
      ['grad logsumexp where', grad((b: Array) => jnp.sum(nn.logsumexp(b, 1, { where: W() }))), () => [B()], JAX.gradLseWhere],
    ], { eager: ['grad logsumexp(A, 1)[:2]'] });
  });
  test('empty reductions and dtypes: integers become float32', () => {
    expectClose(nn.logsumexp(jnp.zeros([2, 0]), 1), [-Infinity, -Infinity]);
    const y = nn.logsumexp(jnp.array([1, 2, 3]));
    expect([y.dtype, y.weakType]).toEqual(['float32', false]);
    expect(nn.logsumexp(jnp.array([1, 2, 3], { dtype: 'bfloat16' })).item()).toBe(3.40625); // JAX's bfloat16 result
  });
});

describe('logmeanexp', () => {
  describeCases([
    ['logmeanexp(B, 1)', (b) => nn.logmeanexp(b, 1), () => [B()], JAX.lmeB],
    ['logmeanexp where', (b, w) => nn.logmeanexp(b, 1, { where: w }), () => [B(), W()], JAX.lmeWhere],
    ['logmeanexp(B)', (b) => nn.logmeanexp(b), () => [B()], JAX.lmeAll],
  ], { eager: ['logmeanexp where'] });
});

describe('standardize', () => {
  describeCases([
    // axis -1 (default), 0, null; a constant row gives 0
    ['standardize(B)', (b) => nn.standardize(b), () => [B()], JAX.stdB],
    ['standardize(B, 0)', (b) => nn.standardize(b, 0), () => [B()], JAX.stdB0],
    ['standardize(B, null)', (b) => nn.standardize(b, null), () => [B()], JAX.stdBall],
    ['standardize where', (b, w) => nn.standardize(b, { where: w }), () => [B(), W()], JAX.stdWhere],
    ["standardize 'stable'", (b) => nn.standardize(b, -1, { algorithm: 'stable' }), () => [B()], JAX.stdStable],
    ['standardize mean, variance', (b) => nn.standardize(b, { mean: 1.0, variance: 4.0 }), () => [B()], JAX.stdMeanVar],
    ['standardize epsilon', (b) => nn.standardize(b, { epsilon: 0.5 }), () => [B()], JAX.stdEps],
  ], { eager: ['standardize(B)', 'standardize where', "standardize 'stable'"] });
  // The constant row is sensitive: rsqrt(variance + 1e-5) with variance exactly 0.
  describe('gradients', () => {
    describeCases([
      ['grad standardize', weighted((x) => nn.standardize(x)), () => [B()], JAX.gradStd, { rtol: 1e-5 }],
      ["grad standardize 'stable'", weighted((x) => nn.standardize(x, { algorithm: 'stable' })), () => [B()], JAX.gradStdStable, { rtol: 1e-5 }],
    ], { eager: false });
  });
  test('errors and dtypes: integers become float32; float16 means accumulate in float32 (JAX values)', () => {
    expect(() => nn.standardize(B(), { algorithm: 'slow' as never })).toThrow("standardize: unknown algorithm 'slow'. Expected 'fast' or 'stable'.");
    expectClose(nn.standardize(jnp.array([1, 2, 3])), [-1.224735975265503, 0.0, 1.224735975265503]);
    const h = jnp.array([1, 2, 3, 7], { dtype: 'float16' });
    expect(nn.standardize(h).dtype).toBe('float16');
    expectClose(nn.standardize(h), [-0.98779296875, -0.548828125, -0.1097412109375, 1.646484375], { rtol: 2 ** -10 });
    expectClose(nn.standardize(h, { where: jnp.array([true, true, false, true]) }), [-0.8896484375, -0.50830078125, -0.1273193359375, 1.3974609375], { rtol: 2 ** -10 });
  });
});

describe('under vmap', () => {
  test('row by row equals the batched call', () => {
    expectClose(vmap((r: Array) => nn.logsumexp(r))(B()), JAX.lseSignOut);
    expectClose(vmap((r: Array) => nn.softmax(r))(A()), JAX.softmaxA);
    expectClose(vmap((r: Array) => nn.standardize(r))(B()), JAX.stdB);
    expect(vmap((i: Array) => nn.oneHot(i, 3))(jnp.array([0, 2, -1, 3, 1])).tolistSync()).toEqual([[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0], [0, 1, 0]]);
  });
});

describe('oneHot', () => {
  test('class axis last by default; out-of-range and negative indices give zeros (JAX)', () => {
    const y = nn.oneHot(jnp.array([0, 2, -1, 3, 1]), 3);
    expect([y.dtype, y.weakType]).toEqual(['float32', false]);
    expect(y.tolistSync()).toEqual([[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0], [0, 1, 0]]);
    expect(jit((x: Array) => nn.oneHot(x, 3))(jnp.array([0, 2, -1, 3, 1])).tolistSync()).toEqual(y.tolistSync());
  });
  test('axis, dtype, float and scalar inputs (under one jit)', () => {
    const [a0, a1, aNeg, i, f, s] = jit((x: Array, ints: Array, floats: Array, two: Array) => [
      nn.oneHot(x, 3, { axis: 0 }), nn.oneHot(x, 3, { axis: 1 }), nn.oneHot(x, 3, { axis: -2 }),
      nn.oneHot(ints, 2, { dtype: 'int32' }), nn.oneHot(floats, 3), nn.oneHot(two, 4),
    ])(jnp.array([[0, 2], [1, 5]]), jnp.array([0, 1]), jnp.array([0, 1.5, 2], { dtype: 'float32' }), jnp.asarray(2));
    expect(a0!.tolistSync()).toEqual([[[1, 0], [0, 0]], [[0, 0], [1, 0]], [[0, 1], [0, 0]]]);
    expect(a1!.tolistSync()).toEqual([[[1, 0], [0, 0], [0, 1]], [[0, 0], [1, 0], [0, 0]]]);
    expect(aNeg!.tolistSync()).toEqual(a1!.tolistSync());
    expect([i!.dtype, i!.tolistSync()]).toEqual(['int32', [[1, 0], [0, 1]]]);
    expect(f!.tolistSync()).toEqual([[1, 0, 0], [0, 0, 0], [0, 0, 1]]);
    expect([s!.shape, s!.weakType, s!.tolistSync()]).toEqual([[4], false, [0, 0, 1, 0]]);
  });
  test('errors', () => {
    expect(() => nn.oneHot(jnp.array([0]), 3, { axis: 2 })).toThrow('axis 2 is out of bounds for array of dimension 2');
    expect(() => nn.oneHot(jnp.array([0]), 2.5)).toThrow('one_hot: num_classes must be a non-negative integer, got 2.5');
  });
});
