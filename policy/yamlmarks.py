"""YAML loading that remembers the line each mapping starts on, for error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class Marked(dict):
    """A mapping from YAML with the 1-based line it starts on."""

    line: int = 0


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present: several times faster
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Marked:
    loader.flatten_mapping(node)
    mapping = Marked()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.MarkedYAMLError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
    mapping.line = node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class YamlProblem(Exception):
    def __init__(self, path: Path, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path, self.line, self.reason = path, line, reason


def load_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise YamlProblem(path, 1, f"not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise YamlProblem(path, 0, f"cannot read: {error.strerror}") from None
    try:
        return yaml.load(text, Loader=_Loader)  # a (C)SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlProblem(path, line, f"invalid YAML: {error.problem}") from None
    except yaml.YAMLError as error:
        raise YamlProblem(path, 0, f"invalid YAML: {error}") from None


def line_of(value: Any, default: int = 0) -> int:
    return getattr(value, "line", default) or default
