{#- Names are compared ignoring case and repeated spaces (same rule as the loaders). -#}
{% macro name_key(expression) -%}
    lower(regexp_replace(trim({{ expression }}), '\s+', ' ', 'g'))
{%- endmacro %}
