{#- A pseudonym for a respondent: sha256 of a secret and the natural key. Without
    the secret (environment variable WAREHOUSE_PSEUDONIMISERING_SLEUTEL) nobody can
    recompute it from a respondent number, unlike a plain hash of a guessable
    number. The default is for the sample data only; keep the production secret
    stable, since a new secret gives every respondent a new key. -#}
{% macro pseudonym(columns) -%}
    {%- set secret = env_var('WAREHOUSE_PSEUDONIMISERING_SLEUTEL', 'alleen-voor-voorbeelddata') -%}
    sha256(concat_ws('|', '{{ secret | replace("'", "''") }}'
        {%- for column in columns %}, cast({{ column }} as varchar){% endfor %}))
{%- endmacro %}
