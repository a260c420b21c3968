"""Chat platforms, registered by the adapters: the core names none of them.

An adapter registers an entry point as "module:function"; it is imported only when used, so
`policybot check` loads no platform code and a platform whose extra is not installed fails
with a message that says which extra to install.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class PlatformMissing(RuntimeError):
    """A platform that is not registered, or whose packages are not installed."""


@dataclass(frozen=True)
class Entry:
    target: str  # "module:function"
    extra: str = ""  # the pip extra that installs it


_REGISTRY: dict[str, Entry] = {}


def register(name: str, target: str, extra: str = "") -> None:
    _REGISTRY[name] = Entry(target, extra)


def entry(name: str) -> Callable[..., Any]:
    found = _REGISTRY.get(name)
    if found is None:
        raise PlatformMissing(f"no {name!r} platform is registered (run policybot from the installed package)")
    module, _, function = found.target.partition(":")
    try:
        return getattr(importlib.import_module(module), function)
    except ImportError as error:
        hint = f": pip install 'policybot[{found.extra}]'" if found.extra else ""
        raise PlatformMissing(
            f"the {name} platform needs packages that are not installed ({error.name}){hint}"
        ) from None
