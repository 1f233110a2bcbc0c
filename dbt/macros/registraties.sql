{#- Age in whole years on a day. Someone born on 29 February is a year older on
    28 February in other years (DuckDB's date arithmetic, also used for the 23rd
    birthday). -#}
{% macro leeftijd(geboortedatum, dag) -%}
    date_sub('year', {{ geboortedatum }}, {{ dag }})
{%- endmacro %}

{#- The last day on which someone counts as a youth for jeugdhulp: the day before
    the birthday of dbt var jeugdhulp_tot_leeftijd (23). -#}
{% macro laatste_jeugddag(geboortedatum) -%}
    (cast({{ geboortedatum }} + interval ({{ var('jeugdhulp_tot_leeftijd') }}) year as date) - 1)
{%- endmacro %}

{#- The age bands of an indeling (seed leeftijdsklassen), one row per age in whole
    years (an open band up to 200): joined on the age with an equi-join, which
    is a hash join where a BETWEEN join sorts every row. -#}
{% macro leeftijdsklasse_per_leeftijd(indeling) -%}
    select leeftijdsklasse, unnest(range(van_leeftijd, coalesce(tot_leeftijd, 200) + 1)) as leeftijd
    from {{ ref('leeftijdsklassen') }}
    where indeling = '{{ indeling }}'
{%- endmacro %}

{#- The distinct values of `column` in a group, sorted, NULLs left out; `where`
    filters the rows as FILTER (WHERE ...) does. The same as list(distinct column
    order by column), without the aggregation and join DuckDB adds for each
    DISTINCT aggregate. -#}
{% macro sorted_distinct_list(column, where=none) -%}
    list_sort(list_distinct(list({{ column }}){% if where %} filter (where {{ where }}){% endif %}))
{%- endmacro %}

{#- The current pieces of the lines of a registration: every line of an export
    cut to the date ranges in which that export counts (int_registraties__geldigheid).
    begindatum and einddatum are the piece's; regel_begindatum and regel_einddatum
    the line's as delivered; is_begin_afgekapt when an earlier export counts for the
    line's first days. The client number is left behind (client_key is its pseudonym); the
    client's date of birth (the first of the month where only year and month are
    known) is the latest current line's; the wijk is resolved to its code. -#}
{% macro current_pieces(lines, registratie) -%}
    with

    pieces as (

    select
        lines.* exclude (begindatum, einddatum, client_id),
        lines.begindatum as regel_begindatum,
        lines.einddatum as regel_einddatum,
        greatest(lines.begindatum, coalesce(geldigheid.geldig_van, lines.begindatum)) as begindatum,
        case
            when lines.einddatum is null and geldigheid.geldig_tot is null then null
            else least(coalesce(lines.einddatum, geldigheid.geldig_tot), coalesce(geldigheid.geldig_tot, lines.einddatum))
        end as einddatum,
        coalesce(lines.begindatum < geldigheid.geldig_van, false) as is_begin_afgekapt,
        wijken.wijk_code,
        exports.registratie_einde
    from {{ lines }} as lines
    inner join {{ ref('int_registraties__geldigheid') }} as geldigheid
        on geldigheid.registratie = '{{ registratie }}'
        and geldigheid.gemeente_code = lines.gemeente_code
        and geldigheid.load_id = lines.load_id
        and lines.begindatum <= coalesce(geldigheid.geldig_tot, date '9999-12-31')
        and coalesce(lines.einddatum, date '9999-12-31') >= coalesce(geldigheid.geldig_van, date '0001-01-01')
    inner join {{ ref('int_registraties__leveringen') }} as exports
        on exports.registratie = '{{ registratie }}'
        and exports.gemeente_code = lines.gemeente_code
        and exports.load_id = lines.load_id
    left join (
        -- A wijk is delivered by name (case and spaces ignored) or by code: one key per spelling, an equi-join.
        select gemeente_code, wijk_code, name_key(wijk_naam) as sleutel from {{ ref('wijken') }}
        union
        select gemeente_code, wijk_code, lower(wijk_code) from {{ ref('wijken') }}
    ) as wijken
        on wijken.gemeente_code = lines.gemeente_code
        and wijken.sleutel = name_key(lines.wijk)

    ),

    -- Per client (a hash aggregate and join: a window over the client would sort every piece).
    clients as (

    select
        gemeente_code,
        client_key,
        arg_max(coalesce(geboortedatum, geboortemaand), (load_id, source_row)) as client_geboortedatum,
        arg_max(geboortedatum is null, (load_id, source_row)) as is_alleen_geboortemaand
    from pieces
    group by gemeente_code, client_key

    )

    select
        pieces.*,
        clients.client_geboortedatum,
        clients.is_alleen_geboortemaand
    from pieces
    inner join clients
        on clients.gemeente_code = pieces.gemeente_code
        and clients.client_key = pieces.client_key
{%- endmacro %}

{#- A count as the documents write it: 4.548. -#}
{% macro nl_aantal(n) -%}
    replace(format('{:,}', cast({{ n }} as bigint)), ',', '.')
{%- endmacro %}
