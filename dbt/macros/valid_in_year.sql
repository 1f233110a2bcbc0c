{#- A version row (geldig_van_jaar .. geldig_tot_jaar, open-ended when empty) applies to the year. -#}
{% macro valid_in_year(year, version) -%}
    {{ year }} between {{ version }}.geldig_van_jaar and coalesce({{ version }}.geldig_tot_jaar, 9999)
{%- endmacro %}
