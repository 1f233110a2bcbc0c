"""SQL text every layer shares: quoting names and values, and the macros the loader and dbt share."""
