"""Putting chunk tables back together in one canonical order.

Chunks finish in whatever order workers happen to finish them; sorting the merged rows by
(replication, threat) makes the result of a run identical whatever the executor, the number
of workers, the chunk size or how often the run was stopped and resumed.
"""

from __future__ import annotations

from typing import Iterable

import pyarrow as pa

ORDER_COLUMNS = ("replication", "threat")


def sort_outcomes(table: pa.Table) -> pa.Table:
    """Rows ordered by replication, then threat where the table has that column."""
    if "replication" not in table.column_names:
        raise ValueError(
            f"an outcome table needs a 'replication' column; it has {table.column_names}"
        )
    keys = [(column, "ascending") for column in ORDER_COLUMNS if column in table.column_names]
    return table.sort_by(keys)


def merge_outcomes(tables: Iterable[pa.Table]) -> pa.Table | None:
    """One sorted table from chunk tables (columns missing in some chunks become null);
    None when there are no tables."""
    tables = list(tables)
    if not tables:
        return None
    merged = pa.concat_tables(tables, promote_options="default")
    return sort_outcomes(merged).combine_chunks()
