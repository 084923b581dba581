"""The pure core: plan model, units, period kinds, holidays, schedules, obligations, status.

Nothing in here reads files, prints, or asks the clock.
"""
