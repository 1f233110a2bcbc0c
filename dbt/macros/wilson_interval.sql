{#- One bound of the 95% Wilson score interval, in percent, for a proportion p
    (0-1) from n observations; side -1 gives the lower bound, 1 the upper. With
    survey weights, p is the weighted proportion and n the effective n (Kish). -#}
{% macro wilson_bound(p, n, side) -%}
    {%- set p = '(' ~ p ~ ')' -%}
    {%- set n = '(' ~ n ~ ')' -%}
    case when {{ n }} > 0 then 100 * (
        ({{ p }} + 1.959964 ^ 2 / (2 * {{ n }}))
        {{ '-' if side < 0 else '+' }} 1.959964 * sqrt(
            ({{ p }}) * (1 - {{ p }}) / {{ n }}
            + 1.959964 ^ 2 / (4 * {{ n }} ^ 2)
        )
    ) / (1 + 1.959964 ^ 2 / {{ n }}) end
{%- endmacro %}
