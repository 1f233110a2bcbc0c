{#- Every year from var('eerste_jaar') to four years ahead of today, so that
    multi-year budgets (meerjarenraming) always have their years. It reads no
    delivery: a failed check on a source never holds the calendar back. -#}
with

years as (

    select unnest(range({{ var('eerste_jaar') }}, year(current_date) + 5)) as jaar

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
