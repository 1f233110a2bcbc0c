"""Running the warehouse: the nightly run from the command line, the run lock, alerts,
retention, and the test-only fault injection."""
