{{ config(enabled=journeys.source_table_enabled('segment', 'aliases')) }}

{#- Label propagation converged: both ends of every alias link belong to one person. A row here means the
    alias chains are longer than var journeys__identity_max_passes can follow: raise it. -#}

with alias_links as (
    select
        previous_user_id,
        user_id
    from {{ ref('stg_segment__aliases') }}
    where previous_user_id is not null and user_id is not null
),

stitched as (
    select
        user_id,
        person_id
    from {{ ref('int_user_ids_stitched') }}
),

final as (
    select
        alias_links.previous_user_id,
        alias_links.user_id,
        'raise var journeys__identity_max_passes' as remedy
    from alias_links
    inner join stitched as previous_person
        on alias_links.previous_user_id = previous_person.user_id
    inner join stitched as current_person
        on alias_links.user_id = current_person.user_id
    where previous_person.person_id != current_person.person_id
)

select * from final
