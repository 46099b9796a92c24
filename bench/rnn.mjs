// jit(grad) of a tanh RNN written with lax.scan (100 steps, hidden 256, batch 32, float32), side
// by side with Python JAX on the same machine: steady-state time per call and trace+compile time.
//   node bench/rnn.mjs [calls] [python]
// `python` is an interpreter with jax installed (default: python3); without it only jaxts runs.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { grad, jit, lax, numpy as jnp, tree } from '../dist/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// Measure real compilations: no executables from the on-disk cache.
process.env.JAXTS_COMPILATION_CACHE = '0';
const calls = Number(process.argv[2] ?? 50);
const python = process.argv[3] ?? 'python3';
const [T, B, H] = [100, 32, 256];

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
// Deterministic inputs, the same as rnn_jax.py's: scaled sines and cosines of the flat index.
const wave = (shape, fn, scale, freq = 1) => fn(jnp.arange(shape.reduce((a, b) => a * b, 1), { dtype: 'float32' }).mul(freq)).mul(scale).reshape(shape);
const params = { Wh: wave([H, H], jnp.sin, 0.05), Wx: wave([H, H], jnp.cos, 0.05), b: wave([H], jnp.sin, 0.1, 0.5) };
const xs = wave([T, B, H], jnp.sin, 0.5, 0.37);

function loss(p, inputs) {
  const step = (h, x) => {
    const n = jnp.tanh(jnp.dot(h, p.Wh).add(jnp.dot(x, p.Wx)).add(p.b));
    return [n, n];
  };
  const [, hs] = lax.scan(step, jnp.zeros([B, H]), inputs);
  return hs.square().mean();
}

const block = (g) => {
  for (const leaf of tree.leaves(g)) leaf.blockUntilReadySync();
  return g;
};
const dispose = (g) => tree.leaves(g).forEach((leaf) => leaf.dispose());

const compileMs = [];
let f;
for (let i = 0; i < 5; i++) {
  f = jit(grad(loss), { name: `rnn_grad${i}` }); // a fresh function and module name: trace + lower + compile
  const t0 = performance.now();
  dispose(block(f(params, xs)));
  compileMs.push(performance.now() - t0);
}
for (let i = 0; i < 5; i++) dispose(block(f(params, xs)));
const callMs = [];
for (let i = 0; i < calls; i++) {
  const t0 = performance.now();
  const g = block(f(params, xs));
  callMs.push(performance.now() - t0);
  dispose(g);
}
const check = f(params, xs);
const ours = { call_ms: +median(callMs).toFixed(3), trace_compile_ms: +median(compileMs).toFixed(2), grad_Wh_sum: +check.Wh.sum().item().toPrecision(6) };

let theirs = null;
try {
  theirs = JSON.parse(execFileSync(python, [path.join(here, 'rnn_jax.py'), String(calls)], { stdio: ['ignore', 'pipe', 'ignore'] }).toString());
} catch {
  console.error(`(Python JAX not available through ${python}: only jaxts measured)`);
}
const ratio = (k) => (theirs ? +(ours[k] / theirs[k]).toFixed(2) : null);
console.log(JSON.stringify({ jaxts: ours, jax: theirs, ratio: { call: ratio('call_ms'), trace_compile: ratio('trace_compile_ms') } }));
process.exit(0);
