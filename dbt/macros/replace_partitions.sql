{#- Incremental strategy `replace_partitions`: the new rows replace every row of
    the partitions they cover; `unique_key` names the partition's columns. The
    rule of supersession (a delivery replaces its partitions as a whole) applied
    to a table. A semi-join, so that a partition of a million rows costs a
    million comparisons, not a million times its new rows. -#}
{% macro get_incremental_replace_partitions_sql(arg_dict) -%}
    {%- set target, source = arg_dict["target_relation"], arg_dict["temp_relation"] -%}
    {%- set columns = get_quoted_csv(arg_dict["dest_columns"] | map(attribute="name")) -%}
    delete from {{ target }} as existing
    where exists (
        select 1
        from {{ source }} as delivered
        where
        {%- for column in arg_dict["unique_key"] %}
            delivered.{{ column }} = existing.{{ column }}{{ " and" if not loop.last }}
        {%- endfor %}
    );

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ source }}
{%- endmacro %}
