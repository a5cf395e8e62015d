"""A threat's fate: how its flight ended, as the codes of the outcome table.

A kill is the endgame's verdict on an interceptor's closest approach; a leak is the end of
the threat's route (or its impact) with the threat alive. The command post reads these codes
to know which threats are gone; the engine records them per replication.
"""

FATE_AIRBORNE = 0  # still flying when the simulation ended
FATE_KILLED = 1
FATE_LEAKED = 2  # completed its route or impacted, alive
FATE_NAMES = {FATE_AIRBORNE: "airborne", FATE_KILLED: "killed", FATE_LEAKED: "leaked"}
