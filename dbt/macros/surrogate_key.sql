{#- A single-column key for BI tools: md5 of the natural key parts. -#}
{% macro surrogate_key(columns) -%}
    md5(concat_ws('|'{% for column in columns %}, coalesce(cast({{ column }} as varchar), '<null>'){% endfor %}))
{%- endmacro %}
