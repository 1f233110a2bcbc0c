{#- Small cells: a figure resting on fewer persons (respondents, youths, clients) than
    the dbt var min_aantal_publicatie (10, the smallest figure CBS shows) is suppressed:
    every figure of the cell is empty, and it is shown as onderdrukt, never as zero. -#}
{% macro is_onderdrukt(n) -%}
    (({{ n }}) < {{ var('min_aantal_publicatie') }})
{%- endmacro %}

{% macro onderdrukt_weergave(wie) -%}
    'onderdrukt (minder dan {{ var("min_aantal_publicatie") }} {{ wie }})'
{%- endmacro %}
