{#-
    The fingerprint (an md5 over their rows, or over their `columns`) of the definition seeds `seed_names` that
    an incremental model matches events against, as a SQL string literal: the model stores it in a column
    `definitions_fingerprint`.
    The stored matches follow the definitions of the run that made them, so when an incremental run finds a
    stored fingerprint other than the seeds' current one, it stops with a message naming the seeds and the
    command that rebuilds the model, rather than mixing matches of old and new definitions.
-#}
{% macro definitions_fingerprint(seed_names, columns=none) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return("'not computed'") }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for seed_name in seed_names -%}
        {%- do parts.append(journeys.seed_rows_text(seed_name, columns)) -%}
    {%- endfor -%}
    {%- set fingerprint = local_md5(parts | join('/')) -%}
    {%- if is_incremental() -%}
        {%- set stored = run_query('select distinct definitions_fingerprint from ' ~ this).columns[0].values() -%}
        {%- if stored | reject('equalto', fingerprint) | list | length > 0 -%}
            {{ exceptions.raise_compiler_error(
                "journeys: seed " ~ (seed_names | join(' or ')) ~ " changed since " ~ this.identifier
                ~ " stored its matches, which follow the old definitions. Rebuild it and what reads it: "
                ~ "dbt build --full-refresh --select " ~ this.identifier ~ "+") }}
        {%- endif -%}
    {%- endif -%}
    {{ return("'" ~ fingerprint ~ "'") }}
{%- endmacro %}

{#- The rows of seed `seed_name` (its `columns`, default all) as one text, in a stable order: what a fingerprint of
    the seed is taken over. -#}
{% macro seed_rows_text(seed_name, columns=none) -%}
    {%- set rows = [] -%}
    {%- set query = 'select ' ~ (columns | join(', ') if columns else '*') ~ ' from ' ~ ref(seed_name) -%}
    {%- for row in run_query(query).rows -%}
        {%- do rows.append(row.values() | map('string') | join('|')) -%}
    {%- endfor -%}
    {{ return(seed_name ~ ':' ~ (rows | sort | join(';'))) }}
{%- endmacro %}
