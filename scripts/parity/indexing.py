"""The `indexing` parity family: NumPy-style indexing of JAX arrays (x[idx]) and the functional
updates x.at[idx].set/add/multiply/min/max/get. An index is a list of entries: an int, None
(newaxis), "..." (Ellipsis), {"slice": [start, stop, step]} (nulls allowed), or an array
(advanced indexing: ints or a boolean mask). Called as `indexing.<op>(x, index[, values], **kw)`."""
from typing import Any


def entry(e: Any) -> Any:
    if isinstance(e, dict) and "slice" in e:
        return slice(*e["slice"])
    if e == "...":
        return Ellipsis
    return e


def apply(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    x, index, *rest = args
    idx = tuple(entry(e) for e in index)
    if name == "getitem":
        return x[idx]
    method = {"at_set": "set", "at_add": "add", "at_subtract": "subtract", "at_multiply": "multiply", "at_divide": "divide", "at_power": "power", "at_min": "min", "at_max": "max", "at_get": "get"}[name]
    return getattr(x.at[idx], method)(*rest, **kwargs)
