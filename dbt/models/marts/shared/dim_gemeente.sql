with

gemeenten as (

    select * from {{ ref('gemeenten') }}

),

final as (

    select
        gemeente_code,
        gemeente_naam,
        provincie,
        regio

    from gemeenten

)

select * from final
