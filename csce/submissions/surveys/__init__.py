"""Survey results for staff (policy P3, F)."""
