"""Python JAX side of bench/core.mjs: the same three measurements, printed as one JSON line.

Run inside a venv with `pip install jax` (the figures in the README used jax 0.10.2 on CPU).
"""
import json
import statistics
import sys
import time

import jax
import jax.numpy as jnp


def median_us(step, iterations, batch=100):
    for _ in range(min(2000, iterations)):
        step()
    samples = []
    for _ in range(iterations // batch):
        t0 = time.perf_counter()
        for _ in range(batch):
            step()
        samples.append((time.perf_counter() - t0) * 1e6 / batch)
    return statistics.median(samples)


def predict(params, inputs):
    outputs = inputs
    for W, b in params:
        outputs = jnp.dot(inputs, W) + b
        inputs = jnp.tanh(outputs)
    return outputs


def loss(params, inputs, targets):
    return jnp.sum((predict(params, inputs) - targets) ** 2)


def main():
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    x = jnp.arange(8, dtype=jnp.float32)
    f = jax.jit(lambda v: v + 1)
    f(x).block_until_ready()
    dispatch = median_us(lambda: f(x).block_until_ready(), iterations)
    y = jnp.ones(8, dtype=jnp.float32)
    (x + y).block_until_ready()
    eager = median_us(lambda: (x + y).block_until_ready(), iterations)

    sizes = [784, 512, 512, 10]
    keys = jax.random.split(jax.random.PRNGKey(0), len(sizes))
    params = [(jax.random.normal(k, (m, n)) * 0.01, jnp.zeros(n)) for k, m, n in zip(keys, sizes[:-1], sizes[1:])]
    inputs = jnp.ones((128, 784))
    targets = jnp.ones((128, 10))
    compile_ms = []
    for _ in range(5):
        jitted = jax.jit(loss)  # a fresh function each time: trace + lower + compile
        jax.clear_caches()
        t0 = time.perf_counter()
        jitted(params, inputs, targets).block_until_ready()
        compile_ms.append((time.perf_counter() - t0) * 1e3)
    print(json.dumps({
        "jax": jax.__version__,
        "dispatch_us": round(dispatch, 3),
        "eager_add_us": round(eager, 3),
        "seed_trace_compile_ms": round(statistics.median(compile_ms), 2),
    }))


if __name__ == "__main__":
    main()
