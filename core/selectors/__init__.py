"""Selectors: one module per published method behind one interface and one registry.

Every selector returns a :class:`core.selection.Selection` whose indices are in pick order, so a smaller
budget is a prefix of a larger run and any metric can be drawn along any selector's order. Use
``core.selectors.run(name, features, budget, constraints=None, **params)`` (``constraints``: a
:class:`core.constraints.Constraints`); ``REGISTRY`` describes every selector (label, needs, whether it uses a seed
or a reference set, parameters with defaults and ranges, citation) for the UI and the CLI.

Importing this package is cheap (numpy only); heavy libraries load when a selector runs.
"""

from core.selectors.registry import REGISTRY, SelectorSpec, describe, get, names, run

__all__ = ["REGISTRY", "SelectorSpec", "describe", "get", "names", "run"]
