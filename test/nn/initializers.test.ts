// jax.nn.initializers: shapes, dtypes, fan computations, and the weights JAX 0.10.2 draws for
// random.PRNGKey(42) (jax.nn.initializers.* with the same arguments; bit for bit where no
// transcendental function is involved), eagerly and under jit.
import { config, jit, nn, random, type Array } from '../../lib/index.js';
import { expectClose, type Nested, type Tolerance } from './close.js';

const init = nn.initializers;
const key = () => random.PRNGKey(42);

/** JAX's results for PRNGKey(42). */
const JAX = {
  uniform: [[0.0048870957, 0.0067979717, 0.0061627147], [0.0056101605, 0.004506446, 0.0058586583]],
  uniformScale: [0.97741914, 1.3595943, 1.232543, 1.1220322],
  normal: [[-0.00028304616, 0.0046713185, 0.0029570295], [0.0015354591, -0.0012403282, 0.0021692314]],
  normalStd: [-0.014152308, 0.23356593, 0.14785148, 0.07677296, -0.06201641],
  truncNormal: [[-0.00027016498, 0.004443808, 0.0028187707], [0.0014650805, -0.001183623, 0.0020690747]],
  truncNormalBounds: [-0.2043417, 0.052302334, -0.032568946, -0.106560856, -0.25655293, -0.07323685],
  glorotUniform: [[-0.020905817, 0.3329197, 0.21529298, 0.11297984], [-0.09138842, 0.15899268, -0.78729993, 0.509448], [0.3684009, 0.5899949, -0.2771809, 0.69032854]],
  glorotNormal: [[-0.016417125, 0.27003706, 0.17128834, 0.089028604], [-0.07192526, 0.12573154, -0.79944557, 0.4343255], [0.30115262, 0.5204617, -0.22251517, 0.64527744]],
  heUniform: [[-0.03193416, 0.5085432, 0.32886544, 0.17257954], [-0.13959812, 0.24286531, -1.2026205, 0.77819467], [0.5627417, 0.9012321, -0.42340082, 1.0544943]],
  heNormal: [[-0.025077576, 0.41248846, 0.26164728, 0.13599345], [-0.10986766, 0.19205812, -1.2211734, 0.66344315], [0.46001825, 0.79501843, -0.33989754, 0.9856776]],
  lecunUniform: [[-0.022580862, 0.35959435, 0.23254299, 0.122032166], [-0.098710775, 0.17173171, -0.85038114, 0.55026674], [0.39791846, 0.63726735, -0.2993896, 0.74564004]],
  lecunNormal: [[-0.017732522, 0.29167336, 0.18501256, 0.09616188], [-0.077688165, 0.13580559, -0.86349994, 0.46912512], [0.325282, 0.5621629, -0.24034384, 0.6969793]],
  vsNormalFanOut: [[-0.020014385, 0.3303121, 0.20909357, 0.108573355], [-0.08770444, 0.15338783, -1.0188553, 0.53447366], [0.36869228, 0.64358765, -0.27188015, 0.8059768]],
  vsGeoConv: [[[[-0.01050693, 0.16732013, 0.10820282, 0.056781866], [-0.045930363, 0.07990719, -0.39568442, 0.25604045], [0.18515243, 0.29652205, -0.13930671, 0.34694812]], [[0.3963273, 0.33513936, -0.02088828, 0.29638073], [0.19668752, 0.080680855, -0.39668208, 0.2583566], [-0.08881174, -0.3544458, -0.44086885, 0.12952043]]], [[[-0.088657655, 0.36092693, -0.38948193, -0.18946666], [0.09927663, 0.40782356, 0.23824221, -0.038495827], [-0.17893133, 0.23344707, 0.041069783, -0.1265491]], [[0.16323777, 0.083860524, -0.1965919, -0.28977633], [-0.07866569, 0.11256885, -0.06910261, 0.034712106], [0.13563903, -0.33017182, 0.16047688, 0.36015615]]]],
  vsAxes: [[[[-0.017732522, 0.29167336], [0.18501256, 0.09616188]], [[-0.077688165, 0.13580559], [-0.86349994, 0.46912512]]], [[[0.325282, 0.5621629], [-0.24034384, 0.6969793]], [[0.86608416, 0.6629014], [-0.035265774, 0.5618188]]], [[[0.3474799, 0.13713968], [-0.8675161, 0.474185]], [[-0.15119573, -0.71962804], [-1.0937945, 0.2227688]]]],
  orthogonal: [[-0.01653874, 0.08971903, -0.8419258, 0.5318253], [0.97987, -0.10146704, 0.06932306, 0.1573335], [-0.1457009, 0.20810871, 0.53430545, 0.8062131]],
  orthogonalTall: [[-0.038342714, 1.5986466], [0.40057293, 1.0606037], [-0.1680206, 0.54781413], [-1.9518814, 0.13910127]],
  orthogonalAxis0: [[[-0.017555594, 0.18340613], [-0.07692983, -0.8936875], [0.32339793, -0.2384793]], [[0.28451464, 0.17025328], [0.10422323, 0.10939485], [0.6994053, 0.6148721]]],
  deltaOrthogonal: [[[0.0, 0.0], [0.0, 0.0]], [[-0.09528422, 0.9954501], [0.9954501, 0.09528428]], [[0.0, 0.0], [0.0, 0.0]]],
  heUniformF16: [[-1.1982422, -0.8754883, 1.3447266, 0.7265625], [-0.14355469, -0.5439453, 0.61328125, -1.0107422], [1.3974609, 1.3642578, 0.28710938, -1.0361328]],
  constant: [-0.5, -0.5],
  heNormalF64: [[-0.20033253597379388, -2.030021558632832, 0.20274189246826677], [0.6604485423606329, 0.5293360729996152, 0.39958717082402606]],
};

const tol = { rtol: 2e-6, atol: 1e-7 }; // truncated normals go through erf and erf_inv
const exact = { exact: true }; // uniform and normal samples times a scale: JAX's bits

describe('fans (JAX _compute_fans)', () => {
  test('in/out axes times the receptive field; batch axes left out', () => {
    expect(init.computeFans([3, 4])).toEqual([3, 4]);
    expect(init.computeFans([2, 3, 5, 7])).toEqual([30, 42]); // conv kernel HWIO: receptive field 6
    expect(init.computeFans([5], 0, 0)).toEqual([1, 1]);
    expect(init.computeFans([2, 3, 5, 7], 2, 3, 0)).toEqual([15, 21]);
    expect(init.computeFans([2, 3, 5, 7], [0, 1], -1)).toEqual([30, 35]);
    expect(init.computeFans([2, 3, 5, 7], -2, -1, [0])).toEqual([15, 21]);
  });
  test("a 1-d shape needs an explicit in_axis (JAX's message)", () => {
    expect(() => init.glorotUniform()(key(), [5])).toThrow(
      "Can't compute input and output sizes of a 1-dimensional weights tensor with default in_axis. Must be at least 2D or specify in_axis explicitly.",
    );
    expect(() => init.varianceScaling(1, 'fan_sum' as never, 'normal')).toThrow('invalid mode for variance scaling initializer: fan_sum');
    expect(() => init.varianceScaling(1, 'fan_in', 'cauchy' as never)).toThrow('invalid distribution for variance scaling initializer: cauchy');
  });
});

describe('values for PRNGKey(42) (JAX reference)', () => {
  const cases: [string, (k: Array) => Array, Nested, Tolerance?][] = [
    ['uniform()', (k) => init.uniform()(k, [2, 3]), JAX.uniform, exact],
    ['uniform(2)', (k) => init.uniform(2.0)(k, [4]), JAX.uniformScale, exact],
    ['normal()', (k) => init.normal()(k, [2, 3]), JAX.normal, exact],
    ['normal({ stddev })', (k) => init.normal({ stddev: 0.5 })(k, [5]), JAX.normalStd, exact],
    ['truncatedNormal()', (k) => init.truncatedNormal()(k, [2, 3]), JAX.truncNormal],
    ['truncatedNormal(1, dtype, -1, 0.5)', (k) => init.truncatedNormal(1.0, undefined, -1.0, 0.5)(k, [6]), JAX.truncNormalBounds],
    ['glorotUniform', (k) => init.glorotUniform()(k, [3, 4]), JAX.glorotUniform, exact],
    ['glorotNormal', (k) => init.glorotNormal()(k, [3, 4]), JAX.glorotNormal],
    ['heUniform', (k) => init.heUniform()(k, [3, 4]), JAX.heUniform, exact],
    ['heNormal', (k) => init.heNormal()(k, [3, 4]), JAX.heNormal],
    ['lecunUniform', (k) => init.lecunUniform()(k, [3, 4]), JAX.lecunUniform, exact],
    ['lecunNormal', (k) => init.lecunNormal()(k, [3, 4]), JAX.lecunNormal],
    ["varianceScaling(2, 'fan_out', 'normal')", (k) => init.varianceScaling(2.0, 'fan_out', 'normal')(k, [3, 4]), JAX.vsNormalFanOut, exact],
    ["varianceScaling(1, 'fan_geo_avg', 'uniform') conv", (k) => init.varianceScaling(1.0, 'fan_geo_avg', 'uniform')(k, [2, 2, 3, 4]), JAX.vsGeoConv, exact],
    ['varianceScaling in/out/batch axes', (k) => init.varianceScaling(1.0, 'fan_in', 'truncated_normal', { inAxis: 0, outAxis: [1, 2], batchAxis: 3 })(k, [3, 2, 2, 2]), JAX.vsAxes],
    // orthogonal goes through a QR factorisation: agreement to float32 rounding of the factorisation
    ['orthogonal()', (k) => init.orthogonal()(k, [3, 4]), JAX.orthogonal, { atol: 2e-6 }],
    ['orthogonal(2) tall', (k) => init.orthogonal(2.0)(k, [4, 2]), JAX.orthogonalTall, { atol: 4e-6 }],
    ['orthogonal({ columnAxis: 0 })', (k) => init.orthogonal({ columnAxis: 0 })(k, [2, 3, 2]), JAX.orthogonalAxis0, { atol: 2e-6 }],
    ['deltaOrthogonal()', (k) => init.deltaOrthogonal()(k, [3, 2, 2]), JAX.deltaOrthogonal, { atol: 2e-6 }],
    ['constant(-0.5)', (k) => init.constant(-0.5)(k, [2]), JAX.constant, exact],
  ];
  // Every case eagerly or under jit (some both); under jit the key is the program's argument.
  const eager = ['heNormal', 'orthogonal()'];
  // Under jit, a representative few (each sampler is a sizeable program, slow to compile on CPU).
  const jitted = ['uniform(2)', 'truncatedNormal(1, dtype, -1, 0.5)', 'glorotUniform', 'heNormal', 'varianceScaling in/out/batch axes', 'orthogonal()'];
  const underJit = cases.filter(([name]) => jitted.includes(name));
  test.each(cases.filter((c) => eager.includes(c[0]) || !jitted.includes(c[0])).map((c) => [c[0], c] as const))('%s eagerly', (_name, [, make, expected, t]) => {
    const w = make(key());
    expect(w.dtype).toBe('float32');
    expect(w.weakType).toBe(false);
    expectClose(w, expected, t ?? tol);
  });
  // Bits are JAX's eagerly; fused under jit (as under JAX's jit) they may differ in the last place.
  test(`${jitted.join(', ')} under one jit, with the key as an argument`, () => {
    const all = jit((k: Array) => underJit.map(([, make]) => make(k)))(key());
    all.forEach((w, i) => {
      const [name, , expected, t] = underJit[i]!;
      expect([name, w.dtype]).toEqual([name, 'float32']);
      expectClose(w, expected, t === undefined || t.exact ? tol : t);
    });
  });
});

describe('dtypes and shapes', () => {
  test('the call dtype wins over the factory dtype; float16 values (JAX)', () => {
    const w = init.heUniform()(key(), [3, 4], 'float16');
    expect(w.dtype).toBe('float16');
    expectClose(w, JAX.heUniformF16, { rtol: 2 ** -10 });
    expect(init.glorotNormal({ dtype: 'bfloat16' })(key(), [2, 2]).dtype).toBe('bfloat16');
    expect(init.glorotNormal(-2, -1, [], 'bfloat16')(key(), [2, 2], 'float32').dtype).toBe('float32');
    expect(init.zeros(key(), [2, 3]).tolistSync()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(init.ones(key(), [2], 'int32').dtype).toBe('int32');
    expect(init.constant(3, 'int32')(key(), [2]).tolistSync()).toEqual([3, 3]);
    expect(init.orthogonal()(key(), [0, 3]).shape).toEqual([0, 3]);
  });
  test('float64 under x64 (JAX values)', () => {
    config.with({ enableX64: true }, () => {
      const w = init.heNormal()(key(), [2, 3]);
      expect(w.dtype).toBe('float64');
      expectClose(w, JAX.heNormalF64, { rtol: 1e-13 });
    });
  });
  test('shape errors', () => {
    expect(() => init.orthogonal()(key(), [3])).toThrow('orthogonal initializer requires at least a 2D shape');
    expect(() => init.deltaOrthogonal()(key(), [2, 2])).toThrow('Delta orthogonal initializer requires a 3D, 4D or 5D shape.');
    expect(() => init.deltaOrthogonal()(key(), [3, 3, 2])).toThrow('`fan_in` must be less or equal than `fan_out`.');
  });
});
