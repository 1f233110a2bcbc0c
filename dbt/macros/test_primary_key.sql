{#- Generic test that also declares the key: the column (or the combination of
    `columns`) is unique and never empty. The publication creates a PRIMARY KEY
    from every primary_key test (dagster_project/publication/keys.py). -#}
{% test primary_key(model, column_name=none, columns=none) %}
{%- set key = columns if columns else [column_name] -%}
select {{ key | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ key | join(', ') }}
having count(*) > 1 or {% for column in key %}{{ column }} is null{{ ' or ' if not loop.last }}{% endfor %}
{% endtest %}
