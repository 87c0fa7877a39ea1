{#- Every conversion hands out exactly 1 in every attribution model (within 1e-9), and its attributed values sum to
    its value; a row here is a conversion and model that do not. -#}

with totals as (
    select
        conversion_id,
        model,
        max(conversion_value) as conversion_value,
        sum(credit) as credits,
        sum(attributed_value) as attributed_value
    from {{ ref('fct_attribution_credits') }}
    group by conversion_id, model
),

final as (
    select *
    from totals
    where
        abs(credits - 1) > 1e-9
        or abs(coalesce(attributed_value, 0) - coalesce(conversion_value, 0))
        > 1e-9 * (1 + abs(coalesce(conversion_value, 0)))
)

select * from final
