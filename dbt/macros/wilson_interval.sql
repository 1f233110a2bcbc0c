{#- Bound of the 95% Wilson score interval for a proportion of `successes` out of `n`,
    in percent. `side` is -1 for the lower and +1 for the upper bound. -#}
{% macro wilson_bound(successes, n, side) -%}
    case when {{ n }} > 0 then 100 * (
        ({{ successes }} / {{ n }} + 1.959964 ^ 2 / (2 * {{ n }}))
        {{ '-' if side < 0 else '+' }} 1.959964 * sqrt(
            ({{ successes }} / {{ n }}) * (1 - {{ successes }} / {{ n }}) / {{ n }}
            + 1.959964 ^ 2 / (4 * {{ n }} ^ 2)
        )
    ) / (1 + 1.959964 ^ 2 / {{ n }}) end
{%- endmacro %}
