"""The accounts app's tests share the suite's staff fixtures (csce/conftest.py) and the
one staff-user maker, csce.accounts.factories."""
