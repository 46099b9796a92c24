"""Python JAX side of bench/pmap.mjs: the same data-parallel MLP step on 4 host CPU devices, one JSON line."""
import os

os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_force_host_platform_device_count=4").strip()

import json
import statistics
import sys
import time

import jax
import jax.numpy as jnp
from jax import lax

from mlp_model import SIZES, loss, ramp  # after XLA_FLAGS, like jax

DEVICES = 4




def train_step(params, inputs, targets):
    value, grads = jax.value_and_grad(loss)(params, inputs, targets)
    grads = lax.pmean(grads, "batch")
    return lax.pmean(value, "batch"), jax.tree.map(lambda p, g: p - g * 1e-4, params, grads)



def main():
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    replicate = lambda x: jnp.broadcast_to(x, (DEVICES,) + x.shape)
    init = lambda: [(replicate(ramp((m, n), 0.05, i)), replicate(jnp.zeros(n, jnp.float32))) for i, (m, n) in enumerate(zip(SIZES[:-1], SIZES[1:]))]
    place = jax.pmap(lambda x: x)
    inputs = place(ramp((128, 784), 1, 7).reshape(DEVICES, 128 // DEVICES, 784))
    targets = place(ramp((128, 10), 1, 11).reshape(DEVICES, 128 // DEVICES, 10))
    compile_ms = []
    for _ in range(3):
        jax.clear_caches()
        step = jax.pmap(train_step, axis_name="batch")
        params = init()
        t0 = time.perf_counter()
        jax.block_until_ready(step(params, inputs, targets))
        compile_ms.append((time.perf_counter() - t0) * 1e3)
    step = jax.pmap(train_step, axis_name="batch")
    params = jax.tree.map(place, init())
    for _ in range(5):
        _, params = step(params, inputs, targets)
    jax.block_until_ready(params)
    steady = []
    for _ in range(iterations):
        t0 = time.perf_counter()
        value, params = step(params, inputs, targets)
        jax.block_until_ready(params)
        steady.append((time.perf_counter() - t0) * 1e3)
    print(json.dumps({
        "jax": jax.__version__,
        "pmap_train_step_ms": round(statistics.median(steady), 3),
        "pmap_trace_compile_ms": round(statistics.median(compile_ms), 1),
        "loss": float(f"{float(value[0]):.6g}"),
    }))


if __name__ == "__main__":
    main()
