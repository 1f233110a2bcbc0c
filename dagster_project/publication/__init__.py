"""Publication targets of the marts: the keys they share (keys.py) and PostgreSQL (postgres.py)."""
