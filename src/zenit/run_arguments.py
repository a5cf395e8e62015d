"""The arguments of a run, checked before any work: one set of rules for the API and the CLI.

A float where a count belongs is refused rather than rounded (2.7 replications is a mistake,
not a request for 2), and so is a seed the random streams or the results store cannot hold:
Philox keys and the catalogue's UBIGINT column both take 0 to 2**64 - 1.
"""

from __future__ import annotations

import numbers

from zenit.errors import UserError

MAX_SEED = 2**64 - 1


def whole_number(name: str, value, minimum: int, maximum: int | None = None) -> int:
    """`value` as an int in [minimum, maximum], or a UserError naming the argument and the fix."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise UserError(f"{name} must be a whole number, not {value!r} "
                        f"(fix: pass an int such as {minimum})")
    value = int(value)
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"at least {minimum}" if maximum is None else f"from {minimum} to {maximum}"
        raise UserError(f"{name} must be {bounds}, not {value}")
    return value


def checked_seed(seed) -> int:
    return whole_number("seed", seed, 0, MAX_SEED)


def checked_record(record, replications: int) -> tuple[int, ...]:
    """Replication ids whose full event log is kept: each one of the run's replications."""
    ids = tuple(whole_number("record entry", entry, 0) for entry in record)
    beyond = [entry for entry in ids if entry >= replications]
    if beyond:
        raise UserError(f"record names replication {beyond[0]}, but the run has {replications} "
                        f"(0 to {replications - 1}); fix: record ids below {replications}")
    return ids


def checked_run_arguments(replications, seed, workers, chunk_size, record):
    """(replications, seed, workers, chunk_size, record) checked; workers, chunk_size and
    record may be None (the executor's, Zenit's and the scenario's choice)."""
    replications = whole_number("replications", replications, 1)
    workers = None if workers is None else whole_number("workers", workers, 1)
    chunk_size = None if chunk_size is None else whole_number("chunk_size", chunk_size, 1)
    record = None if record is None else checked_record(record, replications)
    return replications, checked_seed(seed), workers, chunk_size, record
