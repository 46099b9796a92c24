"""The seed's MLP and its deterministic data, shared by bench/mlp_jax.py and bench/pmap_jax.py
(bench/mlp_model.mjs is the JavaScript twin). Import it after setting XLA_FLAGS."""
import jax.numpy as jnp

SIZES = [784, 512, 512, 10]


def predict(params, inputs):
    outputs = inputs
    for W, b in params:
        outputs = jnp.dot(inputs, W) + b
        inputs = jnp.tanh(outputs)
    return outputs


def loss(params, inputs, targets):
    return jnp.sum((predict(params, inputs) - targets) ** 2)


def ramp(shape, scale, phase):
    n = 1
    for s in shape:
        n *= s
    return (jnp.sin(jnp.arange(n, dtype=jnp.float32) * 0.37 + phase) * scale).reshape(shape)
