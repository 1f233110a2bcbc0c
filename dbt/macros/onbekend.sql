{#- The code of the "onbekend" member of a dimension (wijk, age band). A fact
    row without a value points at it, so that no key is an orphan. -#}
{% macro onbekend(expression=none) -%}
    {%- if expression is none -%}
        'onbekend'
    {%- else -%}
        coalesce({{ expression }}, 'onbekend')
    {%- endif -%}
{%- endmacro %}
