{#- The productcategorieën of both registrations: iJw for jeugdhulp, iWmo for Wmo maatwerk. -#}
with

jeugdhulp as (

    select * from {{ ref('jeugdhulp_productcategorieen') }}

),

wmo as (

    select * from {{ ref('wmo_productcategorieen') }}

),

categories as (

    select 'jeugdhulp' as registratie, productcategorie, productcategorie_naam, soort, telt_als_jeugdhulp
    from jeugdhulp
    union all
    select 'wmo', productcategorie, productcategorie_naam, soort, null
    from wmo

),

final as (

    select
        {{ surrogate_key(['registratie', 'productcategorie']) }} as productcategorie_key,
        registratie,
        productcategorie,
        productcategorie_naam,
        productcategorie || ' ' || productcategorie_naam as productcategorie_label,
        soort,
        telt_als_jeugdhulp

    from categories

)

select * from final
