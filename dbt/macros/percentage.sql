{# A percentage, share or relative change as published: DECIMAL(12, 4), so that it rounds and
   compares the same in every client (DuckDB, PostgreSQL's round(numeric, int), BI tools). #}
{% macro percentage(value) -%}
    cast({{ value }} as decimal(12, 4))
{%- endmacro %}
