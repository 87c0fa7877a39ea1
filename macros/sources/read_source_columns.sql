{#-
    Reads a raw vendor table by a column spec, so that staging works whatever optional columns the
    loader has created so far (Segment adds a column only when a property is first sent).

    `spec` is a list of dicts: name (the vendor's column name), type ('string', 'timestamp', 'number',
    'integer' or 'boolean'), required (default false) and aliases (other names the column goes by).
    Returns a dict: name -> SQL expression of the column with the spec's type. An absent optional column
    reads as a typed NULL; an absent required column, or an absent table, stops the run with a message
    naming the table and column. Text columns are parsed safely (a bad value reads as NULL), timestamps
    come out in UTC without time zone, and empty strings read as NULL. For each timestamp column the dict
    also has `<name>__is_present`: true when the raw value was there at all, parseable or not.
-#}
{% macro read_source_columns(relation, spec) -%}
    {%- set resolved = {} -%}
    {%- if not execute -%}
        {%- for column in spec -%}
            {%- do resolved.update({column.name: 'null'}) -%}
            {%- if column.type == 'timestamp' -%}
                {%- do resolved.update({column.name ~ '__is_present': 'false'}) -%}
            {%- endif -%}
        {%- endfor -%}
        {{ return(resolved) }}
    {%- endif -%}

    {%- set found = {} -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do found.update({column.name | lower: column}) -%}
    {%- endfor -%}
    {%- if found | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "journeys: source table " ~ relation ~ " was not found (or has no columns). Load it, point the "
            ~ "source's schema var (journeys__segment_schema / journeys__snowplow_schema) at the schema that "
            ~ "holds it, or switch the source off (journeys__segment_enabled / journeys__snowplow_enabled).") }}
    {%- endif -%}

    {%- for column in spec -%}
        {%- set match = namespace(column=none) -%}
        {%- for candidate in [column.name] + column.get('aliases', []) -%}
            {%- if match.column is none and (candidate | lower) in found -%}
                {%- set match.column = found[candidate | lower] -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set raw = match.column -%}
        {%- if raw is none and column.get('required', false) -%}
            {{ exceptions.raise_compiler_error(
                "journeys: source table " ~ relation ~ " has no column '" ~ column.name ~ "', which journeys "
                ~ "requires (" ~ column.type ~ "). Columns found: " ~ (found.keys() | sort | join(', '))) }}
        {%- endif -%}
        {%- if raw is none -%}
            {%- do resolved.update({column.name: journeys.typed_null(column.type)}) -%}
            {%- if column.type == 'timestamp' -%}
                {%- do resolved.update({column.name ~ '__is_present': 'false'}) -%}
            {%- endif -%}
        {%- else -%}
            {%- set quoted = adapter.quote(raw.name) -%}
            {%- set is_text = journeys.is_text_type(raw.data_type) -%}
            {%- do resolved.update({column.name: journeys.typed_source_column(quoted, raw.data_type, column.type)}) -%}
            {%- if column.type == 'timestamp' -%}
                {%- set present = "nullif(trim(" ~ quoted ~ "), '') is not null" if is_text else quoted ~ " is not null" -%}
                {%- do resolved.update({column.name ~ '__is_present': present}) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(resolved) }}
{%- endmacro %}


{% macro is_text_type(data_type) -%}
    {%- set lowered = data_type | lower -%}
    {{ return('char' in lowered or 'text' in lowered or 'string' in lowered) }}
{%- endmacro %}


{% macro typed_null(type_name) -%}
    {%- set sql_types = {
        'string': dbt.type_string(),
        'timestamp': dbt.type_timestamp(),
        'number': dbt.type_float(),
        'integer': dbt.type_bigint(),
        'boolean': dbt.type_boolean(),
    } -%}
    {{ return('cast(null as ' ~ sql_types[type_name] ~ ')') }}
{%- endmacro %}


{#- One raw column as the spec's type, given the type the warehouse reports for it. -#}
{% macro typed_source_column(quoted, data_type, type_name) -%}
    {%- set lowered = data_type | lower -%}
    {%- set is_text = journeys.is_text_type(data_type) -%}
    {%- if type_name == 'string' -%}
        {%- set expression = quoted if is_text else 'cast(' ~ quoted ~ ' as ' ~ dbt.type_string() ~ ')' -%}
        {{ return("nullif(" ~ expression ~ ", '')") }}
    {%- elif type_name == 'timestamp' and is_text -%}
        {{ return(journeys.safe_parse_timestamp(quoted)) }}
    {%- elif type_name == 'timestamp' and ('time zone' in lowered or 'tz' in lowered) and 'without' not in lowered -%}
        {{ return(journeys.to_utc_timestamp(quoted)) }}
    {%- elif type_name == 'timestamp' -%}
        {{ return('cast(' ~ quoted ~ ' as ' ~ dbt.type_timestamp() ~ ')') }}
    {%- elif type_name in ('number', 'integer') and is_text -%}
        {%- set number = journeys.safe_cast_number(quoted) -%}
        {{ return(number if type_name == 'number' else 'cast(' ~ number ~ ' as ' ~ dbt.type_bigint() ~ ')') }}
    {%- elif type_name == 'number' -%}
        {{ return('cast(' ~ quoted ~ ' as ' ~ dbt.type_float() ~ ')') }}
    {%- elif type_name == 'integer' -%}
        {{ return('cast(' ~ quoted ~ ' as ' ~ dbt.type_bigint() ~ ')') }}
    {%- elif type_name == 'boolean' and is_text -%}
        {{ return("case when lower(trim(" ~ quoted ~ ")) in ('true', 't', '1', 'yes') then true"
            ~ " when lower(trim(" ~ quoted ~ ")) in ('false', 'f', '0', 'no') then false end") }}
    {%- else -%}
        {{ return('cast(' ~ quoted ~ ' as ' ~ dbt.type_boolean() ~ ')') }}
    {%- endif -%}
{%- endmacro %}
