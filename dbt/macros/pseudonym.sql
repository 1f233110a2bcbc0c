{#- A pseudonym for a respondent or client: sha256 of a secret and the natural key.
    Without the secret (WAREHOUSE_PSEUDONIMISERING_SLEUTEL) nobody can recompute it
    from a respondent number, unlike a plain hash of a guessable number; keep the
    production secret stable, since a new secret gives everyone a new key.
    The secret is the DuckDB variable pseudonimisering_sleutel, which the dbt
    connection plugin binds on every cursor (dagster_project/transform/connection.py):
    it is in no compiled SQL, view definition or dbt artifact. A connection without
    it stops with an error rather than hash without the secret. -#}
{% macro pseudonym(columns) -%}
    sha256(concat_ws('|', coalesce(getvariable('pseudonimisering_sleutel'),
            error('the pseudonymisation secret is not set on this connection (dagster_project/transform/connection.py)'))
        {%- for column in columns %}, cast({{ column }} as varchar){% endfor %}))
{%- endmacro %}
