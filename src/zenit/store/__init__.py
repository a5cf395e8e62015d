"""The results store: a DuckDB catalogue of runs plus Parquet outcome tables per run."""

from zenit.store.atomic import write_atomic, write_bytes_atomic
from zenit.store.catalog import RUN_STATUSES
from zenit.store.merging import merge_outcomes, sort_outcomes
from zenit.store.results import DEFAULT_STORE_PATH, ResultsStore, current_code_version

__all__ = [
    "DEFAULT_STORE_PATH",
    "RUN_STATUSES",
    "ResultsStore",
    "current_code_version",
    "merge_outcomes",
    "sort_outcomes",
    "write_atomic",
    "write_bytes_atomic",
]
