"""Read-only SQL over a results store: the views runs, outcomes, shots and events.

The user's SQL runs on a private in-memory DuckDB connection that is sandboxed before the
query sees it:

* the views are created first, with files still readable; afterwards external access is off,
  except for the store's runs/ directory (`allowed_directories`), which the views re-read at
  every query (DuckDB binds a view's `read_parquet` again each time it is used);
* extensions are neither installed nor loaded automatically, and the configuration is locked,
  so the query cannot turn any of this back on;
* exactly one statement, of type SELECT, is accepted: no COPY, ATTACH, CREATE, INSERT, SET,
  INSTALL or LOAD, so nothing is written, not even inside the runs/ directory.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from zenit.errors import UserError

QUERY_TABLES = ("outcomes", "shots", "events")  # the per-chunk tables SQL can read
ALLOWED = "runs query takes one SELECT statement over the views runs, outcomes, shots, events"
_LOCKDOWN = (
    "SET enable_external_access = false",
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET lock_configuration = true",  # last: the query cannot undo the settings above
)


def sql_text(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def run_query(root: Path, catalogue: pd.DataFrame, sql: str) -> pd.DataFrame:
    """The result of one read-only SELECT over a store's views, or a UserError."""
    connection = duckdb.connect(":memory:")
    try:
        _create_views(connection, root, catalogue)
        _lock_down(connection, root)
        _check_one_select(connection, sql)
        try:
            return connection.execute(sql).df()
        except duckdb.PermissionException as error:
            raise UserError(f"{ALLOWED}, and reads no other file: {error}") from error
        except duckdb.Error as error:
            raise UserError(f"the query failed: {error}") from error
    finally:
        connection.close()


def _create_views(connection: duckdb.DuckDBPyConnection, root: Path,
                  catalogue: pd.DataFrame) -> None:
    connection.register("runs_catalog", catalogue)
    connection.execute("CREATE VIEW runs AS SELECT * FROM runs_catalog")
    for name in QUERY_TABLES:
        connection.execute(table_view(root, name))


def _lock_down(connection: duckdb.DuckDBPyConnection, root: Path) -> None:
    # The trailing "/" keeps a sibling such as runs-old/ out of the allowed prefix.
    runs = (root / "runs").resolve().as_posix().rstrip("/") + "/"
    connection.execute(f"SET allowed_directories = [{sql_text(runs)}]")
    for statement in _LOCKDOWN:
        connection.execute(statement)


def _check_one_select(connection: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but exactly one SELECT (DuckDB's parser decides, not a split on ';')."""
    try:
        statements = connection.extract_statements(sql)
    except duckdb.Error as error:
        raise UserError(f"the query failed: {error}") from error
    if len(statements) != 1:
        raise UserError(f"{ALLOWED}; got {len(statements)} statements")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise UserError(f"{ALLOWED}; got a statement of type {kind.name}")


def table_view(root: Path, name: str) -> str:
    """The CREATE VIEW for one per-chunk table, with a `run_id` column from the file path."""
    runs = root / "runs"
    if not any(runs.glob(f"*/{name}/chunk-*.parquet")):
        return (f"CREATE VIEW {name} AS SELECT NULL::VARCHAR AS run_id, "
                "NULL::BIGINT AS replication WHERE false")
    pattern = runs.resolve().as_posix() + f"/*/{name}/chunk-*.parquet"
    run_id = rf"regexp_extract(filename, '([^/\\]+)[/\\]{name}[/\\][^/\\]+$', 1)"
    return (
        f"CREATE VIEW {name} AS SELECT {run_id} AS run_id, * EXCLUDE (filename) "
        f"FROM read_parquet({sql_text(pattern)}, union_by_name = true, filename = true)"
    )
