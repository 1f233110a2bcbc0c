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

{#- The current pieces of the lines of a registration: every line of an export
    cut to the date ranges in which that export counts (int_registraties__geldigheid).
    begindatum and einddatum are the piece's; regel_begindatum and regel_einddatum
    the line's as delivered; is_begin_afgekapt when an earlier export counts for the
    line's first days. The client number is left behind (client_key is its pseudonym); the
    client's date of birth (the first of the month where only year and month are
    known) is the latest current line's; the wijk is resolved to its code. -#}
{% macro current_pieces(lines, registratie) -%}
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
        arg_max(coalesce(lines.geboortedatum, lines.geboortemaand), (lines.load_id, lines.source_row))
            over client as client_geboortedatum,
        arg_max(lines.geboortedatum is null, (lines.load_id, lines.source_row)) over client as is_alleen_geboortemaand,
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
    window client as (partition by lines.gemeente_code, lines.client_key)
{%- endmacro %}

{#- A count as the documents write it: 4.548. -#}
{% macro nl_aantal(n) -%}
    replace(format('{:,}', cast({{ n }} as bigint)), ',', '.')
{%- endmacro %}
