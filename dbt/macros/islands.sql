{#- Gaps and islands over date ranges. `relation` has the columns begindatum and
    einddatum (empty = open-ended); within each partition every row gets the
    number of its island (`eiland_nr`, unique within the partition, not
    consecutive). A row continues the island of the rows that started before it
    when the SQL condition `continues` holds; it may use `begindatum` and
    `vorige_einde`, the latest end of all rows that started on an earlier day
    (9999-12-31 when one of them is open-ended), and must hold when the row
    overlaps that day (begindatum <= vorige_einde). Rows that start on the same
    day always share an island, which continues when `continues` holds for any
    of them: where that differs between rows of a day, `first_in_day` orders the
    rows it holds for first (an ORDER BY list). Set-based: two window functions
    over one order, no recursion: the first row of a day sees the rows of
    earlier days only; the rows after it overlap it, so continue. -#}
{% macro number_islands(relation, partition_by, continues, first_in_day=none) -%}
    {%- set partition = partition_by | join(', ') -%}
    select
        *,
        -- A day's rows are peers (RANGE): they share the number its first row gave.
        sum(case when coalesce({{ continues }}, false) then 0 else 1 end) over (
            partition by {{ partition }} order by begindatum
            range between unbounded preceding and current row
        ) as eiland_nr
    from (
        select
            *,
            max(coalesce(einddatum, date '9999-12-31')) over (
                partition by {{ partition }}
                order by begindatum{{ ', ' ~ first_in_day if first_in_day else '' }}
                rows between unbounded preceding and 1 preceding
            ) as vorige_einde
        from {{ relation }}
    )
{%- endmacro %}

{#- The continuation rule of a trajectory or provision cut into pieces by the
    exports (int_registraties__geldigheid): pieces overlap, or a piece whose
    start was cut off by an export boundary starts the day after the other ended. -#}
{% macro continues_same_trajectory() -%}
    (begindatum <= vorige_einde or (is_begin_afgekapt and begindatum = vorige_einde + 1))
{%- endmacro %}

{#- The columns of a trajectory or provision merged from its pieces (grouped by
    its island): first start, last end (empty while a piece runs), the client's
    date of birth, sex and wijk of the latest line, and the lineage of the
    latest line. -#}
{% macro merged_pieces() -%}
        min(begindatum) as begindatum,
        case when bool_or(einddatum is null) then null else max(einddatum) end as einddatum,
        any_value(client_geboortedatum) as geboortedatum,
        any_value(is_alleen_geboortemaand) as is_alleen_geboortemaand,
        arg_max(geslacht_code, (load_id, source_row)) as geslacht_code,
        arg_max(wijk_code, begindatum) filter (where wijk_code is not null) as wijk_code,
        count(*) as aantal_regels,
        max(load_id) as bron_load_id,
        arg_max(file_name, (load_id, source_row)) as bron_bestand,
        arg_max(source_row, (load_id, source_row)) as bron_regel,
        any_value(registratie_einde) as registratie_einde
{%- endmacro %}
