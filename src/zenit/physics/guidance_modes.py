"""How an interceptor type is guided, as the codes of the missile tables.

The mode decides which guidance law of `zenit.physics.guidance` flies it when, and what it
needs of the radars: the command post plans a track-via-missile round only while the
battalion's fire-control radar holds the target.
"""

GUIDANCE_TRACK_VIA_MISSILE = 0  # needs the battalion's fire-control radar on the target throughout
GUIDANCE_ACTIVE_RADAR = 1  # flies on the network track, homes with its own seeker
GUIDANCE_SEMI_ACTIVE = 2  # needs fire-control illumination in the terminal phase
GUIDANCE_COMMAND = 3
GUIDANCE_CODES = {"track_via_missile": GUIDANCE_TRACK_VIA_MISSILE,
                  "active_radar": GUIDANCE_ACTIVE_RADAR,
                  "semi_active": GUIDANCE_SEMI_ACTIVE, "command": GUIDANCE_COMMAND}
