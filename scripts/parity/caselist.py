"""The declarative case list: loading, expansion into cases, ids and spec hashes.

test/parity/caselist.ts implements the same rules; both sides must expand a case file into the
same ids and the same spec hashes (the TS suite uses the hash to detect stale fixtures).
See scripts/parity/README.md for the format.
"""
from __future__ import annotations

import hashlib
import itertools
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

CASES_DIR = Path(__file__).resolve().parent / "cases"
FAMILIES = ("numpy", "lax", "promotion", "transforms", "random", "nn", "optim", "parallel", "indexing")


def js_number(x: float | int) -> str:
    """A number as JavaScript's Number.prototype.toString writes it (shortest round-trip digits)."""
    if isinstance(x, bool):
        raise TypeError("bool is not a number")
    if isinstance(x, int):
        return str(x)
    if x != x or x in (float("inf"), float("-inf")):
        raise ValueError("nan and infinities are not JSON numbers")
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    digits_t, exp = Decimal(repr(abs(x))).normalize().as_tuple()[1:]
    digits = "".join(map(str, digits_t))
    k, n = len(digits), exp + len(digits)  # n: position of the decimal point
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        body = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e > 0 else "-") + str(abs(e))
    return sign + body


def canonical_json(v: Any) -> str:
    """Sorted keys, no spaces, JS number formatting: identical text in Python and TS."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return js_number(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ",".join(canonical_json(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k) + ":" + canonical_json(v[k]) for k in sorted(v)) + "}"
    raise TypeError(f"not JSON: {v!r}")


def fmt(v: Any) -> str:
    """A variable's value in a case id."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return js_number(v)
    if isinstance(v, list):
        return "[" + ",".join(fmt(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(f"{k}:{fmt(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"bad case variable {v!r}")


def substitute(v: Any, env: dict[str, Any]) -> Any:
    """Replaces every string "$name" or "$name.i.j" by the variable's value (or an item of it)."""
    if isinstance(v, str) and v.startswith("$"):
        name, *path = v[1:].split(".")
        if name not in env:
            raise KeyError(f"unknown case variable {v}")
        out = env[name]
        for p in path:
            out = out[int(p)] if isinstance(out, list) else out[p]
        return out
    if isinstance(v, list):
        return [substitute(x, env) for x in v]
    if isinstance(v, dict):
        return {k: substitute(x, env) for k, x in v.items()}
    return v


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


def expand(family: str, doc: dict[str, Any]) -> list[dict[str, Any]]:
    """All cases of one case file, in file order."""
    cases: list[dict[str, Any]] = []
    seen: set[str] = set()
    for group in doc["groups"]:
        variables: dict[str, list[Any]] = group.get("vars", {})
        names = list(variables)
        for fn in _as_list(group["fn"]):
            for combo in itertools.product(*(variables[n] for n in names)):
                for x64 in _as_list(group.get("x64", False)):
                    env = {"fn": fn, **dict(zip(names, combo))}
                    if any(all(env.get(k) == s[k] for k in s) for s in group.get("skip", [])):
                        continue
                    tag = f":{group['tag']}" if "tag" in group else ""
                    shown = "(" + ",".join(fmt(c) for c in combo) + ")" if names else ""
                    case = {
                        "id": f"{fn}{tag}{shown}{'/x64' if x64 else ''}",
                        "family": family,
                        "fn": fn,
                        "args": substitute(group.get("args", []), env),
                        "kwargs": substitute(group.get("kwargs", {}), env),
                        "x64": x64,
                        "mode": group.get("mode", "eval"),
                        "jit": group.get("jit", False),
                        "tol": group.get("tol"),
                        "errors": group.get("errors", False),
                    }
                    if case["id"] in seen:
                        raise ValueError(f"duplicate case id {case['id']}")
                    seen.add(case["id"])
                    cases.append(case)
    return cases


def spec_hash(case: dict[str, Any]) -> str:
    """What the fixture of a case depends on; a changed case needs regenerated fixtures."""
    keys = ("fn", "args", "kwargs", "x64", "mode", "tol", "errors")
    return hashlib.sha1(canonical_json({k: case[k] for k in keys}).encode()).hexdigest()[:12]


def load(family: str) -> list[dict[str, Any]]:
    path = CASES_DIR / f"{family}.json"
    return expand(family, json.loads(path.read_text()))
