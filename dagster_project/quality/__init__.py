"""Checks on the built marts: the Great Expectations suites (validation) and the BSN scan (privacy)."""
