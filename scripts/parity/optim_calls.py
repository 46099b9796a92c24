"""The `optim` family's calling convention, with optax as the oracle (scripts/parity/README.md,
"Optimisers"). test/parity/optim_calls.ts implements the same convention for jaxts's `optim`.

- A transformation `optim.<name>`: kwargs are the constructor's arguments (optax's keyword names;
  `chain`'s transformations under "args"), args are `[params, [grads_1, ..., grads_K]]`. The
  transformation is initialised with params and updated K times, each update applied with
  apply_updates; the outputs are the leaves of (final params, last updates, final state).
- A schedule `optim.<name>_schedule` (and `exponential_decay`): kwargs are the schedule's
  arguments, args the step counts; the outputs are the schedule at each count.
- `apply_updates`, `global_norm`, `safe_increment`: called as they are.
- Inside kwargs, `{"fn": "optim.<name>", "kwargs": {...}}` (the case format's "function result"
  value, resolved here with no args) is the transformation or schedule itself: a learning rate,
  `masked`'s inner, `chain`'s members, `join_schedules`'s schedules. "kwargs" is required there
  (`{"fn": ...}` alone would be the calling-convention function, not a transformation).
"""
from __future__ import annotations

import sys
from typing import Any

import optax

OPTAX_VERSION = "0.2.8"
if optax.__version__ != OPTAX_VERSION:
    sys.exit(f"optim_calls.py: expected optax=={OPTAX_VERSION}, found {optax.__version__} (see scripts/parity/README.md)")

PLAIN = {"apply_updates", "global_norm", "safe_increment"}
SCHEDULES = {
    "constant_schedule", "linear_schedule", "polynomial_schedule", "cosine_decay_schedule", "exponential_decay",
    "piecewise_constant_schedule", "join_schedules", "warmup_constant_schedule", "warmup_cosine_decay_schedule",
    "warmup_exponential_decay_schedule",
}


def build(name: str, kwargs: dict[str, Any]) -> Any:
    """The transformation or schedule `name` from its keyword arguments (nested specs already built)."""
    kw = dict(kwargs)
    if name == "piecewise_constant_schedule" and kw.get("boundaries_and_scales") is not None:
        kw["boundaries_and_scales"] = {int(b): s for b, s in kw["boundaries_and_scales"].items()}  # JSON keys are strings
    if name == "chain":
        return optax.chain(*kw.pop("args"), **kw)
    return getattr(optax, name)(**kw)


def call(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    if name in PLAIN:
        return getattr(optax, name)(*args, **kwargs)
    if not args:  # a nested {"fn": "optim.<name>", "kwargs": ...}: the transformation or schedule itself
        return build(name, kwargs)
    if name in SCHEDULES:
        schedule = build(name, kwargs)
        return [schedule(count) for count in args]
    tx = build(name, kwargs)
    params, grads = args
    if not grads:
        raise ValueError("optim parity case: give at least one gradient pytree")
    state = tx.init(params)
    for g in grads:
        updates, state = tx.update(g, state, params)
        params = optax.apply_updates(params, updates)
    return (params, updates, state)


def version() -> str:
    return optax.__version__
