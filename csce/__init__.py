"""CSCE Online Properties: the project package."""
