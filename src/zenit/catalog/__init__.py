"""The public-data catalogue: radars, masts, missiles, launchers, command posts, fire units,
regiments and threats, each figure with its source.

    >>> from zenit.catalog import load_catalog
    >>> load_catalog().get("48n6e2").value("maximum_range")
    200000.0
"""

from zenit.catalog.entry import Alternative, Component, Entry, SourcedValue
from zenit.catalog.loader import load_catalog, read_catalog
from zenit.catalog.lookup import Catalog
from zenit.catalog.schema import KINDS, PARAMETERS, Parameter

__all__ = ["Alternative", "Catalog", "Component", "Entry", "KINDS", "PARAMETERS", "Parameter",
           "SourcedValue", "load_catalog", "read_catalog"]
