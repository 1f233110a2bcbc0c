{#- Document presentation: euros to whole thousands of euros, rounded half away
    from zero in exact decimal arithmetic, as the P&C documents show them. -#}
{% macro x1000(amount) -%}
    cast(round(cast({{ amount }} as decimal(38, 2)), -3) / 1000 as bigint)
{%- endmacro %}
