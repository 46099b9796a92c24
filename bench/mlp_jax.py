"""Python JAX side of bench/mlp.mjs: the same model, data and measurements, printed as one JSON line."""
import json
import statistics
import sys
import time

import jax
import jax.numpy as jnp

from mlp_model import SIZES, loss, ramp





def sgd_step(params, inputs, targets):
    value, grads = jax.value_and_grad(loss)(params, inputs, targets)
    return value, jax.tree.map(lambda p, g: p - g * 1e-4, params, grads)



def measure(make_fn, run, iterations):
    compile_ms = []
    for _ in range(3):
        jax.clear_caches()
        f = make_fn()
        t0 = time.perf_counter()
        jax.block_until_ready(run(f))
        compile_ms.append((time.perf_counter() - t0) * 1e3)
    f = make_fn()
    for _ in range(5):
        jax.block_until_ready(run(f))
    steady = []
    for _ in range(iterations):
        t0 = time.perf_counter()
        jax.block_until_ready(run(f))
        steady.append((time.perf_counter() - t0) * 1e3)
    return round(statistics.median(steady), 3), round(statistics.median(compile_ms), 1)


def main():
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    params = [(ramp((m, n), 0.05, i), jnp.zeros(n)) for i, (m, n) in enumerate(zip(SIZES[:-1], SIZES[1:]))]
    inputs = ramp((128, 784), 1, 7)
    targets = ramp((128, 10), 1, 11)
    train = measure(lambda: jax.jit(sgd_step), lambda f: f(params, inputs, targets), iterations)
    per_example = measure(
        lambda: jax.jit(jax.vmap(jax.grad(loss), in_axes=(None, 0, 0))),
        lambda f: f(params, inputs.reshape(128, 1, 784), targets.reshape(128, 1, 10)),
        iterations,
    )
    print(json.dumps({
        "jax": jax.__version__,
        "train_step_ms": train[0], "train_trace_compile_ms": train[1],
        "per_example_ms": per_example[0], "per_example_trace_compile_ms": per_example[1],
    }))


if __name__ == "__main__":
    main()
