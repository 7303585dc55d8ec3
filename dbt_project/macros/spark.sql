{#- What the spark target needs besides the dispatched expressions: the landing zone as tables,
    and DuckDB's type names in Spark's words where dbt's own macros take them verbatim (the
    contracts' data types, the seeds' column types). Each macro is described in _macros.yml. -#}

{% macro create_landing_tables() -%}
    {#- Spark has no DuckDB file holding the views over the landing zone (ingestion/warehouse.py):
        raw.posts is an external table over the same Parquet files (var landing_dir), and a
        user's registry files (vars brands_file, accounts_file, holidays_file) are CSV tables
        raw.registry_<seed>, all text as DuckDB reads them -#}
    {%- if execute -%}
        {%- set landing = var('landing_dir') -%}
        {%- if not landing -%}
            {{ exceptions.raise_compiler_error("the spark target reads the landing zone: set var landing_dir") }}
        {%- endif -%}
        {%- do run_query('create schema if not exists raw') -%}
        {%- do run_query('drop table if exists raw.posts') -%}
        {%- do run_query(
            "create table raw.posts using parquet options (path " ~ spark_path(landing ~ '/posts')
            ~ ", recursiveFileLookup 'true', mergeSchema 'true')") -%}
        {%- for seed_name, file_var in [
                ('brands', 'brands_file'),
                ('brand_accounts', 'accounts_file'),
                ('public_holidays', 'holidays_file')] if var(file_var) -%}
            {%- do run_query('drop table if exists raw.registry_' ~ seed_name) -%}
            {%- do run_query(
                'create table raw.registry_' ~ seed_name ~ ' using csv options (path '
                ~ spark_path(var(file_var)) ~ ", header 'true')") -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}

{% macro spark_path(path) -%}
    {#- a file path as a string literal (read raw: no escaping, so no quote in it) -#}
    {%- if "'" in path | string -%}
        {{ exceptions.raise_compiler_error("a path the spark target reads holds a quote: " ~ path) }}
    {%- endif -%}
    {{- return("'" ~ path ~ "'") -}}
{%- endmacro %}

{% macro spark_type(data_type) -%}
    {#- the models' type names (DuckDB's and PostgreSQL's) as Spark names them -#}
    {%- set name = data_type | trim | lower -%}
    {{- return({
        'text': 'string',
        'varchar': 'string',
        'text[]': 'array<string>',
        'varchar[]': 'array<string>',
        'float8': 'double',
        'double precision': 'double',
        'timestamp': 'timestamp_ntz',
    }.get(name, data_type)) -}}
{%- endmacro %}

{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ spark_type(type) }})
{%- endmacro %}

{% macro spark__create_csv_table(model, agate_table) -%}
    {%- set column_types = model['config'].get('column_types', {}) -%}
    {%- for column, data_type in column_types.items() -%}
        {%- do column_types.update({column: spark_type(data_type)}) -%}
    {%- endfor -%}
    {{ return(dbt.spark__create_csv_table(model, agate_table)) }}
{%- endmacro %}

{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {#- dbt-spark's own counts whole seconds and fails on a null; timestampadd does neither -#}
    timestampadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}

{% macro spark_pattern(pattern, case_insensitive=false) -%}
    {#- A regular expression written as DuckDB reads it (a string literal, backslashes as they
        are), as a Spark string literal of the same Java pattern: backslashes doubled, as Spark
        unescapes its literals; a POSIX class in Java's spelling; case-insensitive beyond ASCII
        (ä, ü) as DuckDB's 'i' is -#}
    {%- set body = pattern | trim -%}
    {%- if body[0] != "'" or body[-1] != "'" -%}
        {{ exceptions.raise_compiler_error("a pattern is a string literal, not " ~ pattern) }}
    {%- endif -%}
    {%- set body = body[1:-1] | replace('[:alpha:]', '\\p{Alpha}') | replace('\\', '\\\\') -%}
    {{- return("'" ~ ('(?iu)' if case_insensitive else '') ~ body ~ "'") -}}
{%- endmacro %}

{% macro spark__load_csv_rows(model, agate_table) -%}
    {#- dbt-spark's session connection puts a seed's values into its statement without escaping
        their quotes (New Year's Day): here they are written as escaped literals -#}
    {%- set column_types = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    {%- set name = agate_table.column_names[loop.index0] -%}
                    {%- set type = spark_type(column_types.get(name, adapter.convert_type(agate_table, loop.index0))) -%}
                    cast({{ spark_literal(value) }} as {{ type }}){{ ', ' if not loop.last }}
                {%- endfor -%}){{ ',' if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) if loop.first -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{%- endmacro %}

{% macro spark_literal(value) -%}
    {#- a value as a Spark string literal (Spark unescapes backslashes in its literals) -#}
    {%- if value is none -%}
        {{- return('null') -}}
    {%- endif -%}
    {{- return("'" ~ (value | string | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'") -}}
{%- endmacro %}

{% macro spark__persist_constraints(relation, model) -%}
    {#- Parquet tables hold no constraints (dbt-spark would alter their columns to not null, which
        only Delta tables allow): the contracts' names and types are still checked -#}
{%- endmacro %}
