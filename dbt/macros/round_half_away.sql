{#- Rounds half away from zero, in exact decimal arithmetic, as Dutch presentation
    and the documents do: 31,25 -> 31,3 and 1.312,5 -> 1.313. A DOUBLE is first
    fixed at 10 decimals, which drops binary noise (a 31,25 computed as
    31.249999999999996 is a tie again). DuckDB's round() takes a constant number
    of decimals; a column (0 to 4) gets one branch per value, each as DECIMAL(38, 4),
    the precision of the marts. -#}
{% macro round_half_away(value, decimals) -%}
    {%- if decimals is number -%}
        round(cast({{ value }} as decimal(38, 10)), {{ decimals }})
    {%- else -%}
        case {{ decimals }}
            {%- for d in range(5) %}
            when {{ d }} then cast(round(cast({{ value }} as decimal(38, 10)), {{ d }}) as decimal(38, 4))
            {%- endfor %}
        end
    {%- endif -%}
{%- endmacro %}
