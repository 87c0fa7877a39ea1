{#- Seed conversion_definitions must name exactly one signup conversion (is_signup): the signup journeys,
    milestones and retention cohorts start at it. -#}
select count(*) as signup_conversions
from {{ ref('conversion_definitions') }}
where is_signup
having count(*) <> 1
