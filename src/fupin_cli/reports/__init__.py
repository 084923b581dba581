"""Reports: pure functions of (timetable, ledger as of today, scope) that return typed rows.

Nothing here reads files, prints, or asks the clock; callers pass all of it in.
"""
