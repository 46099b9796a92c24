"""Python JAX side of bench/rnn.mjs: jit(grad) of the same 100-step tanh RNN via lax.scan,
printed as one JSON line (steady-state median ms per call, median trace+compile ms).

Run inside a venv with `pip install jax` (the figures reported used jax 0.10.2 on CPU).
"""
import json
import statistics
import sys
import time

import jax
import jax.numpy as jnp
from jax import lax

T, B, H = 100, 32, 256


def wave(shape, fn, scale, freq=1.0):
    n = 1
    for d in shape:
        n *= d
    return (fn(jnp.arange(n, dtype=jnp.float32) * freq) * scale).reshape(shape)


def loss(p, inputs):
    def step(h, x):
        n = jnp.tanh(jnp.dot(h, p["Wh"]) + jnp.dot(x, p["Wx"]) + p["b"])
        return n, n

    _, hs = lax.scan(step, jnp.zeros((B, H), jnp.float32), inputs)
    return jnp.mean(hs ** 2)


def main():
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    params = {"Wh": wave((H, H), jnp.sin, 0.05), "Wx": wave((H, H), jnp.cos, 0.05), "b": wave((H,), jnp.sin, 0.1, 0.5)}
    xs = wave((T, B, H), jnp.sin, 0.5, 0.37)
    block = lambda g: jax.tree.map(lambda a: a.block_until_ready(), g)
    compile_ms = []
    for _ in range(5):
        jax.clear_caches()
        f = jax.jit(jax.grad(loss))  # a fresh function each time: trace + lower + compile
        t0 = time.perf_counter()
        block(f(params, xs))
        compile_ms.append((time.perf_counter() - t0) * 1e3)
    for _ in range(5):
        block(f(params, xs))
    call_ms = []
    for _ in range(calls):
        t0 = time.perf_counter()
        block(f(params, xs))
        call_ms.append((time.perf_counter() - t0) * 1e3)
    print(json.dumps({
        "jax": jax.__version__,
        "call_ms": round(statistics.median(call_ms), 3),
        "trace_compile_ms": round(statistics.median(compile_ms), 2),
        "grad_Wh_sum": float(f(params, xs)["Wh"].sum()),
    }))


if __name__ == "__main__":
    main()
