{#- The 0.975 quantile of Student's t with df degrees of freedom (df may be
    fractional, e.g. an effective n minus 1), by the Cornish-Fisher expansion
    around the normal quantile (Abramowitz & Stegun 26.7.5). Off by less than
    0.0003 from df 5 upwards and exact to 6 decimals from df 20; NULL below df 5,
    where the expansion is not accurate enough. -#}
{% macro t_quantile_975(df) -%}
    {%- set df = '(' ~ df ~ ')' -%}
    case when {{ df }} >= 5 then
        1.959964
        + (1.959964 ^ 3 + 1.959964) / (4 * {{ df }})
        + (5 * 1.959964 ^ 5 + 16 * 1.959964 ^ 3 + 3 * 1.959964) / (96 * {{ df }} ^ 2)
        + (3 * 1.959964 ^ 7 + 19 * 1.959964 ^ 5 + 17 * 1.959964 ^ 3 - 15 * 1.959964) / (384 * {{ df }} ^ 3)
        + (79 * 1.959964 ^ 9 + 776 * 1.959964 ^ 7 + 1482 * 1.959964 ^ 5 - 1920 * 1.959964 ^ 3 - 945 * 1.959964)
            / (92160 * {{ df }} ^ 4)
    end
{%- endmacro %}
