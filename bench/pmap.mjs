// The seed's MLP (784-512-512-10, global batch 128 split over 4 CPU devices, float32) trained
// data-parallel with pmap (gradients averaged with pmean), side by side with Python JAX on the
// same 4 host devices: steady-state time per step (parameters fed back, staying on the devices)
// and the first call's trace + compile time.
//   node bench/pmap.mjs [iterations] [python]
// `python` is an interpreter with jax installed (default: python3); without it only jaxts runs.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { numpy as jnp, tree, valueAndGrad } from '../dist/index.js';
import { loss, ramp, sizes } from './mlp_model.mjs';
import { pmap } from '../dist/api/pmap.js';
import { pmean } from '../dist/lax/parallel.js';
import { configureBackends } from '../dist/runtime/registry.js';

configureBackends({ cpuDeviceCount: 4 });
const here = path.dirname(fileURLToPath(import.meta.url));
process.env.JAXTS_COMPILATION_CACHE = '0'; // measure real compilations
const iterations = Number(process.argv[2] ?? 50);
const python = process.argv[3] ?? 'python3';
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const DEVICES = 4;

const trainStep = (params, inputs, targets) => {
  const [value, grads] = valueAndGrad(loss)(params, inputs, targets);
  const g = pmean(grads, 'batch');
  return [pmean(value, 'batch'), tree.map((p, d) => p.sub(d.mul(1e-4)), params, g)];
};

const replicate = (x) => jnp.broadcastTo(x, [DEVICES, ...x.shape]);
const initParams = () => sizes.slice(0, -1).map((m, i) => [replicate(ramp([m, sizes[i + 1]], 0.05, i)), replicate(jnp.zeros([sizes[i + 1]]))]);
// Put the data and parameters on the devices once, as the training loop keeps them.
const place = pmap((x) => x);
const inputs = place(ramp([128, 784], 1, 7).reshape([DEVICES, 128 / DEVICES, 784]));
const targets = place(ramp([128, 10], 1, 11).reshape([DEVICES, 128 / DEVICES, 10]));

const compileMs = [];
for (let i = 0; i < 3; i++) {
  const step = pmap(trainStep, { axisName: 'batch' });
  const t0 = performance.now();
  tree.leaves(step(initParams(), inputs, targets)).forEach((x) => x.blockUntilReadySync());
  compileMs.push(performance.now() - t0);
}
const step = pmap(trainStep, { axisName: 'batch' });
let params = tree.map((x) => place(x), initParams());
for (let i = 0; i < 5; i++) [, params] = step(params, inputs, targets);
tree.leaves(params).forEach((x) => x.blockUntilReadySync());
const steady = [];
let value;
for (let i = 0; i < iterations; i++) {
  const t0 = performance.now();
  const [v, next] = step(params, inputs, targets);
  tree.leaves(next).forEach((x) => x.blockUntilReadySync());
  steady.push(performance.now() - t0);
  tree.leaves(params).forEach((x) => x.dispose());
  params = next;
  value = v;
}
const ours = { pmap_train_step_ms: +median(steady).toFixed(3), pmap_trace_compile_ms: +median(compileMs).toFixed(1), loss: +value.slice(0).item().toPrecision(6) };

let theirs = null;
try {
  theirs = JSON.parse(execFileSync(python, [path.join(here, 'pmap_jax.py'), String(iterations)], { stdio: ['ignore', 'pipe', 'inherit'] }).toString());
} catch {
  console.error(`(Python JAX not available through ${python}: only jaxts measured)`);
}
const ratio = Object.fromEntries(['pmap_train_step_ms', 'pmap_trace_compile_ms'].map((k) => [k, theirs ? +(ours[k] / theirs[k]).toFixed(2) : null]));
console.log(JSON.stringify({ jaxts: ours, jax: theirs, ratio }));
process.exit(0);
