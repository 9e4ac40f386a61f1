"""Pointing at the line of a YAML file that a validation error is about: one rule for every file airloop reads
(campaigns, evaluation specs)."""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["yaml_line"]


def yaml_line(root: Any, loc: tuple[Any, ...]) -> int:
    """The 1-based line of the YAML node a pydantic error location points at (the deepest node that exists: a missing
    field points at its parent mapping)."""
    node = root
    line = node.start_mark.line + 1 if node is not None else 0
    for part in loc:
        nxt = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                    nxt = v
                    line = k.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            nxt = node.value[part]
            line = nxt.start_mark.line + 1
        if nxt is None:
            # A part pydantic adds that the YAML does not have (a union branch, a validator name): skip it, but stop
            # on a key that is really missing.
            if isinstance(node, yaml.MappingNode) and isinstance(part, str) and not part.startswith(("function-",
                                                                                                     "list[", "dict[")):
                break
            continue
        node = nxt
    return line
