// Core overheads side by side with Python JAX on the same machine: dispatch latency of a
// tiny jitted call, eager latency of a small add, trace+lower+compile of the seed's jit(loss).
//   node bench/core.mjs [iterations] [python]
// `python` is an interpreter with jax installed (default: python3); without it only jaxts runs.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jit, numpy as jnp } from '../dist/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// Measure real compilations: no executables from the on-disk cache.
process.env.JAXTS_COMPILATION_CACHE = '0';
const iterations = Number(process.argv[2] ?? 20000);
const python = process.argv[3] ?? 'python3';

const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
function medianUs(step, batch = 100) {
  for (let i = 0; i < Math.min(2000, iterations); i++) step();
  const samples = [];
  for (let i = 0; i < iterations / batch; i++) {
    const t0 = performance.now();
    for (let k = 0; k < batch; k++) step();
    samples.push(((performance.now() - t0) * 1000) / batch);
  }
  return +median(samples).toFixed(3);
}

const x = jnp.arange(8, { dtype: 'float32' }).add(0); // device-resident
const f = jit((v) => v.add(1));
f(x).dispose();
const dispatch = medianUs(() => {
  const out = f(x);
  out.blockUntilReadySync();
  out.dispose();
});
const y = jnp.ones([8]).add(0);
const eager = medianUs(() => {
  const out = x.add(y);
  out.blockUntilReadySync();
  out.dispose();
});

function predict(params, inputs) {
  let outputs = inputs;
  for (const [W, b] of params) {
    outputs = jnp.dot(inputs, W).add(b);
    inputs = jnp.tanh(outputs);
  }
  return outputs;
}
const loss = (params, inputs, targets) => jnp.sum(predict(params, inputs).sub(targets).square());
const sizes = [784, 512, 512, 10];
const params = sizes.slice(0, -1).map((m, i) => [jnp.ones([m, sizes[i + 1]]).mul(0.01), jnp.zeros([sizes[i + 1]])]);
const inputs = jnp.ones([128, 784]);
const targets = jnp.ones([128, 10]);
const compileMs = [];
for (let i = 0; i < 5; i++) {
  const jitted = jit(loss, { name: `loss${i}` }); // a fresh function and module name: trace + lower + compile
  const t0 = performance.now();
  jitted(params, inputs, targets).blockUntilReadySync();
  compileMs.push(performance.now() - t0);
}
const ours = { dispatch_us: dispatch, eager_add_us: eager, seed_trace_compile_ms: +median(compileMs).toFixed(2) };

let theirs = null;
try {
  theirs = JSON.parse(execFileSync(python, [path.join(here, 'core_jax.py'), String(iterations)], { stdio: ['ignore', 'pipe', 'ignore'] }).toString());
} catch {
  console.error(`(Python JAX not available through ${python}: only jaxts measured)`);
}
const ratio = (k) => (theirs ? +(ours[k] / theirs[k]).toFixed(2) : null);
console.log(JSON.stringify({ jaxts: ours, jax: theirs, ratio: { dispatch: ratio('dispatch_us'), eager_add: ratio('eager_add_us'), seed_trace_compile: ratio('seed_trace_compile_ms') } }));
process.exit(0);
