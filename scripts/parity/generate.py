#!/usr/bin/env python3
"""Computes the parity fixtures with Python JAX: test/parity/fixtures/{<family>.json, arrays/*.npy}.

    python3 -m venv .parity-venv && .parity-venv/bin/pip install jax==0.10.2 optax==0.2.8 numpy
    .parity-venv/bin/python scripts/parity/generate.py            # every family
    .parity-venv/bin/python scripts/parity/generate.py numpy lax  # some families

The TypeScript suite (test/parity) only reads the committed fixtures; it never needs Python.
"""
from __future__ import annotations

import io
import json
import platform
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np

import caselist

JAX_VERSION = "0.10.2"
ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "test" / "parity" / "fixtures"

# jax/_src/public_test_util.py::_default_tolerance (atol = rtol); notes/jax-semantics.md section 4.
DEFAULT_TOL = {
    "bool": 0, "int8": 0, "int16": 0, "int32": 0, "int64": 0,
    "uint8": 0, "uint16": 0, "uint32": 0, "uint64": 0,
    "bfloat16": 1e-2, "float16": 1e-3, "float32": 1e-6, "float64": 1e-15,
    "complex64": 1e-6, "complex128": 1e-15,
}
# Dtypes NumPy cannot name: stored as unsigned views, the real dtype goes in the manifest.
VIEW_AS = {"bfloat16": np.uint16}
WEAK_SCALARS = {"i*": 1, "f*": 0.5}  # the JS side passes the same JS numbers


def setup_jax():
    # The parallel family pmaps over 4 host devices; XLA reads the flag when jax is first imported.
    # Other families run on device 0 as before (their fixtures do not change).
    import os
    if "xla_force_host_platform_device_count" not in os.environ.get("XLA_FLAGS", ""):
        os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_force_host_platform_device_count=4").strip()
    import jax

    if jax.__version__ != JAX_VERSION:
        sys.exit(f"generate.py: expected jax=={JAX_VERSION}, found {jax.__version__} (see scripts/parity/README.md)")
    jax.config.update("jax_platforms", "cpu")
    warnings.filterwarnings("ignore", message=".*Explicitly requested dtype.*")
    return jax


jax = setup_jax()
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402
from jax._src.lax import lax as lax_internal  # noqa: E402
import ml_dtypes  # noqa: E402
import catalogue  # noqa: E402


# ---- inputs ----

def finfo(dtype: str):
    return ml_dtypes.finfo(np.dtype(dtype)) if dtype == "bfloat16" else np.finfo(np.dtype(dtype))


def edge_values(dtype: str) -> list[Any]:
    """Special values of a dtype: nan, inf, -0, tiny, max, ... (16 floats; ints include min/max)."""
    if dtype == "bool":
        return [False, True]
    if dtype.startswith(("int", "uint")):
        info = np.iinfo(np.dtype(dtype))
        if dtype.startswith("uint"):
            return [0, 1, 2, 7, 100, info.max // 2, info.max - 1, info.max]
        return [0, 1, -1, 2, -2, 7, -7, 100, info.min, info.min + 1, info.max - 1, info.max]
    fi = finfo(dtype.replace("complex64", "float32").replace("complex128", "float64"))
    return [float("nan"), float("inf"), float("-inf"), 0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -3.0, 10.0,
            float(fi.tiny), float(fi.smallest_subnormal), float(fi.max), -float(fi.max)]


def parse_value(v: Any) -> Any:
    """Literal array values in case files: numbers, bools, or "nan", "inf", "-inf", "-0.0"."""
    if isinstance(v, list):
        return [parse_value(x) for x in v]
    if isinstance(v, str):
        return float(v)
    return v


def generate_array(spec: dict[str, Any]) -> np.ndarray:
    gen, dtype = spec["gen"], np.dtype(spec["dtype"])
    shape = tuple(spec.get("shape", ()))
    rng = np.random.default_rng(spec.get("seed", 0))
    size = int(np.prod(shape))
    if gen == "normal":
        raw = rng.standard_normal(shape) * spec.get("scale", 1.0)
    elif gen == "uniform":
        raw = rng.uniform(spec.get("low", 0.0), spec.get("high", 1.0), shape)
    elif gen == "randint":
        raw = rng.integers(spec.get("low", 0), spec.get("high", 2), shape)
        if spec.get("nonzero"):
            raw = np.where(raw == 0, spec.get("high", 2) - 1, raw)
    elif gen == "arange":
        raw = np.arange(size).reshape(shape) + spec.get("start", 0)
    elif gen == "edge":
        raw = np.array(edge_values(spec["dtype"]), dtype=object)
        if "grid" in spec:  # every pair of edge values, as two equal-shape arrays
            raw = np.stack([raw] * len(raw), axis=1 - spec["grid"])
        raw = raw.reshape(shape) if shape else raw
    elif gen == "value":
        raw = np.array(parse_value(spec["value"]), dtype=object if dtype.kind == "c" else None)
        raw = raw.reshape(shape) if "shape" in spec else raw
    else:
        raise ValueError(f"unknown generator {gen!r}")
    if dtype == np.bool_ and gen in ("normal", "uniform"):
        return np.asarray(raw) > 0
    raw = np.asarray(raw)
    if raw.dtype == object and dtype.kind not in "iub":  # bfloat16 has kind "V": go through float64
        raw = raw.astype(np.complex128 if dtype.kind == "c" else np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        return raw.astype(dtype)


def to_jax(a: np.ndarray, weak: bool):
    x = jnp.asarray(a)
    return lax_internal._convert_element_type(x, weak_type=True) if weak else x


class Inputs:
    """Builds the Python arguments of a case, collecting the arrays (depth-first) for the manifest."""

    def __init__(self, store: "ArrayStore"):
        self.store = store
        self.arrays: list[dict[str, Any]] = []
        self.values: list[Any] = []

    def array(self, a: np.ndarray, weak: bool):
        x = to_jax(a, weak)
        self.arrays.append(self.store.put(np.asarray(x), str(x.dtype), weak=bool(x.weak_type)))
        self.values.append(x)
        return x

    def build(self, v: Any, top: bool = True) -> Any:
        if isinstance(v, dict) and v.get("gen") == "typed_key":  # jax.random.key(seed), stored as its key data
            key = jax.random.key(v["seed"])
            self.arrays.append(self.store.put(np.asarray(jax.random.key_data(key)), "uint32", weak=False))
            self.values.append(key)
            return key
        if isinstance(v, dict) and "gen" in v:
            return self.array(generate_array(v), v.get("weak", False))
        if isinstance(v, dict) and "kind" in v:
            kind = v["kind"]
            if kind in WEAK_SCALARS:
                return WEAK_SCALARS[kind]
            if kind == "c*":  # no complex JS literal: a weak complex array stands for Python's complex
                return self.array(np.array(1 + 0j, dtype=np.complex128), weak=True)
            if v.get("as") == "dtype":
                return jnp.dtype(kind)
            return self.array(np.array([1, 0], dtype=np.dtype(kind)), weak=False)
        if isinstance(v, dict) and "key" in v and len(v) == 1:  # a PRNG key from a literal seed
            key = jax.random.PRNGKey(v["key"])
            self.arrays.append(self.store.put(np.asarray(key), str(key.dtype), weak=False))
            self.values.append(key)
            return key
        if isinstance(v, dict) and "dtype" in v and len(v) == 1:
            return jnp.dtype(v["dtype"])
        if isinstance(v, dict) and isinstance(v.get("fn"), str):
            # a function itself (lax.reduce_window's computation), or with args/kwargs its result
            # (dimension numbers: lax.GatherDimensionNumbers(offset_dims=..., ...))
            f = resolve(v["fn"])
            if "args" not in v and "kwargs" not in v:
                return f
            return f(*(self.build(x, False) for x in v.get("args", [])), **{k: self.build(x, False) for k, x in v.get("kwargs", {}).items()})
        if isinstance(v, dict):
            return {k: self.build(x, False) for k, x in v.items()}
        if isinstance(v, list):
            items = [self.build(x, False) for x in v]
            # Literal lists are tuples in Python (shapes, axes); lists of arrays stay lists.
            return items if any(isinstance(x, jax.Array) for x in items) else tuple(items)
        if isinstance(v, float) and v.is_integer():
            raise ValueError(f"integral float literal {v!r}: JS cannot tell 2.0 from 2 (weak int); use a non-integral value")
        return v


# ---- outputs ----

class ArrayStore:
    """One family's arrays as concatenated .npy records (`<family>.npys`); the manifest gives each
    array's byte offset. Equal arrays (inputs shared by many cases) are stored once.
    np.load on an open file reads the records one after another."""

    def __init__(self):
        self.blob = io.BytesIO()
        self.offsets: dict[bytes, int] = {}

    def put(self, a: np.ndarray, dtype: str, weak: bool) -> dict[str, Any]:
        stored = (a.view(VIEW_AS[dtype]) if dtype in VIEW_AS else a).copy(order="C")  # (ascontiguousarray makes 0-d 1-d)
        record = io.BytesIO()
        np.save(record, stored, allow_pickle=False)
        data = record.getvalue()
        if data not in self.offsets:
            self.offsets[data] = self.blob.tell()
            self.blob.write(data)
        return {"offset": self.offsets[data], "dtype": dtype, "shape": list(a.shape), "weak": weak}


def tolerance(dtype: str, override: Any) -> float:
    tol = DEFAULT_TOL[dtype]
    if isinstance(override, dict):
        return max(tol, override.get(dtype, 0))
    if isinstance(override, (int, float)) and tol > 0:
        return max(tol, override)
    return tol


def describe_output(out: Any, store: ArrayStore, case: dict[str, Any]) -> dict[str, Any]:
    if isinstance(out, np.dtype) or (isinstance(out, type) and issubclass(out, np.generic)):
        return {"dtype_value": str(np.dtype(out))}
    if isinstance(out, (bool, int, float)) and not isinstance(out, np.generic):
        return {"value": out}
    if isinstance(out, jax.ShapeDtypeStruct):
        return {"dtype": str(out.dtype), "shape": list(out.shape), "weak": bool(out.weak_type)}
    if not isinstance(out, jax.Array):
        raise TypeError(f"{case['id']}: unexpected output {type(out).__name__}")
    dtype = str(out.dtype)
    entry = store.put(np.asarray(out), dtype, weak=bool(out.weak_type))
    entry["tol"] = tolerance(dtype, case["tol"])
    return entry


def resolve(fn: str):
    namespace, _, name = fn.partition(".")
    if namespace == "transforms":  # a chain of transformations of a catalogue function
        return lambda *args, **kwargs: catalogue.apply(name, list(args), kwargs)
    if namespace == "parallel":  # collectives and pmap over the 4 host devices (parallel.py)
        import parallel
        return lambda *args, **kwargs: parallel.apply(name, list(args), kwargs)
    if namespace == "indexing":  # x[idx] and x.at[idx] updates (indexing.py)
        import indexing
        return lambda *args, **kwargs: indexing.apply(name, list(args), kwargs)
    if namespace == "optim":  # optax is the oracle; the convention is in optim_calls.py
        import optim_calls
        return lambda *args, **kwargs: optim_calls.call(name, list(args), kwargs)
    if namespace == "nn" and name.startswith("initializers."):  # factory(**kwargs)(key, shape, dtype)
        init = getattr(jax.nn.initializers, name.partition(".")[2])
        return init if init in (jax.nn.initializers.zeros, jax.nn.initializers.ones) else lambda *a, **kw: init(**kw)(*a)
    module = {"numpy": jnp, "lax": lax, "random": jax.random, "nn": jax.nn}[namespace]
    f = getattr(module, name)
    return typed_keys_as_data(f) if namespace == "random" else f


def is_typed_key(x: Any) -> bool:
    return isinstance(x, jax.Array) and jax.dtypes.issubdtype(x.dtype, jax.dtypes.prng_key)


def typed_keys_as_data(f):
    """Typed key outputs (random.key, wrap_key_data, split of a typed key) are recorded as their key
    data, uint32[..., 2]: jaxts represents typed keys by their data (lib/random/keys.ts)."""
    def call(*args, **kwargs):
        out = f(*args, **kwargs)
        if not any(is_typed_key(x) for x in jax.tree.leaves(out)):
            return out
        return jax.tree.map(lambda x: jax.random.key_data(x) if is_typed_key(x) else x, out)
    return call


def run_case(case: dict[str, Any], store: ArrayStore) -> dict[str, Any]:
    jax.config.update("jax_enable_x64", case["x64"])
    inputs = Inputs(store)
    args = [inputs.build(a) for a in case["args"]]
    kwargs = {k: inputs.build(v) for k, v in case["kwargs"].items()}
    entry: dict[str, Any] = {"hash": caselist.spec_hash(case), "x64": case["x64"], "inputs": inputs.arrays}
    f = resolve(case["fn"])
    try:
        if case["mode"] == "shape":
            # Abstract evaluation only (dtype, shape, weak type): the arrays become jit arguments.
            def call(*tracers):
                it = iter(tracers)

                def swap(v):
                    if isinstance(v, jax.Array):
                        return next(it)
                    if isinstance(v, (list, tuple)):
                        return type(v)(swap(x) for x in v)
                    return {k: swap(x) for k, x in v.items()} if isinstance(v, dict) else v
                return f(*swap(args), **swap(kwargs))
            result = jax.eval_shape(call, *inputs.values)
        else:
            result = f(*args, **kwargs)
    except Exception as e:  # noqa: BLE001
        if not case["errors"]:
            raise RuntimeError(f"{case['id']}: JAX raised {type(e).__name__}: {e}") from e
        entry["error"] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300]
        return entry
    leaves = jax.tree.leaves(result, is_leaf=lambda x: isinstance(x, (np.dtype, jax.ShapeDtypeStruct)))
    entry["outputs"] = [describe_output(x, store, case) for x in leaves]
    return entry


def meta(family: str) -> dict[str, Any]:
    import jaxlib
    oracle = {}
    if family == "optim":  # optax is the optim family's oracle
        import optim_calls
        oracle = {"optax": optim_calls.version()}
    return {
        "jax": jax.__version__,
        "jaxlib": jaxlib.__version__,
        "numpy": np.__version__,
        "ml_dtypes": ml_dtypes.__version__,
        "python": platform.python_version(),
        "platform": jax.devices()[0].platform,
        "jax_threefry_partitionable": bool(jax.config.jax_threefry_partitionable),
        "x64": "per case (the case's x64 flag)",
        "generator": "scripts/parity/generate.py",
        **oracle,
    }


def main(argv: list[str]) -> None:
    families = argv or [f for f in caselist.FAMILIES if (caselist.CASES_DIR / f"{f}.json").exists()]
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for family in families:
        store = ArrayStore()
        cases = caselist.load(family)
        entries = {c["id"]: run_case(c, store) for c in cases}
        errors = sum("error" in e for e in entries.values())
        # One case a line: readable diffs when cases change.
        text = "{\n" + f'"family": {json.dumps(family)},\n"meta": {json.dumps(meta(family))},\n"cases": {{\n'
        text += ",\n".join(f"{json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in entries.items())
        text += "\n}\n}\n"
        (FIXTURES / f"{family}.json").write_text(text)
        (FIXTURES / f"{family}.npys").write_bytes(store.blob.getvalue())
        print(f"{family}: {len(cases)} cases ({errors} expected errors), {len(store.offsets)} arrays, "
              f"{(len(text) + store.blob.tell()) / 1024:.0f} KiB")


if __name__ == "__main__":
    main(sys.argv[1:])
