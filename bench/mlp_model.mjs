// The seed's MLP (784-512-512-10, tanh, squared error) and its deterministic data, shared by
// bench/mlp.mjs and bench/pmap.mjs (bench/mlp_model.py is the Python twin).
import { numpy as jnp } from '../dist/index.js';

export const sizes = [784, 512, 512, 10];

export function predict(params, inputs) {
  let outputs = inputs;
  for (const [W, b] of params) {
    outputs = jnp.dot(inputs, W).add(b);
    inputs = jnp.tanh(outputs);
  }
  return outputs;
}

export const loss = (params, inputs, targets) => jnp.sum(predict(params, inputs).sub(targets).square());

// Deterministic, non-trivial data without a PRNG dependency: sin of an index ramp.
export const ramp = (shape, scale, phase) => jnp.sin(jnp.arange(shape.reduce((a, b) => a * b, 1), { dtype: 'float32' }).mul(0.37).add(phase)).mul(scale).reshape(shape);
