{#- Grain: one row per care period (zorgperiode) of a youth: trajectories merged
    when they overlap or follow within jeugdhulp_max_dagen_tot_vervolgtraject days.
    Ages as bands only. -#}
with

periods as (

    select * from {{ ref('int_registraties__jeugdhulp_zorgperiodes') }}

),

leeftijdsklassen as (

    {{ leeftijdsklasse_per_leeftijd('jeugd') }}

),

measured as (

    select
        periods.*,
        coalesce(periods.einddatum, periods.registratie_einde) as laatste_bekende_dag

    from periods

),

final as (

    select
        measured.zorgperiode_key,
        measured.gemeente_code,
        measured.client_key,
        measured.begindatum,
        measured.einddatum,
        measured.einddatum is null as is_lopend,
        date_diff('day', measured.begindatum, measured.laatste_bekende_dag) + 1 as duur_dagen,
        measured.aantal_trajecten,
        measured.aantal_aanbieders,
        array_to_string(measured.productcategorieen, ', ') as productcategorieen,
        {{ onbekend('begin_klasse.leeftijdsklasse') }} as leeftijdsklasse_begin,
        {{ onbekend('einde_klasse.leeftijdsklasse') }} as leeftijdsklasse_einde,
        measured.geslacht_code,
        measured.wijk_code,
        {{ surrogate_key(['measured.gemeente_code', onbekend('measured.wijk_code')]) }} as wijk_key,
        measured.is_alleen_geboortemaand

    from measured
    left join leeftijdsklassen as begin_klasse
        on begin_klasse.leeftijd = {{ leeftijd('measured.geboortedatum', 'measured.begindatum') }}
    left join leeftijdsklassen as einde_klasse
        on einde_klasse.leeftijd = {{ leeftijd('measured.geboortedatum', 'measured.laatste_bekende_dag') }}

)

select * from final
