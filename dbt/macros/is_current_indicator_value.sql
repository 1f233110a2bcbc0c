{#- Which value of an indicator is current for its gemeente, jaar and waardetype:
    the one computed from microdata if there is one, else the one with the latest
    peildatum, then the latest load and line. -#}
{% macro is_current_indicator_value() -%}
    row_number() over (
        partition by gemeente_code, indicator_code, jaar, waardetype
        order by is_microdata desc, peildatum desc, load_id desc nulls last, source_row desc
    ) = 1
{%- endmacro %}
