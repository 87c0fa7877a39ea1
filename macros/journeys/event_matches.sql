{#- Whether the event (columns of the canonical stream, prefixed `event`) is one that the definition row (the
    matcher columns of seeds conversion_definitions, milestone_definitions and funnel_definitions, prefixed
    `definition`) recognises: its event type, if given, is the event's, and the event's name is one of its
    `|`-separated event_names or its event_category (and event_action, if given) is the structured event's, and
    the property filter, if any, passes (property_column like property_value). A join condition: definitions
    are few, so engines run it as a small nested loop over the events. -#}
{% macro event_matches(event='events', definition='definitions') -%}
    ({{ definition }}.event_type is null or {{ event }}.event_type = {{ definition }}.event_type)
    and (
        {{ dbt.position(
            dbt.concat(["'|'", event ~ ".event_name", "'|'"]),
            dbt.concat(["'|'", definition ~ ".event_names", "'|'"])
        ) }} > 0
        or (
            {{ event }}.event_category = {{ definition }}.event_category
            and ({{ definition }}.event_action is null or {{ event }}.event_action = {{ definition }}.event_action)
        )
    )
    and (
        {{ definition }}.property_column is null
        or case {{ definition }}.property_column
            when 'page_path' then {{ event }}.page_path
            when 'page_url' then {{ event }}.page_url
            when 'page_title' then {{ event }}.page_title
            when 'event_property' then {{ event }}.event_property
        end like {{ definition }}.property_value
    )
{%- endmacro %}
