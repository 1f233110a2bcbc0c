"""Source contracts, one module per source system."""
