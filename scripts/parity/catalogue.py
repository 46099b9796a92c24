"""The catalogue of test functions for the `transforms` family, and how a case applies
transformations to one of them.

test/parity/catalogue.ts defines the same functions, operation for operation, with the jaxts API;
keep the two in step (same names, same arithmetic in the same order). See scripts/parity/README.md.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import jax
import jax.numpy as jnp
from jax import lax

# ---- the catalogue ----

def softmax_xent(logits, labels):
    """Softmax cross-entropy of a batch, with the max-shift for stability."""
    shifted = logits - jnp.max(logits, axis=-1, keepdims=True)
    logp = shifted - jnp.log(jnp.sum(jnp.exp(shifted), axis=-1, keepdims=True))
    return -jnp.mean(jnp.sum(labels * logp, axis=-1))


def mlp(params, x):
    h = jnp.tanh(x @ params["w1"] + params["b1"])
    return h @ params["w2"] + params["b2"]


def mlp_loss(params, x, y):
    """Mean squared error of a 2-layer MLP; params is a dict pytree."""
    return jnp.mean((mlp(params, x) - y) ** 2)


def layer_norm(x, gamma, beta):
    mean = jnp.mean(x, axis=-1, keepdims=True)
    var = jnp.mean((x - mean) ** 2, axis=-1, keepdims=True)
    return (x - mean) / jnp.sqrt(var + 1e-5) * gamma + beta


def rosenbrock(x):
    return jnp.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


COEFFS = (0.5, -1.25, 2.5, 0.75)


def horner(x):
    """A Python loop over constants and a closed-over constant array."""
    y = jnp.zeros_like(x)
    for c in COEFFS:
        y = y * x + c
    return jnp.sum(y * jnp.array([0.5, -1.5, 2.25]))


def sin_cos(x, y):
    return jnp.sin(x) * jnp.cos(y) + jnp.cos(jnp.sin(x * y))


def sin_cos_sum(x, y):
    return jnp.sum(sin_cos(x, y))


def kinks(x):
    """where / abs / maximum / max at their non-differentiable points (inputs hold 0, 0.5 and ties)."""
    return jnp.sum(jnp.where(x > 0, x, 0.1 * x) + jnp.abs(x) + jnp.maximum(x, 0.5)) + jnp.max(x)


def int_pow(x):
    return jnp.sum(x ** 3 - 2 * x ** 2 + x ** -1)


def cond_fn(x, y):
    return lax.cond(jnp.sum(x) > 0, lambda a, b: jnp.sin(a) * b, lambda a, b: jnp.cos(a) - b, x, y)


def cond_loss(x, y):
    return jnp.sum(cond_fn(x, y))


def rnn(params, xs):
    """An RNN cell scanned over the leading axis of xs: returns (final state, per-step outputs)."""
    def cell(h, x):
        h = jnp.tanh(params["wh"] @ h + params["wx"] @ x + params["b"])
        return h, jnp.sum(h)
    return lax.scan(cell, jnp.zeros_like(params["b"]), xs)


def rnn_loss(params, xs):
    h, ys = rnn(params, xs)
    return jnp.sum(h) + jnp.mean(ys)


def fori_fn(x):
    return lax.fori_loop(0, 3, lambda i, c: jnp.sin(c) * x + 0.25 * i, x)


def fori_loss(x):
    return jnp.sum(fori_fn(x))


def while_fn(x):
    return lax.while_loop(lambda c: c[0] < 4, lambda c: (c[0] + 1, jnp.sin(c[1]) * x + c[1]), (0, x))[1]


def while_loss(x):
    return jnp.sum(while_fn(x))


def aux_loss(x):
    """(loss, aux) for has_aux."""
    return jnp.sum(jnp.sin(x) ** 2), (jnp.mean(x), jnp.cos(x))


def multi_out(x, y):
    """A tuple of outputs of different shapes (Jacobians of pytrees)."""
    return x * y, jnp.sum(jnp.sin(x))


CATALOGUE: dict[str, Callable[..., Any]] = {
    f.__name__: f
    for f in (softmax_xent, mlp, mlp_loss, layer_norm, rosenbrock, horner, sin_cos, sin_cos_sum, kinks, int_pow,
              cond_fn, cond_loss, rnn, rnn_loss, fori_fn, fori_loss, while_fn, while_loss, aux_loss, multi_out)
}

# ---- applying transformations ----

TRANSFORMS = {
    "grad": jax.grad, "value_and_grad": jax.value_and_grad, "jacfwd": jax.jacfwd, "jacrev": jax.jacrev,
    "hessian": jax.hessian, "vmap": jax.vmap, "jit": jax.jit,
}
OUTERMOST = ("jvp", "vjp")  # these call the function rather than wrap it: only outermost


def chain(name: str) -> list[str]:
    """`jit(vmap(grad))` → ["jit", "vmap", "grad"], outermost first."""
    names = re.findall(r"[a-z_]+", name)
    if "".join(n + "(" for n in names[:-1]) + names[-1] + ")" * (len(names) - 1) != name:
        raise ValueError(f"bad transformation chain {name!r}")
    return names


def options_of(names: list[str], kwargs: dict[str, Any]) -> list[dict[str, Any]]:
    """One options dict per transformation: the kwargs themselves (less f and cotangent) for a single
    transformation, `kwargs["options"]` (outermost first) for a chain."""
    if len(names) == 1:
        return [{k: v for k, v in kwargs.items() if k not in ("f", "cotangent")}]
    options = list(kwargs.get("options", [{}] * len(names)))
    if len(options) != len(names):
        raise ValueError(f"{len(names)} transformations, {len(options)} options")
    return [dict(o) for o in options]


def apply(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Runs the case `transforms.<name>`: the chain applied to catalogue function kwargs["f"], called with args."""
    names = chain(name)
    options = options_of(names, kwargs)
    f = CATALOGUE[kwargs["f"]]
    for n, o in reversed(list(zip(names, options))[1:] if names[0] in OUTERMOST else list(zip(names, options))):
        if n in OUTERMOST:
            raise ValueError(f"{n} must be the outermost transformation")
        f = TRANSFORMS[n](f, **o)
    outer, o = names[0], options[0]
    if outer == "jvp":
        primals, tangents = args
        return jax.jvp(f, primals, tangents, **o)
    if outer == "vjp":
        out, *rest = jax.vjp(f, *args, **o)
        # the cotangent in the output's structure (case files cannot tell tuples from lists)
        ct = jax.tree.unflatten(jax.tree.structure(out), jax.tree.leaves(kwargs["cotangent"]))
        return (out, rest[0](ct), *rest[1:])
    return f(*args)
