{#- Every year from the first year in use (finance, goals, indicators, surveys,
    registrations)
    to four years ahead of today, so that multi-year budgets (meerjarenraming)
    always have their years and every fact's year has its row. -#}
with

years_in_use as (

    select jaar from {{ ref('int_financien__grootboek_current') }}
    union all
    select geldig_van_jaar from {{ ref('doelstellingen') }}
    union all
    select jaar from {{ ref('int_indicatoren__waarden') }}
    union all
    select jaar from {{ ref('int_enquetes__metingen') }}
    union all
    select jaar from {{ ref('int_registraties__jeugdhulp_cijfers') }}
    union all
    select jaar from {{ ref('int_registraties__wmo_cijfers') }}
    union all
    select year(current_date) + 4

),

bounds as (

    select min(jaar) as first_year, max(jaar) as last_year
    from years_in_use

),

years as (

    select unnest(range(first_year, last_year + 1)) as jaar
    from bounds

),

final as (

    select
        cast(jaar as integer) as jaar,
        cast(jaar as varchar) as jaar_label,
        jaar < year(current_date) as is_verstreken,
        jaar = year(current_date) as is_lopend_jaar

    from years

)

select * from final
