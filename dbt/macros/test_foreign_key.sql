{#- Generic test that also declares the relationship: every non-empty value of
    the column is a key of `to` (no orphan keys). The publication creates a
    FOREIGN KEY from every foreign_key test (dagster_project/publication/keys.py);
    a plain `relationships` test checks integrity without publishing a
    relationship (dimension to dimension, where it would give BI tools a second
    path). -#}
{% test foreign_key(model, column_name, to, field) %}
select child.{{ column_name }} as orphan_key, count(*) as n_rows
from {{ model }} as child
left join {{ to }} as parent
    on parent.{{ field }} = child.{{ column_name }}
where child.{{ column_name }} is not null
    and parent.{{ field }} is null
group by child.{{ column_name }}
{% endtest %}
