"""Service registration: places, waitlist, e-mails, calendar files and rosters (policy P3, F)."""
