{#- Which delivery is current, the one rule for every source: a delivery covers a
    partition (for example gemeente, jaar and fase), and within it the latest
    load replaces every earlier one. Use it in `qualify` to keep the current
    rows, or as a column to flag them. -#}
{% macro is_current_delivery(partition_by) -%}
    load_id = max(load_id) over (partition by {{ partition_by | join(', ') }})
{%- endmacro %}
