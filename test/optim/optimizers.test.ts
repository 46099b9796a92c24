// optim: each optimiser's trajectory over 4 steps on a small pytree, against optax 0.2.8.
// Expected values come from optax (JAX 0.10.2, CPU): params {w: (3, 2), b: (2,)} float32 start at P0;
// step k feeds the gradient G * C[k] (G has a zero entry, for adagrad's zero accumulator);
// the parameters after each step are listed.
import { numpy as jnp, optim, tree, type Array } from '../../lib/index.js';

type Params = { w: Array; b: Array };
type Values = { w: number[][]; b: number[] };

const P0 = { w: [[0.5, -1.0], [1.5, 2.0], [-0.25, 0.75]], b: [0.1, -0.2] };
const G = { w: [[0.3, -0.6], [0.9, 0.0], [-1.2, 0.4]], b: [0.7, -0.1] };
const C = [1.0, -0.5, 2.0, 0.25];

const f32 = (v: Values): Params => ({ w: jnp.array(v.w, { dtype: 'float32' }), b: jnp.array(v.b, { dtype: 'float32' }) });

/** Runs 4 steps with the fixed gradients; returns the parameters after each step and the final state. */
function run(opt: optim.GradientTransformation): { steps: Values[]; state: unknown } {
  let params = f32(P0);
  let state = opt.init(params);
  const grads = f32(G);
  const steps: Values[] = [];
  for (const c of C) {
    const g = tree.map((x: Array) => x.mul(c), grads);
    let updates: Params;
    [updates, state] = opt.update(g, state, params);
    params = optim.applyUpdates(params, updates);
    steps.push({ w: params.w.tolistSync() as number[][], b: params.b.tolistSync() as number[] });
  }
  return { steps, state };
}

/** |actual - expected| <= 1e-6 |expected| + 1e-7, leafwise. */
function expectClose(actual: unknown, expected: unknown, where: string): void {
  const a = (actual as number[]).flat(3) as number[];
  const e = (expected as number[]).flat(3) as number[];
  expect(a.length).toBe(e.length);
  a.forEach((x, i) => {
    if (!(Math.abs(x - e[i]!) <= 1e-6 * Math.abs(e[i]!) + 1e-7)) throw new Error(`${where}[${i}]: got ${x}, expected ${e[i]} (optax)`);
  });
}

const EXPECTED: Record<string, Values[]> = {
  'sgd': [
    { w: [[0.47, -0.94], [1.41, 2], [-0.13, 0.71]], b: [0.030000001, -0.19] },
    { w: [[0.485, -0.97], [1.4549999, 2], [-0.19, 0.72999996]], b: [0.065, -0.195] },
    { w: [[0.425, -0.85], [1.275, 2], [0.050000012, 0.65]], b: [-0.075, -0.175] },
    { w: [[0.41750002, -0.83500004], [1.2524999, 2], [0.08000001, 0.64]], b: [-0.0925, -0.1725] },
  ],
  'sgd momentum': [
    { w: [[0.47, -0.94], [1.41, 2], [-0.13, 0.71]], b: [0.030000001, -0.19] },
    { w: [[0.458, -0.916], [1.374, 2], [-0.08199999, 0.694]], b: [0.0020000003, -0.186] },
    { w: [[0.3872, -0.7744], [1.1616, 2], [0.20120001, 0.5996]], b: [-0.16319999, -0.1624] },
    { w: [[0.31598, -0.63196], [0.94794, 2], [0.48608002, 0.50464004]], b: [-0.32937998, -0.13866001] },
  ],
  'sgd nesterov': [
    { w: [[0.443, -0.886], [1.329, 2], [-0.02199997, 0.674]], b: [-0.033, -0.18100001] },
    { w: [[0.4472, -0.8944], [1.3416, 2], [-0.03879997, 0.6796]], b: [-0.023200002, -0.1824] },
    { w: [[0.32348, -0.64696], [0.9704399, 2], [0.45608005, 0.51464]], b: [-0.31188, -0.14116] },
    { w: [[0.25188202, -0.50376403], [0.75564593, 2], [0.74247205, 0.41917598]], b: [-0.47894198, -0.117294] },
  ],
  'adam': [
    { w: [[0.49000007, -0.99000007], [1.49, 2], [-0.24000007, 0.74000007]], b: [0.09000007, -0.19000007] },
    { w: [[0.48733672, -0.98733675], [1.4873366, 2], [-0.23733672, 0.73733675]], b: [0.08733673, -0.18733673] },
    { w: [[0.48075563, -0.9807557], [1.4807556, 2], [-0.23075563, 0.7307557]], b: [0.080755636, -0.18075563] },
    { w: [[0.47476593, -0.97476596], [1.4747659, 2], [-0.22476593, 0.72476596]], b: [0.07476593, -0.17476591] },
  ],
  'adam options': [
    { w: [[0.45019367, -0.9500901], [1.4500586, 2], [-0.20004335, 0.70014024]], b: [0.050076403, -0.1507383] },
    { w: [[0.43962514, -0.93949205], [1.4394517, 2], [-0.18943226, 0.68955636]], b: [0.039474506, -0.14033219] },
    { w: [[0.40552557, -0.90534234], [1.4052864, 2], [-0.15525937, 0.6554311]], b: [0.005318027, -0.106483385] },
    { w: [[0.3756682, -0.8754326], [1.3753606, 2], [-0.12532574, 0.6255468]], b: [-0.024598677, -0.076894425] },
  ],
  'adam nesterov': [
    { w: [[0.48526326, -0.9852632], [1.4852632, 2], [-0.23526326, 0.7352632]], b: [0.08526326, -0.18526326] },
    { w: [[0.48691186, -0.98691183], [1.4869119, 2], [-0.23691188, 0.73691183]], b: [0.08691188, -0.18691188] },
    { w: [[0.47666723, -0.9766672], [1.4766673, 2], [-0.22666726, 0.7266672]], b: [0.07666726, -0.17666726] },
    { w: [[0.4715094, -0.9715094], [1.4715095, 2], [-0.22150944, 0.7215094]], b: [0.071509436, -0.17150944] },
  ],
  'adamw': [
    { w: [[0.48950008, -0.9890001], [1.4885001, 1.998], [-0.23975007, 0.73925006]], b: [0.08990007, -0.18980007] },
    { w: [[0.48634723, -0.98534775], [1.4843483, 1.9960021], [-0.23684698, 0.7358475]], b: [0.087146826, -0.18694693] },
    { w: [[0.4792798, -0.9777813], [1.4762828, 1.994006], [-0.23002905, 0.7285305]], b: [0.080478586, -0.1801789] },
    { w: [[0.4728108, -0.9708138], [1.4688169, 1.992012], [-0.2238093, 0.7218123]], b: [0.0744084, -0.17400901] },
  ],
  'adamw mask': [
    { w: [[0.48750007, -0.9850001], [1.4825001, 1.99], [-0.23875007, 0.73625004]], b: [0.09000007, -0.19000007] },
    { w: [[0.48239923, -0.97741175], [1.4724243, 1.98005], [-0.23489298, 0.7299054]], b: [0.08733673, -0.18733673] },
    { w: [[0.47340614, -0.9659436], [1.4584811, 1.9701498], [-0.22713742, 0.7196748]], b: [0.080755636, -0.18075563] },
    { w: [[0.4650494, -0.95512414], [1.445199, 1.960299], [-0.22001202, 0.71008676]], b: [0.07476593, -0.17476591] },
  ],
  'rmsprop': [
    { w: [[0.46837723, -0.96837723], [1.4683772, 2], [-0.21837723, 0.71837723]], b: [0.06837723, -0.16837738] },
    { w: [[0.48312142, -0.98312145], [1.4831214, 2], [-0.23312142, 0.7331214]], b: [0.08312142, -0.18312152] },
    { w: [[0.45493564, -0.95493567], [1.4549356, 2], [-0.20493564, 0.7049356]], b: [0.054935627, -0.15493575] },
    { w: [[0.4512472, -0.9512472], [1.4512471, 2], [-0.20124719, 0.70124716]], b: [0.051247172, -0.1512473] },
  ],
  'rmsprop centered momentum': [
    { w: [[0.4818013, -0.9674153], [1.4576322, 2], [-0.20134598, 0.7264786]], b: [0.06368072, -0.19369811] },
    { w: [[0.4834799, -0.9698547], [1.460135, 2], [-0.20366864, 0.72851944]], b: [0.06619218, -0.19432634] },
    { w: [[0.44663784, -0.9171924], [1.4008293, 2], [-0.14100894, 0.6846602]], b: [0.0107303485, -0.17966081] },
    { w: [[0.42506528, -0.88590854], [1.3651718, 2], [-0.10301925, 0.6588568]], b: [-0.022363205, -0.17113276] },
  ],
  'rmsprop bias correction': [
    { w: [[0.49000332, -0.9900017], [1.4900011, 2], [-0.24000083, 0.7400025]], b: [0.09000143, -0.19001] },
    { w: [[0.49642742, -0.9964272], [1.496427, 2], [-0.24642698, 0.7464273]], b: [0.09642709, -0.1964286] },
    { w: [[0.48175815, -0.9817561], [1.4817554, 2], [-0.23175502, 0.7317571]], b: [0.081755765, -0.18176648] },
    { w: [[0.47959575, -0.9795934], [1.4795926, 2], [-0.22959216, 0.7295945]], b: [0.07959301, -0.17960533] },
  ],
  'adagrad': [
    { w: [[0.4311753, -0.91153485], [1.4056544, 2], [-0.15330124, 0.67155355]], b: [0.008867778, -0.16984887] },
    { w: [[0.46371484, -0.95198685], [1.4483185, 2], [-0.19682981, 0.7080684]], b: [0.050332192, -0.18475598] },
    { w: [[0.3844166, -0.8669211], [1.3620399, 2], [-0.110114284, 0.6255547]], b: [-0.03530633, -0.13354124] },
    { w: [[0.37455267, -0.8563475], [1.3513173, 2], [-0.099337965, 0.6152949]], b: [-0.045950335, -0.12715247] },
  ],
  'adagrad zero start': [
    { w: [[0.40000004, -0.90000004], [1.4, 2], [-0.15, 0.65000004]], b: [0.000000007450581, -0.10000051] },
    { w: [[0.44472137, -0.9447214], [1.4447213, 2], [-0.19472137, 0.6947214]], b: [0.04472136, -0.14472169] },
    { w: [[0.3574342, -0.8574343], [1.3574342, 2], [-0.10743421, 0.6074343]], b: [-0.042565797, -0.057434626] },
    { w: [[0.3465877, -0.8465878], [1.3465877, 2], [-0.09658769, 0.5965878]], b: [-0.05341232, -0.04658811] },
  ],
  'lion': [
    { w: [[0.489995, -0.98999], [1.489985, 1.99998], [-0.2399975, 0.7399925]], b: [0.089999005, -0.189998] },
    { w: [[0.4999901, -0.9999801], [1.4999701, 1.99996], [-0.24999511, 0.7499851]], b: [0.0999981, -0.1999961] },
    { w: [[0.4899851, -0.9899701], [1.4899551, 1.9999399], [-0.23999262, 0.7399776]], b: [0.0899971, -0.1899941] },
    { w: [[0.4799802, -0.9799602], [1.4799402, 1.9999199], [-0.22999021, 0.7299702]], b: [0.0799962, -0.1799922] },
  ],
  'lion options': [
    { w: [[0.49, -0.99], [1.49, 2], [-0.24, 0.74]], b: [0.09, -0.19] },
    { w: [[0.5, -1], [1.5, 2], [-0.25, 0.75]], b: [0.1, -0.2] },
    { w: [[0.49, -0.99], [1.49, 2], [-0.24, 0.74]], b: [0.09, -0.19] },
    { w: [[0.48000002, -0.98], [1.48, 2], [-0.22999999, 0.73]], b: [0.080000006, -0.17999999] },
  ],
  'clip global norm + adam': [
    { w: [[0.49000007, -0.99000007], [1.49, 2], [-0.24000007, 0.74000007]], b: [0.09000007, -0.19000007] },
    { w: [[0.4900907, -0.99009067], [1.4900906, 2], [-0.2400907, 0.74009067]], b: [0.09009069, -0.1900907] },
    { w: [[0.48635453, -0.9863545], [1.4863545, 2], [-0.23635453, 0.7363545]], b: [0.086354524, -0.18635453] },
    { w: [[0.48187527, -0.98187524], [1.4818752, 2], [-0.23187527, 0.73187524]], b: [0.081875265, -0.18187527] },
  ],
  'clip + sgd': [
    { w: [[0.19999999, -0.5], [1, 2], [0.25, 0.35]], b: [-0.4, -0.1] },
    { w: [[0.35, -0.8], [1.45, 2], [-0.25, 0.55]], b: [-0.050000012, -0.15] },
    { w: [[-0.15, -0.3], [0.95000005, 2], [0.25, 0.050000012]], b: [-0.55, 0.049999997] },
    { w: [[-0.22500001, -0.15], [0.725, 2], [0.55, -0.04999999]], b: [-0.725, 0.074999996] },
  ],
  'adam scheduled': [
    { w: [[0.49000007, -0.99000007], [1.49, 2], [-0.24000007, 0.74000007]], b: [0.09000007, -0.19000007] },
    { w: [[0.4881168, -0.9881168], [1.4881167, 2], [-0.2381168, 0.7381168]], b: [0.0881168, -0.1881168] },
    { w: [[0.48482627, -0.98482627], [1.4848262, 2], [-0.23482625, 0.73482627]], b: [0.08482625, -0.18482625] },
    { w: [[0.48270857, -0.9827086], [1.4827086, 2], [-0.23270857, 0.7327086]], b: [0.082708575, -0.18270858] },
  ],
  'adamw scheduled decay': [
    { w: [[0.48750007, -0.9850001], [1.4825001, 1.99], [-0.23875007, 0.73625004]], b: [0.08950007, -0.18900007] },
    { w: [[0.4830086, -0.978643], [1.4742774, 1.9825375], [-0.23519142, 0.7308258]], b: [0.0865011, -0.18562798] },
    { w: [[0.47521996, -0.9696153], [1.4640106, 1.9775811], [-0.22802235, 0.72241765]], b: [0.079703756, -0.17858282] },
    { w: [[0.46863624, -0.96241355], [1.4561908, 1.9751092], [-0.22174762, 0.7155249]], b: [0.07361442, -0.17236988] },
  ],
};

const CASES: [string, () => optim.GradientTransformation][] = [
  ['sgd', () => optim.sgd(0.1)],
  ['sgd momentum', () => optim.sgd(0.1, { momentum: 0.9 })],
  ['sgd nesterov', () => optim.sgd(0.1, { momentum: 0.9, nesterov: true })],
  ['adam', () => optim.adam(0.01)],
  ['adam options', () => optim.adam(0.05, { b1: 0.8, b2: 0.95, eps: 1e-3, epsRoot: 1e-4 })],
  ['adam nesterov', () => optim.adam(0.01, { nesterov: true })],
  ['adamw', () => optim.adamw(0.01, { weightDecay: 0.1 })],
  ['adamw mask', () => optim.adamw(0.01, { weightDecay: 0.5, mask: { w: true, b: false } })],
  ['rmsprop', () => optim.rmsprop(0.01)],
  ['rmsprop centered momentum', () => optim.rmsprop(0.01, { centered: true, momentum: 0.9, nesterov: true, initialScale: 0.1 })],
  ['rmsprop bias correction', () => optim.rmsprop(0.01, { epsInSqrt: false, biasCorrection: true, eps: 1e-4 })],
  ['adagrad', () => optim.adagrad(0.1)],
  ['adagrad zero start', () => optim.adagrad(0.1, { initialAccumulatorValue: 0 })],
  ['lion', () => optim.lion(0.01)],
  ['lion options', () => optim.lion(0.01, { b1: 0.5, b2: 0.9, weightDecay: 0 })],
  ['clip global norm + adam', () => optim.chain(optim.clipByGlobalNorm(1.0), optim.adam(0.01))],
  ['clip + sgd', () => optim.chain(optim.clip(0.5), optim.sgd(1.0))],
  ['adam scheduled', () => optim.adam(optim.exponentialDecay(0.01, 2, 0.5))],
  ['adamw scheduled decay', () => optim.adamw(0.01, { weightDecay: optim.linearSchedule(0.5, 0.0, 4) })],
];

describe('optimisers match optax trajectories', () => {
  test.each(CASES)('%s', (name, make) => {
    const { steps } = run(make());
    steps.forEach((s, k) => {
      expectClose(s.w, EXPECTED[name]![k]!.w, `${name} step ${k + 1} w`);
      expectClose(s.b, EXPECTED[name]![k]!.b, `${name} step ${k + 1} b`);
    });
  });
});

describe('optimiser state', () => {
  test('adam state is a pytree of Arrays with an int32 step count, as optax ScaleByAdamState', () => {
    const { state } = run(optim.adam(0.01));
    const [adamState, lrState] = state as [optim.ScaleByAdamState, object];
    expect(adamState.count.dtype).toBe('int32');
    expect(adamState.count.shape).toEqual([]);
    expect(adamState.count.item()).toBe(4);
    expect(tree.structure(adamState.mu).toString()).toBe("PyTreeDef({'b': *, 'w': *})");
    expect(lrState).toEqual({});
    expect(tree.leaves(state).length).toBe(5);
  });

  test('masked weight decay keeps state only for the masked-in leaves', () => {
    const opt = optim.adamw(0.01, { mask: (p: unknown) => tree.map((x: Array) => x.ndim > 1, p) });
    const state = opt.init(f32(P0));
    expect(tree.structure(state).toString()).toBe("PyTreeDef([{'count': *, 'mu': {'b': *, 'w': *}, 'nu': {'b': *, 'w': *}}, {'innerState': {}}, {}])");
  });

  test('the step count saturates at the int32 maximum instead of wrapping', () => {
    const max = jnp.array(2147483647, { dtype: 'int32' });
    expect(optim.safeIncrement(max).item()).toBe(2147483647);
    expect(optim.safeIncrement(jnp.array(41, { dtype: 'int32' })).item()).toBe(42);
  });

  test('updates keep the params dtype: bfloat16 adam, as optax', () => {
    const p = { w: jnp.array(P0.w, { dtype: 'bfloat16' }), b: jnp.array(P0.b, { dtype: 'bfloat16' }) };
    const g = { w: jnp.array(G.w, { dtype: 'bfloat16' }), b: jnp.array(G.b, { dtype: 'bfloat16' }) };
    const opt = optim.adam(0.1);
    const [u, state] = opt.update(g, opt.init(p), p);
    const next = optim.applyUpdates(p, u);
    expect(tree.leaves(state).map((x) => (x as Array).dtype)).toEqual(['int32', 'bfloat16', 'bfloat16', 'bfloat16', 'bfloat16']);
    expect(next.w.dtype).toBe('bfloat16');
    // optax 0.2.8 on bfloat16 gives exactly these values.
    expect(next.w.tolistSync()).toEqual([[0.400390625, -0.8984375], [1.3984375, 2.0], [-0.150390625, 0.6484375]]);
    expect(next.b.tolistSync()).toEqual([0.0, -0.10009765625]);
  });

  test('globalNorm is the L2 norm of all leaves', () => {
    // sqrt(0.09 + 0.36 + 0.81 + 0 + 1.44 + 0.16 + 0.49 + 0.01) = sqrt(3.36)
    expect(optim.globalNorm(f32(G)).item()).toBeCloseTo(Math.sqrt(3.36), 6);
  });
});

describe('errors', () => {
  test('chain checks the state it is given', () => {
    const opt = optim.chain(optim.clip(1), optim.sgd(0.1));
    expect(() => opt.update(f32(G), [{}] as never, f32(P0))).toThrow('The number of updates and states has to be the same in chain! Make sure you have called init first!');
  });

  test('weight decay needs the params', () => {
    const opt = optim.adamw(0.1);
    expect(() => opt.update(f32(G), opt.init(f32(P0)))).toThrow('add_decayed_weights: you are using a transformation that requires the current value of parameters');
  });

  test('gradients must match the parameters\' structure', () => {
    const opt = optim.adam(0.1);
    expect(() => opt.update({ w: f32(G).w }, opt.init(f32(P0)), f32(P0))).toThrow('pytree structure error');
  });
});
