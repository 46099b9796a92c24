// jax.nn activations: values and derivatives against JAX 0.10.2 (computed with jax.nn.* and
// jax.vmap(jax.grad(f)) on the inputs below, float32 CPU), eagerly and under jit; dtypes and
// weak types as JAX gives them.
import { config, evalShape, grad, jit, nn, numpy as jnp, type Array, type ShapeDtypeStruct } from '../../lib/index.js';
import { checkBoth, expectClose, type Nested, type Tolerance } from './close.js';

const X = [-3.5, -2, -1, -0.5, -1e-3, -0.0, 0, 1e-3, 0.5, 1, 2, 3.5, 6, 30, -30, 100, -100, Infinity, -Infinity, NaN];

/** JAX's values and elementwise derivatives at X. */
const JAX: Record<string, { value: Nested; grad: Nested }> = {
  relu: { value: [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.001, 0.5, 1.0, 2.0, 3.5, 6.0, 30.0, 0.0, 100.0, 0.0, Infinity, 0.0, NaN],
    grad: [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0] },
  relu6: { value: [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.001, 0.5, 1.0, 2.0, 3.5, 6.0, 6.0, 0.0, 6.0, 0.0, 6.0, 0.0, NaN],
    grad: [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0] },
  sigmoid: { value: [0.02931223, 0.11920292, 0.26894143, 0.37754068, 0.49975002, 0.5, 0.5, 0.50025, 0.62245935, 0.7310586, 0.880797, 0.97068775, 0.9975274, 1.0, 9.3576236e-14, 1.0, 0.0, 1.0, 0.0, NaN],
    grad: [0.028453022, 0.10499358, 0.19661194, 0.23500371, 0.24999994, 0.25, 0.25, 0.24999994, 0.23500371, 0.19661193, 0.10499363, 0.028453045, 0.0024664658, 0.0, 9.3576236e-14, 0.0, 0.0, 0.0, 0.0, NaN] },
  softplus: { value: [0.029750418, 0.126928, 0.3132617, 0.474077, 0.69264734, 0.6931472, 0.6931472, 0.6936473, 0.974077, 1.3132617, 2.126928, 3.5297503, 6.0024757, 30.0, 9.357623e-14, 100.0, 0.0, Infinity, 0.0, NaN],
    grad: [0.029312233, 0.11920291, 0.2689414, 0.37754068, 0.49975, 0.5, 0.5, 0.50025, 0.62245935, 0.73105854, 0.880797, 0.97068787, 0.9975273, 1.0, 9.357623e-14, 1.0, 0.0, 1.0, 0.0, NaN] },
  silu: { value: [-0.10259281, -0.23840584, -0.26894143, -0.18877034, -0.00049975, -0.0, 0.0, 0.00050025, 0.31122968, 0.7310586, 1.761594, 3.397407, 5.9851646, 30.0, -2.8072872e-12, 100.0, -0.0, Infinity, NaN, NaN],
    grad: [-0.07027335, -0.090784244, 0.07232949, 0.26003882, 0.4995, 0.5, 0.5, 0.50049996, 0.7399612, 0.92767054, 1.0907843, 1.0702734, 1.0123262, 1.0, -2.713711e-12, 1.0, 0.0, NaN, NaN, NaN] },
  mish: { value: [-0.10409574, -0.25250146, -0.30340144, -0.22074378, -0.00059968006, -0.0, 0.0, 0.00060032, 0.37524524, 0.8650985, 1.943959, 3.4939907, 5.999927, 30.0, -2.807287e-12, 100.0, -0.0, Infinity, NaN, NaN],
    grad: [-0.07276043, -0.10835509, 0.059216753, 0.28951067, 0.59936, 0.6, 0.6, 0.60063994, 0.8864244, 1.0490361, 1.0693178, 1.0099396, 1.0001334, 1.0, -2.7137108e-12, 1.0, 0.0, NaN, NaN, NaN] },
  logSigmoid: { value: [-3.5297503, -2.126928, -1.3132617, -0.974077, -0.6936473, -0.6931472, -0.6931472, -0.69264734, -0.474077, -0.3132617, -0.126928, -0.029750418, -0.0024756852, -9.357623e-14, -30.0, -0.0, -100.0, -0.0, -Infinity, NaN],
    grad: [0.97068787, 0.880797, 0.73105854, 0.62245935, 0.50025, 0.5, 0.5, 0.49975, 0.37754068, 0.2689414, 0.11920291, 0.029312233, 0.002472623, 9.357623e-14, 1.0, 0.0, 1.0, 0.0, 1.0, NaN] },
  elu: { value: [-0.9698026, -0.86466473, -0.63212055, -0.39346933, -0.0009995, -0.0, 0.0, 0.001, 0.5, 1.0, 2.0, 3.5, 6.0, 30.0, -1.0, 100.0, -1.0, Infinity, -1.0, NaN],
    grad: [0.030197382, 0.13533527, 0.36787945, 0.60653067, 0.9990005, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, NaN] },
  celu: { value: [-0.9698026, -0.86466473, -0.63212055, -0.39346933, -0.0009995, 0.0, 0.0, 0.001, 0.5, 1.0, 2.0, 3.5, 6.0, 30.0, -1.0, 100.0, -1.0, Infinity, -1.0, NaN],
    grad: [0.030197382, 0.13533527, 0.36787945, 0.60653067, 0.9990005, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, NaN] },
  selu: { value: [-1.7050093, -1.5201665, -1.1113307, -0.6917582, -0.0017572204, -0.0, 0.0, 0.001050701, 0.5253505, 1.050701, 2.101402, 3.6774535, 6.304206, 31.52103, -1.7580993, 105.0701, -1.7580993, Infinity, -1.7580993, NaN],
    grad: [0.053089995, 0.23793285, 0.6467686, 1.0663412, 1.756342, 1.7580993, 1.7580993, 1.050701, 1.050701, 1.050701, 1.050701, 1.050701, 1.050701, 1.050701, 0.0, 1.050701, 0.0, 1.050701, 0.0, NaN] },
  gelu: { value: [-0.0006161481, -0.045402348, -0.15880796, -0.154286, -0.00049960107, -0.0, 0.0, 0.000500399, 0.345714, 0.841192, 1.9545977, 3.4993837, 6.0, 30.0, -0.0, 100.0, -0.0, Infinity, NaN, NaN],
    grad: [-0.0024225921, -0.08609934, -0.08296407, 0.13263011, 0.49920213, 0.5, 0.5, 0.50079787, 0.86736995, 1.082964, 1.0860994, 1.0024223, 1.0, 1.0, 0.0, 1.0, 0.0, NaN, NaN, NaN] },
  geluExact: { value: [-0.0008142018, -0.045500267, -0.15865527, -0.15426877, -0.00049960107, -0.0, 0.0, 0.000500399, 0.34573123, 0.8413447, 1.9544997, 3.4991858, 6.0, 30.0, -0.0, 100.0, -0.0, Infinity, NaN, NaN],
    grad: [-0.0028217607, -0.08523182, -0.08331548, 0.13250488, 0.49920213, 0.5, 0.5, 0.50079787, 0.8674951, 1.0833155, 1.0852318, 1.0028218, 1.0, 1.0, 0.0, 1.0, 0.0, NaN, NaN, NaN] },
  leakyRelu: { value: [-0.035, -0.02, -0.01, -0.005, -1.0000001e-05, -0.0, 0.0, 0.001, 0.5, 1.0, 2.0, 3.5, 6.0, 30.0, -0.29999998, 100.0, -1.0, Infinity, -Infinity, NaN],
    grad: [0.01, 0.01, 0.01, 0.01, 0.01, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.01, 1.0, 0.01, 1.0, 0.01, 0.01] },
  hardTanh: { value: [-1.0, -1.0, -1.0, -0.5, -0.001, -0.0, 0.0, 0.001, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, NaN],
    grad: [0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0] },
  hardSigmoid: { value: [0.0, 0.16666667, 0.33333334, 0.4166667, 0.49983335, 0.5, 0.5, 0.50016665, 0.5833334, 0.6666667, 0.8333334, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, NaN],
    grad: [0.0, 0.16666667, 0.16666667, 0.16666667, 0.16666667, 0.16666667, 0.16666667, 0.16666667, 0.16666667, 0.16666667, 0.16666667, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0] },
  hardSilu: { value: [-0.0, -0.33333334, -0.33333334, -0.20833334, -0.0004998334, -0.0, 0.0, 0.0005001667, 0.2916667, 0.6666667, 1.6666667, 3.5, 6.0, 30.0, -0.0, 100.0, -0.0, Infinity, NaN, NaN],
    grad: [0.0, -0.16666667, 0.16666667, 0.33333334, 0.4996667, 0.5, 0.5, 0.5003333, 0.6666667, 0.8333334, 1.1666667, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, NaN] },
  softSign: { value: [-0.7777778, -0.6666667, -0.5, -0.33333334, -0.000999001, -0.0, 0.0, 0.000999001, 0.33333334, 0.5, 0.6666667, 0.7777778, 0.85714287, 0.9677419, -0.9677419, 0.990099, -0.990099, NaN, NaN, NaN],
    grad: [0.049382716, 0.11111112, 0.25, 0.44444448, 0.99800295, 1.0, 1.0, 0.99800295, 0.44444448, 0.25, 0.11111112, 0.049382716, 0.020408168, 0.0010405798, 0.0010405798, 9.803008e-05, 9.803008e-05, NaN, NaN, NaN] },
  sparsePlus: { value: [0.0, 0.0, 0.0, 0.0625, 0.24950026, 0.25, 0.25, 0.25050026, 0.5625, 1.0, 2.0, 3.5, 6.0, 30.0, 0.0, 100.0, 0.0, Infinity, 0.0, NaN],
    grad: [0.0, 0.0, 0.0, 0.25, 0.4995, 0.5, 0.5, 0.5005, 0.75, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0, NaN, NaN, NaN] },
  sparseSigmoid: { value: [0.0, 0.0, 0.0, 0.25, 0.4995, 0.5, 0.5, 0.5005, 0.75, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, NaN],
    grad: [0.0, 0.0, 0.25, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0] },
  squareplus: { value: [0.26556444, 0.41421354, 0.618034, 0.7807764, 0.9995001, 1.0, 1.0, 1.0005001, 1.2807764, 1.618034, 2.4142137, 3.7655644, 6.1622777, 30.033297, 0.033296585, 100.009995, 0.0099983215, Infinity, NaN, NaN],
    grad: [0.065878436, 0.14644662, 0.2763932, 0.37873217, 0.49975, 0.5, 0.5, 0.50025, 0.6212678, 0.7236068, 0.8535534, 0.93412155, 0.97434163, 0.99889255, 0.0011074468, 0.99990004, 9.994209e-05, NaN, NaN, NaN] },
  log1mexp: { value: [NaN, NaN, NaN, NaN, NaN, -Infinity, -Infinity, -6.9082556, -0.93275213, -0.45867515, -0.14541346, -0.030662717, -0.0024818294, -9.357623e-14, NaN, -0.0, NaN, -0.0, NaN, NaN],
    grad: [-1.0311377, -1.1565176, -1.5819768, -2.5414941, -1000.5002, -Infinity, Infinity, 999.5002, 1.541494, 0.5819767, 0.15651764, 0.03113766, 0.0024849116, 9.3576236e-14, -1.0, 0.0, -1.0, 0.0, -1.0, NaN] },
  eluAlpha: { value: [-0.4849013, -0.43233237, -0.31606027, -0.19673467, -0.00049975, -0.0, 0.0, 0.001, 0.5, 1.0, 2.0, 3.5, 6.0, 30.0, -0.5, 100.0, -0.5, Infinity, -0.5, NaN],
    grad: [0.015098691, 0.06766763, 0.18393973, 0.30326533, 0.49950024, 0.5, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, NaN] },
  celuAlpha: { value: [-1.6524521, -1.2642411, -0.78693867, -0.4423984, -0.0009997501, 0.0, 0.0, 0.001, 0.5, 1.0, 2.0, 3.5, 6.0, 30.0, -1.9999994, 100.0, -2.0, Infinity, -2.0, NaN],
    grad: [0.17377394, 0.36787945, 0.60653067, 0.7788008, 0.9995001, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.9802322e-07, 1.0, 0.0, 1.0, 0.0, NaN] },
  leakyReluSlope: { value: [-0.7, -0.4, -0.2, -0.1, -0.00020000001, -0.0, 0.0, 0.001, 0.5, 1.0, 2.0, 3.5, 6.0, 30.0, -6.0, 100.0, -20.0, Infinity, -Infinity, NaN],
    grad: [0.2, 0.2, 0.2, 0.2, 0.2, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.2, 1.0, 0.2, 1.0, 0.2, 0.2] },
};

const fns: Record<string, (x: Array) => Array> = {
  relu: nn.relu, relu6: nn.relu6, sigmoid: nn.sigmoid, softplus: nn.softplus, silu: nn.silu, mish: nn.mish,
  logSigmoid: nn.logSigmoid, elu: (x) => nn.elu(x), celu: (x) => nn.celu(x), selu: nn.selu, gelu: (x) => nn.gelu(x),
  geluExact: (x) => nn.gelu(x, false), leakyRelu: (x) => nn.leakyRelu(x), hardTanh: nn.hardTanh,
  hardSigmoid: nn.hardSigmoid, hardSilu: nn.hardSilu, softSign: nn.softSign, sparsePlus: nn.sparsePlus,
  sparseSigmoid: nn.sparseSigmoid, squareplus: (x) => nn.squareplus(x), log1mexp: nn.log1mexp,
  eluAlpha: (x) => nn.elu(x, 0.5), celuAlpha: (x) => nn.celu(x, 2.0), leakyReluSlope: (x) => nn.leakyRelu(x, 0.2),
};

const x32 = () => jnp.array(X, { dtype: 'float32' });
/** d/dx f elementwise: the gradient of sum(f(x)). */
const derivative = (f: (x: Array) => Array) => grad((x: Array) => jnp.sum(f(x)));
const names = Object.keys(fns);
// Derivatives with cancellation (1 + tanh(u) at x = -3.5; 1 + x/sqrt(x² + 4) at x = -30, -100):
// JAX's own eager and jit results differ there by up to 6e-5 relative (FMA contraction under
// jit), and by about an ulp of 1 (6e-8) absolute for squareplus.
const slopeTol: Record<string, Tolerance> = { gelu: { rtol: 1e-4 }, squareplus: { atol: 1e-7 } };
// Under jit, all the functions (and all the derivatives) run in one program to keep compiles few.
const allValues = jit((x: Array) => names.map((n) => fns[n]!(x)));
const allSlopes = jit((x: Array) => names.map((n) => derivative(fns[n]!)(x)));

describe('activation values (float32, JAX reference, incl. ±0, ±inf, NaN, large magnitudes)', () => {
  test.each(names)('%s eagerly', (name) => {
    const y = fns[name]!(x32());
    expect(y.dtype).toBe('float32');
    expectClose(y, JAX[name]!.value);
  });
  test('all under jit', () => {
    allValues(x32()).forEach((y, i) => expectClose(y, JAX[names[i]!]!.value));
  });
});

describe('activation derivatives (JAX reference)', () => {
  // (log1mexp's derivative is JAX's custom rule 1/expm1(x), finite also where the value is NaN.)
  test.each(names)('%s eagerly', (name) => {
    expectClose(derivative(fns[name]!)(x32()), JAX[name]!.grad, slopeTol[name]);
  });
  test('all under jit', () => {
    allSlopes(x32()).forEach((g, i) => expectClose(g, JAX[names[i]!]!.grad, slopeTol[names[i]!]));
  });

  test('relu and relu6 have derivative 0 at their kinks, as JAX defines them', () => {
    const x = jnp.array([0, 6], { dtype: 'float32' });
    expect(derivative(nn.relu)(x).tolistSync()).toEqual([0, 1]);
    expect(derivative(nn.relu6)(x).tolistSync()).toEqual([0, 0]);
    expect(derivative(nn.hardSigmoid)(jnp.array([-3, 3], { dtype: 'float32' })).tolistSync()).toEqual([0, 0]);
    // second derivatives go through the same rules (JAX: grad(grad(softplus))(0.) = 0.25)
    expect(grad(derivative(nn.softplus))(jnp.asarray(0, 'float32')).item()).toBeCloseTo(0.25, 7);
  });
});

describe('dtypes and weak types', () => {
  // dtype rules need no execution: evalShape traces only.
  const aval = (f: (x: Array) => Array, x: Array | number) => evalShape(f)(jnp.asarray(x)) as ShapeDtypeStruct;
  test('JS numbers give weak results; integer arrays promote as in JAX', () => {
    expect(aval(nn.relu, 2)).toEqual({ shape: [], dtype: 'int32', weakType: true });
    expect(aval(nn.softplus, 2).weakType).toBe(true);
    expect(aval(nn.sigmoid, 2.5).weakType).toBe(true);
    // gelu's constants are NumPy scalars of x's dtype in JAX: the result is strong
    expect(aval(nn.gelu, 2.5).weakType).toBe(false);
    expect(() => nn.sigmoid(jnp.array([1, 2]))).toThrow(/logistic does not accept dtype int32/);
    // JAX on int32 [-2, 0, 3]: dtype, weak type, values. Python float literals (relu6's `6.`,
    // celu's `alpha=1.0`, ...) make integer inputs weak float32.
    const want: Record<string, [string, boolean, number[]]> = {
      relu: ['int32', false, [0, 0, 3]], relu6: ['float32', true, [0.0, 0.0, 3.0]],
      softplus: ['float32', false, [0.126928, 0.6931472, 3.0485873]], mish: ['float32', false, [-0.25250146, 0.0, 2.9865355]],
      logSigmoid: ['float32', false, [-2.126928, -0.6931472, -0.04858735]], elu: ['float32', true, [-0.86466473, 0.0, 3.0]],
      celu: ['float32', true, [-0.86466473, 0.0, 3.0]], selu: ['float32', true, [-1.5201665, 0.0, 3.152103]],
      gelu: ['float32', false, [-0.045402348, 0.0, 2.9963627]], leakyRelu: ['float32', true, [-0.02, 0.0, 3.0]],
      hardTanh: ['int32', false, [-1, 0, 1]], hardSigmoid: ['float32', true, [0.16666667, 0.5, 1.0]],
      hardSilu: ['float32', true, [-0.33333334, 0.0, 3.0]], softSign: ['float32', false, [-0.6666667, 0.0, 0.75]],
      sparsePlus: ['float32', true, [0.0, 0.25, 3.0]], sparseSigmoid: ['float32', true, [0.0, 0.5, 1.0]],
      squareplus: ['float32', false, [0.41421354, 1.0, 3.3027756]], log1mexp: ['float32', false, [NaN, -Infinity, -0.05106918]],
    };
    const x = jnp.array([-2, 0, 3]);
    const which = Object.keys(want);
    const ys = jit((a: Array) => which.map((n) => fns[n]!(a)))(x);
    which.forEach((name, i) => {
      const [dtype, weak, values] = want[name]!;
      expect([name, aval(fns[name]!, x)]).toEqual([name, { shape: [3], dtype, weakType: weak }]);
      expectClose(ys[i]!, values);
    });
  });

  const S = [-2, -0.5, 0, 0.5, 1, 3.5];
  // JAX's bfloat16/float16 results (rounded after each op, as XLA's CPU does); one ulp apart at most.
  const half: Record<string, Record<string, number[]>> = {
    bfloat16: {
      relu: [0.0, 0.0, 0.0, 0.5, 1.0, 3.5],
      gelu: [-0.046875, -0.154296875, 0.0, 0.345703125, 0.84375, 3.5],
      geluExact: [-0.04541015625, -0.154296875, 0.0, 0.345703125, 0.83984375, 3.5],
      softplus: [0.126953125, 0.47265625, 0.69140625, 0.97265625, 1.3125, 3.53125],
      sigmoid: [0.11962890625, 0.376953125, 0.5, 0.62109375, 0.73046875, 0.96875],
      silu: [-0.2392578125, -0.1884765625, 0.0, 0.310546875, 0.73046875, 3.390625],
      elu: [-0.86328125, -0.392578125, 0.0, 0.5, 1.0, 3.5],
    },
    float16: {
      relu: [0.0, 0.0, 0.0, 0.5, 1.0, 3.5],
      gelu: [-0.04541015625, -0.154296875, 0.0, 0.345703125, 0.8408203125, 3.5],
      geluExact: [-0.0455322265625, -0.154296875, 0.0, 0.345703125, 0.84130859375, 3.5],
      softplus: [0.126953125, 0.47412109375, 0.693359375, 0.97412109375, 1.3134765625, 3.529296875],
      sigmoid: [0.11920166015625, 0.377685546875, 0.5, 0.62255859375, 0.73095703125, 0.970703125],
      silu: [-0.2384033203125, -0.1888427734375, 0.0, 0.311279296875, 0.73095703125, 3.3984375],
      elu: [-0.86474609375, -0.393310546875, 0.0, 0.5, 1.0, 3.5],
    },
  };
  test.each(['bfloat16', 'float16'] as const)('%s keeps its dtype (values within an ulp of JAX)', (dtype) => {
    const x = jnp.array(S, { dtype });
    const ulp = dtype === 'bfloat16' ? 2 ** -8 : 2 ** -11;
    const which = Object.keys(half[dtype]!);
    const ys = jit((a: Array) => which.map((n) => fns[n]!(a)))(x);
    which.forEach((name, i) => {
      expect(ys[i]!.dtype).toBe(dtype);
      expectClose(ys[i]!, half[dtype]![name]!, { rtol: 2 * ulp, atol: 2 * ulp * 0.05 });
    });
  });

  test('float64 (x64): constants at full precision', () => {
    config.with({ enableX64: true }, () => {
      const x = jnp.array([...S, 30, -30], { dtype: 'float64' });
      const want: Record<string, [number[], number[]]> = {
        gelu: [[-0.04540230591222494, -0.15428599017485609, 0.0, 0.3457140098251439, 0.8411919906082768, 3.499383802344626, 30.0, -0.0],
          [-0.08609925662361839, 0.1326300964653577, 0.5, 0.8673699035346423, 1.0829640838457828, 1.0024226437601167, 1.0, 0.0]],
        geluExact: [[-0.04550026389635841, -0.15426876936299344, 0.0, 0.34573123063700656, 0.8413447460685429, 3.4991857982233756, 30.0, -1.4720141781443724e-196],
          [-0.08523180107819688, 0.13250487534383715, 0.5, 0.8674951246561629, 1.0833154705876862, 1.0028217603536247, 1.0, -4.416031690708244e-195]],
        softplus: [[0.1269280110429725, 0.4740769841801067, 0.6931471805599453, 0.9740769841801067, 1.3132616875182228, 3.5297504182726205, 30.000000000000092, 9.357622968839737e-14],
          [0.11920292202211753, 0.3775406687981454, 0.5, 0.6224593312018546, 0.731058578630005, 0.9706877692486438, 0.9999999999999076, 9.35762296883931e-14]],
        selu: [[-1.520166468595695, -0.6917581878028712, 0.0, 0.5253504936777402, 1.0507009873554805, 3.677453455744182, 31.521029620664414, -1.7580993408472123],
          [0.2379328722516818, 1.0663411530445053, 1.7580993408473766, 1.0507009873554805, 1.0507009873554805, 1.0507009873554805, 1.0507009873554805, 1.6454368360444989e-13]],
        logSigmoid: [[-2.1269280110429727, -0.9740769841801067, -0.6931471805599453, -0.4740769841801067, -0.3132616875182228, -0.029750418272620566, -9.357622968839737e-14, -30.000000000000092],
          [0.8807970779778823, 0.6224593312018546, 0.5, 0.3775406687981454, 0.2689414213699951, 0.029312230751356323, 9.35762296883931e-14, 0.9999999999999076]],
        mish: [[-0.2525014826957088, -0.22074377465173, 0.0, 0.375245211304895, 0.8650983882673103, 3.493990715117519, 30.0, -2.807286890651921e-12],
          [-0.10835509242039393, 0.28951067791351226, 0.6000000000000001, 0.8864243753577272, 1.0490362200997922, 1.0099393249951334, 1.0, -2.713710660963396e-12]],
      };
      const which = Object.keys(want);
      const out = jit((a: Array) => which.map((n) => [fns[n]!(a), derivative(fns[n]!)(a)]))(x);
      which.forEach((name, i) => {
        const [y, slope] = out[i]!;
        expect(y!.dtype).toBe('float64');
        expectClose(y!, want[name]![0], { rtol: 1e-14 });
        expectClose(slope!, want[name]![1], { rtol: 1e-14 });
      });
    });
  });
});

describe('glu', () => {
  test('splits the axis in two halves (JAX reference)', () => {
    const x = jnp.array([[1, -2, 0.5, 3], [0, 1, -1, 2]], { dtype: 'float32' });
    checkBoth((a) => nn.glu(a), [x], [[0.62245935, -1.9051483], [0.0, 0.880797]]);
    checkBoth((a) => nn.glu(a, 0), [x], [[0.5, -1.4621172, 0.13447072, 2.6423912]]);
  });
  test('odd axis sizes are an error', () => {
    expect(() => nn.glu(jnp.zeros([2, 3]))).toThrow('glu: axis size must be divisible by 2, got 3');
  });
});
