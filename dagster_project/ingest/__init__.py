"""Set-based file ingestion: read, validate against a contract, load or quarantine."""
