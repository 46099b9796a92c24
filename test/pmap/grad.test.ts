// Differentiating through pmap (grad of pmap, pmap of grad) and the collectives' jvp/transpose
// rules against Python JAX; a data-parallel training step equals the full-batch step.
import { numpy as jnp, grad, jit, jvp, valueAndGrad, tree, type Array } from '../../lib/index.js';
import { pmap } from '../../lib/api/pmap.js';
import { allGather, allToAll, pmax, pmean, ppermute, psum, psumScatter } from '../../lib/lax/parallel.js';
import { configureBackends } from '../../lib/runtime/registry.js';
import { JAX } from './fixtures.js';

configureBackends({ cpuDeviceCount: 4 });

const x = jnp.arange(24, { dtype: 'float32' }).reshape([4, 3, 2]).mul(0.75).sub(7).mul(jnp.array([1, -1], { dtype: 'float32' }));
const y = jnp.arange(64, { dtype: 'float32' }).reshape([4, 4, 4]).sub(20);
const z = jnp.arange(96, { dtype: 'float32' }).reshape([4, 8, 3]).mul(0.5);

function expectClose(out: Array, key: string, rtol = 1e-5): void {
  const want = JAX[key]!;
  expect(out.shape).toEqual(want.shape);
  const got = globalThis.Array.from(out.dataSync() as Float32Array);
  got.forEach((g, i) => expect(Math.abs(g - want.data[i]!)).toBeLessThanOrEqual(rtol * (1 + Math.abs(want.data[i]!))));
}

test('grad of a function of pmap through psum, pmean and allGather', () => {
  const f = (v: Array) => pmap((u: Array) => jnp.sin(pmean(u, 'i')).mul(psum(u.mul(u), 'i')).add(allGather(u, 'i').slice(2)), { axisName: 'i' })(v).sum();
  expectClose(grad(f)(x), 'grad_mix');
});

test('grad through ppermute, psumScatter and allToAll (their transposes)', () => {
  const ring: [number, number][] = [[0, 1], [1, 2], [2, 3], [3, 0]];
  const f = (v: Array) => pmap((u: Array) => ppermute(u, 'i', ring).mul(jnp.arange(1, 3, { dtype: 'float32' })), { axisName: 'i' })(v).square().sum();
  expectClose(grad(f)(x), 'grad_ppermute');
  const g = (v: Array) => jnp.cos(pmap((u: Array) => psumScatter(u, 'i', { tiled: true }), { axisName: 'i' })(v)).sum();
  expectClose(grad(g)(z), 'grad_psum_scatter');
  const weights = jnp.arange(64, { dtype: 'float32' }).reshape([4, 4, 4]);
  const h = (v: Array) => jnp.cos(pmap((u: Array) => allToAll(u, 'i', 0, 0), { axisName: 'i' })(v)).mul(weights).sum();
  expectClose(grad(h)(y), 'grad_all_to_all');
});

test('grad with respect to an argument broadcast to every device (inAxes null) sums over devices', () => {
  const w = jnp.array([[0.5, -1], [2, 0.25]], { dtype: 'float32' });
  const xs = jnp.arange(16, { dtype: 'float32' }).reshape([4, 2, 2]).mul(0.1);
  const perDevice = (m: Array, v: Array) => jnp.tanh(jnp.dot(v, m)).sum();
  const viaPmap = grad((m: Array) => pmap(perDevice, { inAxes: [null, 0] })(m, xs).sum())(w);
  const direct = grad((m: Array) => [0, 1, 2, 3].map((i) => perDevice(m, xs.slice(i))).reduce((a, b) => a.add(b)))(w);
  const want = direct.dataSync() as Float32Array;
  (viaPmap.dataSync() as Float32Array).forEach((g, i) => expect(Math.abs(g - want[i]!)).toBeLessThan(1e-5));
});

test('pmax: jvp picks the tangent of the device holding the maximum', () => {
  const v = jnp.array([[1, 5], [4, 2], [3, 5], [0, 1]], { dtype: 'float32' });
  const t = jnp.array([[10, 20], [30, 40], [50, 60], [70, 80]], { dtype: 'float32' });
  const [out, tout] = jvp((a: Array) => pmap((u: Array) => pmax(u, 'i'), { axisName: 'i' })(a), [v], [t]) as [Array, Array];
  expect(out.tolistSync()).toEqual([[4, 5], [4, 5], [4, 5], [4, 5]]);
  // column 1 ties between devices 0 and 2: their tangents are averaged.
  expect(tout.tolistSync()).toEqual([[30, 40], [30, 40], [30, 40], [30, 40]]);
});

// ---- the MLP's data-parallel training step ----

type Params = [Array, Array][];

function initParams(): Params {
  const layer = (m: number, n: number, seed: number): [Array, Array] => [
    jnp.sin(jnp.arange(m * n, { dtype: 'float32' }).mul(0.37 + seed)).mul(1 / Math.sqrt(m)).reshape([m, n]),
    jnp.cos(jnp.arange(n, { dtype: 'float32' }).mul(0.11 * seed)).mul(0.1),
  ];
  return [layer(6, 16, 1), layer(16, 16, 2), layer(16, 3, 3)];
}

function loss(params: Params, inputs: Array, targets: Array): Array {
  let h = inputs;
  params.forEach(([W, b], i) => {
    h = jnp.dot(h, W).add(b);
    if (i < params.length - 1) h = jnp.tanh(h);
  });
  return h.sub(targets).square().sum(1).mean();
}

const lr = 0.1;
const sgd = (params: Params, grads: Params): Params => tree.map((p: Array, g: Array) => p.sub(g.mul(lr)), params, grads) as Params;

test('pmap of grad with pmean of gradients equals the full-batch step', () => {
  const inputs = jnp.sin(jnp.arange(32 * 6, { dtype: 'float32' }).mul(0.7)).reshape([32, 6]);
  const targets = jnp.cos(jnp.arange(32 * 3, { dtype: 'float32' }).mul(0.3)).reshape([32, 3]);

  const fullStep = jit((params: Params, xs: Array, ys: Array) => {
    const [l, g] = valueAndGrad(loss)(params, xs, ys) as [Array, Params];
    return [sgd(params, g), l];
  });
  const parallelStep = pmap(
    (params: Params, xs: Array, ys: Array) => {
      const [l, g] = valueAndGrad(loss)(params, xs, ys) as [Array, Params];
      return [sgd(params, pmean(g, 'batch')), pmean(l, 'batch')];
    },
    { axisName: 'batch', inAxes: [null, 0, 0], outAxes: [null, 0] },
  );
  const shardedX = inputs.reshape([4, 8, 6]);
  const shardedY = targets.reshape([4, 8, 3]);

  let p1 = initParams();
  let p2 = initParams();
  for (let step = 0; step < 3; step++) {
    const [n1, l1] = fullStep(p1, inputs, targets) as [Params, Array];
    const [n2, l2] = parallelStep(p2, shardedX, shardedY) as [Params, Array];
    expect(l2.shape).toEqual([4]);
    for (const l of l2.dataSync() as Float32Array) expect(Math.abs(l - (l1.item() as number))).toBeLessThan(1e-5);
    p1 = n1;
    p2 = n2;
  }
  const a = tree.leaves(p1) as Array[];
  const b = tree.leaves(p2) as Array[];
  a.forEach((leaf, i) => {
    expect(b[i]!.shape).toEqual(leaf.shape);
    const d = leaf.dataSync() as Float32Array;
    (b[i]!.dataSync() as Float32Array).forEach((v, k) => expect(Math.abs(v - d[k]!)).toBeLessThan(1e-5));
  });
});
