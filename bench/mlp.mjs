// The seed's MLP (784-512-512-10, batch 128, float32) side by side with Python JAX:
//   - train step: jit(valueAndGrad(loss)) plus an SGD update, steady-state time per call and
//     trace+compile time (issue 4);
//   - per-example gradients: jit(vmap(grad(loss), { inAxes: [null, 0, 0] })) (issue 5).
//   node bench/mlp.mjs [iterations] [python]
// `python` is an interpreter with jax installed (default: python3); without it only jaxts runs.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { grad, jit, numpy as jnp, tree, valueAndGrad, vmap } from '../dist/index.js';
import { loss, ramp, sizes } from './mlp_model.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
process.env.JAXTS_COMPILATION_CACHE = '0'; // measure real compilations
const iterations = Number(process.argv[2] ?? 50);
const python = process.argv[3] ?? 'python3';
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const sgdStep = (params, inputs, targets) => {
  const [value, grads] = valueAndGrad(loss)(params, inputs, targets);
  return [value, tree.map((p, g) => p.sub(g.mul(1e-4)), params, grads)];
};

const initParams = () => sizes.slice(0, -1).map((m, i) => [ramp([m, sizes[i + 1]], 0.05, i), jnp.zeros([sizes[i + 1]])]);
const inputs = ramp([128, 784], 1, 7);
const targets = ramp([128, 10], 1, 11);

/** Median milliseconds of a fresh jit's first call (trace + lower + compile + run) and of steady calls. */
function measure(makeFn, run) {
  const compileMs = [];
  for (let i = 0; i < 3; i++) {
    const f = makeFn(i);
    const t0 = performance.now();
    tree.leaves(run(f)).forEach((x) => x.blockUntilReadySync());
    compileMs.push(performance.now() - t0);
  }
  const f = makeFn(99);
  for (let i = 0; i < 5; i++) tree.leaves(run(f)).forEach((x) => x.blockUntilReadySync());
  const steady = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    const out = run(f);
    tree.leaves(out).forEach((x) => x.blockUntilReadySync());
    steady.push(performance.now() - t0);
    tree.leaves(out).forEach((x) => x.dispose());
  }
  return { step_ms: +median(steady).toFixed(3), trace_compile_ms: +median(compileMs).toFixed(1) };
}

let params = initParams();
const train = measure(
  (i) => jit(sgdStep, { name: `train_step${i}` }),
  (f) => {
    const [value, next] = f(params, inputs, targets);
    return [value, next];
  },
);
const perExample = measure(
  (i) => jit(vmap(grad(loss), { inAxes: [null, 0, 0] }), { name: `per_example${i}` }),
  (f) => f(params, inputs.reshape([128, 1, 784]), targets.reshape([128, 1, 10])),
);
const ours = { train_step_ms: train.step_ms, train_trace_compile_ms: train.trace_compile_ms, per_example_ms: perExample.step_ms, per_example_trace_compile_ms: perExample.trace_compile_ms };

let theirs = null;
try {
  theirs = JSON.parse(execFileSync(python, [path.join(here, 'mlp_jax.py'), String(iterations)], { stdio: ['ignore', 'pipe', 'inherit'] }).toString());
} catch {
  console.error(`(Python JAX not available through ${python}: only jaxts measured)`);
}
const ratio = Object.fromEntries(Object.keys(ours).map((k) => [k, theirs ? +(ours[k] / theirs[k]).toFixed(2) : null]));
console.log(JSON.stringify({ jaxts: ours, jax: theirs, ratio }));
process.exit(0);
