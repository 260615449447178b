"""Helpers for tests that vary a page's YAML data (the fuzz tests, the model reader's property)."""

from __future__ import annotations


def data_paths(node, prefix=()):
    """Every path into nested mappings and lists, the root's empty path first."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from data_paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from data_paths(v, prefix + (i,))


def test_data_paths():
    assert list(data_paths({"a": [1, {"b": 2}]})) == [(), ("a",), ("a", 0), ("a", 1), ("a", 1, "b")]
