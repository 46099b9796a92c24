"""The `parallel` family: collectives under pmap (4 host devices) and under a named vmap, their
derivatives, a vmap nested in a pmap, and pmap's own options.

test/parity/parallel.ts does the same with jaxts, operation for operation; keep the two in step.
The calling convention is in scripts/parity/README.md ("The parallel family").
"""
from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp
from jax import lax

# Each collective's keyword parameters (JAX's names). A case's kwargs hold the parameters of every
# collective of its group; each collective takes its own.
PARAMS = {
    "psum": (), "pmean": (), "pmax": (), "pmin": (), "axis_index": (), "axis_size": (),
    "all_gather": ("axis", "tiled"), "all_to_all": ("split_axis", "concat_axis", "tiled"),
    "ppermute": ("perm",), "psum_scatter": ("scatter_dimension", "tiled"),
}
# The other keywords of a `parallel.<collective>` case.
OWN = ("map", "axis_name", "ad")


def collective(name: str, axis_name: Any, params: dict[str, Any]) -> Callable[[Any], Any]:
    """x -> lax.<name>(x, axis_name, **params) (axis_index and axis_size ignore x)."""
    if name == "axis_index":
        return lambda x: lax.axis_index(axis_name)
    if name == "axis_size":
        return lambda x: lax.axis_size(axis_name)
    if name == "all_to_all":
        return lambda x: lax.all_to_all(x, axis_name, params["split_axis"], params["concat_axis"], tiled=params.get("tiled", False))
    if name == "ppermute":
        return lambda x: lax.ppermute(x, axis_name, params["perm"])
    return lambda x: getattr(lax, name)(x, axis_name, **params)


def mapped(f: Callable, how: str) -> Callable:
    """f mapped over axis 0: over devices ('i'), over examples ('i'), or both ('i' outer, 'j' inner)."""
    if how == "pmap":
        return jax.pmap(f, axis_name="i")
    if how == "vmap":
        return jax.vmap(f, axis_name="i")
    if how == "pmap_vmap":
        return jax.pmap(jax.vmap(f, axis_name="j"), axis_name="i")
    if how == "none":  # no map at all: the axis name is unbound
        return f
    raise ValueError(f"unknown map {how!r}")


def sin_sum(out: Any):
    """A scalar loss that depends on every output value (sin: the gradient depends on the values)."""
    return sum(jnp.sum(jnp.sin(leaf)) for leaf in jax.tree.leaves(out))


def apply_collective(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    unknown = set(kwargs) - set(OWN) - {p for ps in PARAMS.values() for p in ps}
    if unknown:
        raise ValueError(f"parallel.{name}: unknown keywords {sorted(unknown)}")
    params = {k: v for k, v in kwargs.items() if k in PARAMS[name]}
    f = collective(name, kwargs.get("axis_name", "i"), params)
    how, ad = kwargs.get("map", "pmap"), kwargs.get("ad")
    if ad is None:
        return mapped(f, how)(*args)
    if ad == "grad":  # the gradient of each device's (example's) loss, inside the map
        return mapped(jax.grad(lambda x: sin_sum(f(x))), how)(*args)
    if ad == "grad_of_map":  # the gradient of a loss of the mapped function's whole output
        return jax.grad(lambda x: sin_sum(mapped(f, how)(x)))(*args)
    if ad == "jvp":  # args: primal, tangent
        return jax.jvp(mapped(f, how), (args[0],), (args[1],))
    raise ValueError(f"unknown ad {ad!r}")


# ---- pmap bodies for `parallel.pmap` (pmap's own options) ----

BODIES: dict[str, Callable] = {
    # x * y + psum(y): y mapped or broadcast
    "affine": lambda x, y: x * y + lax.psum(y, "i"),
    # a tuple of outputs, one of them the same on every device (out_axes None)
    "pair": lambda x: (x * 2.5, lax.psum(x, "i")),
    # a dict argument and a static scale
    "tree": lambda p, s: (p["u"] * p["w"] * s, lax.psum(p["u"], "i")),
}


def apply_pmap(args: list[Any], kwargs: dict[str, Any]) -> Any:
    options = {k: v for k, v in kwargs.items() if k != "body"}
    return jax.pmap(BODIES[kwargs["body"]], axis_name="i", **options)(*args)


# ---- bodies for `parallel.sharded_jit` (jit with NamedSharding over a 2 x 2 mesh) ----

SHARDED_BODIES: dict[str, Callable] = {
    "dense": lambda u, w: jnp.tanh(jnp.dot(u, w)) + 1,
    "reduce": lambda u, w: jnp.sum(u * 2, axis=1) + jnp.sum(w),
}


def apply_sharded_jit(args: list[Any], kwargs: dict[str, Any]) -> Any:
    """jax.jit(body, in_shardings, out_shardings) on a mesh of the 4 devices; a `constraint` spec
    puts lax.with_sharding_constraint on the body's result."""
    from jax.sharding import NamedSharding, PartitionSpec
    # Auto axes: GSPMD's propagation, as jaxts's meshes have (make_mesh defaults to Explicit).
    axes = tuple(kwargs["axes"])
    mesh = jax.make_mesh(tuple(kwargs["mesh"]), axes, axis_types=(jax.sharding.AxisType.Auto,) * len(axes))
    sharding = lambda spec: NamedSharding(mesh, PartitionSpec(*spec))
    body = SHARDED_BODIES[kwargs["body"]]
    if "constraint" in kwargs:
        inner, c = body, sharding(kwargs["constraint"])
        body = lambda *a: lax.with_sharding_constraint(inner(*a), c)
    ins = tuple(sharding(s) for s in kwargs["in_specs"])
    out = sharding(kwargs["out_spec"]) if kwargs.get("out_spec") is not None else None
    return jax.jit(body, in_shardings=ins, out_shardings=out)(*args)


def apply(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Runs the case `parallel.<name>`."""
    if name == "pmap":
        return apply_pmap(args, kwargs)
    if name == "sharded_jit":
        return apply_sharded_jit(args, kwargs)
    return apply_collective(name, args, kwargs)
