{#- Amounts in the marts: euros with cents, DECIMAL(18,2), a type every BI driver reads. -#}
{% macro euro(amount) -%}
    cast({{ amount }} as decimal(18, 2))
{%- endmacro %}
