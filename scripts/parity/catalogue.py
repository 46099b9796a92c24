"""The catalogue of test functions for the `transforms` family, and how a case applies
transformations to one of them.

test/parity/catalogue.ts defines the same functions, operation for operation, with the jaxts API;
keep the two in step (same names, same arithmetic in the same order). See scripts/parity/README.md.
"""
from __future__ import annotations

import functools
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


def stop_grad_fn(x, y):
    """stop_gradient inside a differentiated function: parts of both arguments are constants."""
    return jnp.sum(jnp.sin(x) * lax.stop_gradient(jnp.cos(x) * y) + lax.stop_gradient(x) ** 2 * y)


# ---- custom derivatives: the rules differ from autodiff on purpose (so that they are used) ----

@jax.custom_jvp
def cj_fn(x, y):
    return jnp.sin(x) * y


@cj_fn.defjvp
def cj_fn_jvp(primals, tangents):
    x, y = primals
    tx, ty = tangents
    return cj_fn(x, y), 0.5 * jnp.cos(x) * y * tx + jnp.sin(x) * ty


def cj_loss(x, y):
    return jnp.sum(cj_fn(x, y) ** 2)


@jax.custom_jvp
def cjs_fn(x, y):
    """defjvps: one rule per argument; y's is None (no dependence)."""
    return jnp.exp(x) * y


cjs_fn.defjvps(lambda t, ans, x, y: 2.5 * ans * t, None)


def cjs_loss(x, y):
    return jnp.sum(jnp.sin(cjs_fn(x, y)))


@jax.custom_jvp
def cj_tree(p, x):
    """A pytree argument and output."""
    return {"u": p["a"] * x, "v": jnp.tanh(p["b"])}


@cj_tree.defjvp
def cj_tree_jvp(primals, tangents):
    (p, x), (tp, tx) = primals, tangents
    out = cj_tree(p, x)
    return out, {"u": tp["a"] * x + p["a"] * tx * 0.25, "v": tp["b"] * (1 - out["v"] ** 2)}


def cj_tree_loss(p, x):
    out = cj_tree(p, x)
    return jnp.sum(out["u"]) + jnp.sum(out["v"] * x)


@functools.partial(jax.custom_jvp, nondiff_argnums=(1,))
def cj_nondiff(x, k):
    """nondiff_argnums: k is a static number, given to the rule first."""
    return jnp.sin(x) * k


@cj_nondiff.defjvp
def cj_nondiff_jvp(k, primals, tangents):
    (x,), (t,) = primals, tangents
    return cj_nondiff(x, k), jnp.cos(x) * t * (k + 1)


def cj_nondiff_loss(x, k):
    return jnp.sum(cj_nondiff(x, k))


@jax.custom_vjp
def cv_fn(x, y):
    return jnp.sin(x) * y


def cv_fn_fwd(x, y):
    return cv_fn(x, y), (jnp.cos(x), jnp.sin(x), y)


def cv_fn_bwd(res, g):
    c, s, y = res
    return 0.5 * c * y * g, s * g


cv_fn.defvjp(cv_fn_fwd, cv_fn_bwd)


def cv_loss(x, y):
    return jnp.sum(cv_fn(x, y) ** 2)


@jax.custom_vjp
def cv_tree(p, x):
    """Pytree argument and output; the bwd rule gives a None (zero) cotangent for x."""
    return p["a"] * jnp.sum(x), jnp.tanh(p["b"])


def cv_tree_fwd(p, x):
    out = cv_tree(p, x)
    return out, (jnp.sum(x), out[1])


def cv_tree_bwd(res, g):
    s, t = res
    ga, gb = g
    return {"a": ga * s, "b": gb * (1 - t ** 2) * 2.5}, None


cv_tree.defvjp(cv_tree_fwd, cv_tree_bwd)


def cv_tree_loss(p, x):
    u, v = cv_tree(p, x)
    return jnp.sum(u * x) + jnp.sum(v)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1,))
def cv_nondiff(x, k):
    return jnp.sin(x) * k


def cv_nondiff_fwd(x, k):
    return cv_nondiff(x, k), jnp.cos(x)


def cv_nondiff_bwd(k, c, g):
    return (c * g * (k + 1),)


cv_nondiff.defvjp(cv_nondiff_fwd, cv_nondiff_bwd)


def cv_nondiff_loss(x, k):
    return jnp.sum(cv_nondiff(x, k))


# ---- checkpoint (the `checkpoint` / `remat` transformations cover the policies) ----

def bmm_loss(a, b):
    """A batched matmul (dot_general with batch dimensions) and an unbatched one."""
    h = jnp.tanh(jnp.matmul(a, b))
    return jnp.sum(jnp.matmul(h, jnp.swapaxes(b, 1, 2)) ** 2)


def remat_rnn_loss(params, xs):
    """An RNN whose cell is checkpointed inside the scan (the usual remat pattern)."""
    def cell(h, x):
        h = jnp.tanh(params["wh"] @ h + params["wx"] @ x + params["b"])
        return h, jnp.sum(h)
    h, ys = lax.scan(jax.checkpoint(cell), jnp.zeros_like(params["b"]), xs)
    return jnp.sum(h) + jnp.mean(ys)


# ---- control flow ----

def cond_tree(p, x):
    """cond with several pytree operands and a pytree result."""
    def true_fn(q, y, s):
        return {"u": q["a"] * y, "v": jnp.sin(q["b"]) * s}, jnp.sum(y)

    def false_fn(q, y, s):
        return {"u": q["a"] - y, "v": jnp.cos(q["b"])}, jnp.max(y) * s
    return lax.cond(jnp.sum(x) > 0, true_fn, false_fn, p, x, p["a"][0])


def cond_tree_loss(p, x):
    out, s = cond_tree(p, x)
    return jnp.sum(out["u"] ** 2) + jnp.sum(out["v"]) + s


def switch_fn(i, x, y):
    """switch with an int32 index (clamped to the branches) and two operands."""
    return lax.switch(i, [lambda a, b: jnp.sin(a) * b, lambda a, b: a - jnp.cos(b), lambda a, b: a * a * b], x, y)


def switch_loss(i, x, y):
    return jnp.sum(switch_fn(i, x, y))


def while_tree(x, n):
    """while_loop with a dict carry and a trip count from an argument."""
    def body(c):
        return {"i": c["i"] + 1, "x": jnp.sin(c["x"]) * x + 0.5, "s": c["s"] + jnp.sum(c["x"])}
    return lax.while_loop(lambda c: c["i"] < n, body, {"i": 0, "x": x, "s": jnp.sum(x)})


def while_tree_loss(x, n):
    out = while_tree(x, n)
    return jnp.sum(out["x"]) + out["s"]


def fori_dyn(x, n):
    """fori_loop to n: a scan where n is concrete, a while_loop where it is traced (jit, vmap)."""
    return lax.fori_loop(0, n, lambda i, c: jnp.sin(c) * x + 0.25 * i, x)


def fori_dyn_loss(x, n):
    return jnp.sum(fori_dyn(x, n))


def scan_rev(c0, xs):
    """scan with reverse=True and unroll=2; ys a tuple."""
    def body(c, x):
        c = jnp.sin(c) * x + c
        return c, (c * 2.5, jnp.sum(x))
    return lax.scan(body, c0, xs, reverse=True, unroll=2)


def scan_rev_loss(c0, xs):
    c, (ys, zs) = scan_rev(c0, xs)
    return jnp.sum(c) + jnp.sum(ys ** 2) + jnp.sum(zs)


def scan_len(x):
    """scan with xs=None and length=4."""
    return lax.scan(lambda c, _: (jnp.cos(c) * x, jnp.sum(c)), x, None, length=4)


def scan_len_loss(x):
    c, ys = scan_len(x)
    return jnp.sum(c) + jnp.sum(ys * ys)


def scan_tree(p, xs):
    """A pytree carry (a dict and a tuple) and pytree xs."""
    def body(c, x):
        h = jnp.tanh(c["h"] * x["a"] + p["w"])
        return {"h": h, "acc": (c["acc"][0] + jnp.sum(h), c["acc"][1] * x["b"])}, h * x["b"]
    init = {"h": p["h0"], "acc": (jnp.sum(p["w"]), p["w"])}
    return lax.scan(body, init, xs)


def scan_tree_loss(p, xs):
    c, ys = scan_tree(p, xs)
    return jnp.sum(c["h"]) + c["acc"][0] + jnp.sum(c["acc"][1]) + jnp.mean(ys)


def map_fn(x, y):
    """lax.map over a tuple with batch_size=2 (x has 5 rows: two batches and a remainder)."""
    return lax.map(lambda t: (jnp.sin(t[0]) * t[1], jnp.sum(t[0])), (x, y), batch_size=2)


def map_loss(x, y):
    a, b = map_fn(x, y)
    return jnp.sum(a ** 2) + jnp.sum(b)


def assoc_fn(x):
    """associative_scan: a cumulative sum along axis 1 and a linear recurrence (a pytree) in reverse."""
    s = lax.associative_scan(jnp.add, x, axis=1)
    a, b = lax.associative_scan(lambda p, q: (p[0] * q[0], q[0] * p[1] + q[1]), (jnp.tanh(x), x), reverse=True)
    return s + a * b


def assoc_loss(x):
    return jnp.sum(jnp.sin(assoc_fn(x)))


W_LIN = ((0.5, -1.25, 0.75, 2.5), (1.5, 0.25, -0.5, -2.25), (-0.75, 1.25, 0.5, 0.25))


def linear_fn(x, y):
    """Linear in (x, y) (for linear_transpose): a matmul with a constant, slices, a transpose, a sum."""
    a = x @ jnp.array(W_LIN) - 2.5 * y
    b = jnp.concatenate([x[:, 1:], jnp.transpose(y)[:2]], axis=0)
    return a, jnp.sum(b, axis=1) * 0.5


def linear_scan(xs):
    """A linear scan (a decaying cumulative sum) for linear_transpose."""
    return lax.scan(lambda c, x: (c * 0.5 + x, c), jnp.zeros_like(xs[0]), xs)


CATALOGUE: dict[str, Callable[..., Any]] = {
    f.__name__: f
    for f in (softmax_xent, mlp, mlp_loss, layer_norm, rosenbrock, horner, sin_cos, sin_cos_sum, kinks, int_pow,
              cond_fn, cond_loss, rnn, rnn_loss, fori_fn, fori_loss, while_fn, while_loss, aux_loss, multi_out,
              stop_grad_fn, cj_fn, cj_loss, cjs_fn, cjs_loss, cj_tree, cj_tree_loss, cj_nondiff, cj_nondiff_loss,
              cv_fn, cv_loss, cv_tree, cv_tree_loss, cv_nondiff, cv_nondiff_loss, bmm_loss, remat_rnn_loss,
              cond_tree, cond_tree_loss, switch_fn, switch_loss, while_tree, while_tree_loss, fori_dyn, fori_dyn_loss,
              scan_rev, scan_rev_loss, scan_len, scan_len_loss, scan_tree, scan_tree_loss, map_fn, map_loss,
              assoc_fn, assoc_loss, linear_fn, linear_scan)
}

# ---- applying transformations ----

TRANSFORMS = {
    "grad": jax.grad, "value_and_grad": jax.value_and_grad, "jacfwd": jax.jacfwd, "jacrev": jax.jacrev,
    "jacobian": jax.jacobian, "hessian": jax.hessian, "vmap": jax.vmap, "jit": jax.jit,
    "checkpoint": jax.checkpoint, "remat": jax.remat,
}
# These call the function rather than wrap it: only outermost. `call` is no transformation: f(*args).
OUTERMOST = ("jvp", "vjp", "linearize", "linear_transpose", "call")


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


def wrap(n: str, f: Callable[..., Any], o: dict[str, Any]) -> Callable[..., Any]:
    if n in ("checkpoint", "remat") and "policy" in o:  # a policy by its name in jax.checkpoint_policies
        o = {**o, "policy": getattr(jax.checkpoint_policies, o["policy"])}
    return TRANSFORMS[n](f, **o)


def with_structure(like: Any, tree: Any) -> Any:
    """`tree`'s leaves in `like`'s structure (case files cannot tell tuples from lists)."""
    return jax.tree.unflatten(jax.tree.structure(like), jax.tree.leaves(tree))


def apply(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Runs the case `transforms.<name>`: the chain applied to catalogue function kwargs["f"], called with args."""
    names = chain(name)
    options = options_of(names, kwargs)
    f = CATALOGUE[kwargs["f"]]
    for n, o in reversed(list(zip(names, options))[1:] if names[0] in OUTERMOST else list(zip(names, options))):
        if n in OUTERMOST:
            raise ValueError(f"{n} must be the outermost transformation")
        f = wrap(n, f, o)
    outer, o = names[0], options[0]
    if outer == "call":
        return f(*args)
    if outer == "jvp":
        primals, tangents = args
        return jax.jvp(f, primals, tangents, **o)
    if outer == "linearize":
        primals, tangents = args
        out, f_jvp, *aux = jax.linearize(f, *primals, **o)
        return (out, f_jvp(*tangents), *aux)
    if outer == "vjp":
        out, *rest = jax.vjp(f, *args, **o)
        return (out, rest[0](with_structure(out, kwargs["cotangent"])), *rest[1:])
    if outer == "linear_transpose":
        f_t = jax.linear_transpose(f, *args, **o)
        return f_t(with_structure(jax.eval_shape(f, *args), kwargs["cotangent"]))
    return f(*args)
