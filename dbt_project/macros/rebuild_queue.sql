{#- The durable queue that hands incremental work from model to model, and the settings the
    stored tables were built with. Each macro is described in _macros.yml. -#}

{% macro create_rebuild_state() -%}
    {{ return(adapter.dispatch('create_rebuild_state')()) }}
{%- endmacro %}
{% macro default__create_rebuild_state() -%}
    create schema if not exists audit;
    create table if not exists audit.rebuild_queue (
        consumer varchar not null,
        network varchar,
        post_date date,
        post_id varchar,
        queued_at timestamp with time zone default current_timestamp
    );
    alter table audit.rebuild_queue add column if not exists post_id varchar;
    create table if not exists audit.rebuild_settings (
        fingerprint varchar not null,
        recorded_at timestamp with time zone default current_timestamp
    );
    {%- set readers = queue_readers() | map(attribute='alias') | list %}
    {%- if readers %}
        delete from audit.rebuild_queue
        where consumer not in ('{{ readers | join("', '") }}');
    {%- endif %}
{%- endmacro %}
{% macro spark__create_rebuild_state() -%}
    {#- one statement per call on Spark. Every Spark build rebuilds everything (macro
        batch_strategy): the queue starts empty, and only holds what this build queues -#}
    {%- if execute -%}
        {%- do run_query('create schema if not exists audit') -%}
        {%- do run_query(
            'create table if not exists audit.rebuild_queue (consumer string, network string, '
            ~ 'post_date date, post_id string, queued_at timestamp) using parquet') -%}
        {%- do run_query('truncate table audit.rebuild_queue') -%}
        {%- do run_query(
            'create table if not exists audit.rebuild_settings (fingerprint string, '
            ~ 'recorded_at timestamp) using parquet') -%}
    {%- endif -%}
    {{ create_landing_tables() }}
{%- endmacro %}

{% macro state_table(name) -%}
    {{ return(api.Relation.create(database=target.get('database'), schema='audit', identifier=name)) }}
{%- endmacro %}


{% macro queue_name() -%}
    {%- if model.resource_type == 'unit_test' -%}
        {{ return(model.tested_node_unique_id.split('.')[-1]) }}
    {%- endif -%}
    {{ return(this.identifier) }}
{%- endmacro %}

{% macro queue_readers() -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set queue = 'source.' ~ project_name ~ '.carerank_state.rebuild_queue' -%}
    {%- set readers = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='unique_id')
            if node.resource_type == 'model' and queue in node.depends_on.nodes -%}
        {%- do readers.append(node) -%}
    {%- endfor -%}
    {{ return(readers) }}
{%- endmacro %}

{% macro queue_consumers() -%}
    {%- set readers = [] -%}
    {%- for node in queue_readers() if model.unique_id in node.depends_on.nodes -%}
        {%- do readers.append(node) -%}
    {%- endfor -%}
    {%- set ids = readers | map(attribute='unique_id') | list -%}
    {%- set consumers = [] -%}
    {%- for node in readers if not (node.depends_on.nodes | select('in', ids) | list) -%}
        {%- do consumers.append(node.alias) -%}
    {%- endfor -%}
    {{ return(consumers) }}
{%- endmacro %}


{% macro queued_days(consumer=none) -%}
    select network, post_date from {{ source('carerank_state', 'rebuild_queue') }}
    where consumer = '{{ consumer or queue_name() }}' and post_date is not null and post_id is null
{%- endmacro %}

{% macro rebuild_everything(consumer=none) -%}
    exists (
        select 1 from {{ source('carerank_state', 'rebuild_queue') }}
        where consumer = '{{ consumer or queue_name() }}' and post_date is null and post_id is null
    )
{%- endmacro %}

{% macro is_queued(network='network', post_date='post_date', consumer=none) -%}
    (
        ({{ network }}, {{ post_date }}) in ({{ queued_days(consumer) }})
        or {{ rebuild_everything(consumer) }}
    )
{%- endmacro %}

{% macro enqueue(consumers, rows=none, columns=['network', 'post_date']) -%}
    {%- if consumers | length == 0 -%}
        select 1
    {%- else -%}
        insert into {{ state_table('rebuild_queue') }} (consumer, {{ columns | join(', ') }})
        select
            consumers.consumer,
            {% for column in columns -%}
                queued.{{ column }}{{ ',' if not loop.last }}
            {% endfor -%}
        from (values ('{{ consumers | join("'), ('") }}')) as consumers (consumer)
        cross join (
            select distinct *
            from ({{ rows or 'select cast(null as ' ~ dbt.type_string() ~ ') as network, cast(null as date) as post_date' }}) as queued_rows
        ) as queued
    {%- endif -%}
{%- endmacro %}

{% macro dequeue(consumer=none) -%}
    {{ return(adapter.dispatch('dequeue')(consumer)) }}
{%- endmacro %}
{% macro spark__dequeue(consumer) -%}
    {#- Parquet tables cannot be deleted from; the next Spark build starts with an empty queue -#}
{%- endmacro %}
{% macro default__dequeue(consumer) -%}
    delete from {{ state_table('rebuild_queue') }}
    where consumer = '{{ consumer or queue_name() }}'
{%- endmacro %}


{% macro settings_fingerprint() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {#- every var that shapes the rules, hashed by the orchestration's one dbt call builder -#}
    {%- set parts = [tojson(var('rules_checksum'))] -%}
    {%- for node in graph.nodes.values() | sort(attribute='unique_id') -%}
        {%- if node.package_name == project_name and node.resource_type in ['model', 'seed'] -%}
            {%- do parts.append(node.unique_id ~ ':' ~ node.checksum.checksum) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- macros are not in the graph: the orchestration passes a checksum of the project's files -#}
    {%- do parts.append(tojson(var('project_checksum'))) -%}
    {%- set registry = run_query(
            "select (select md5(coalesce(string_agg(b::varchar, '|' order by b::varchar), '')) from "
            ~ ref('stg_brands') ~ " as b) || (select md5(coalesce(string_agg(a::varchar, '|' "
            ~ "order by a::varchar), '')) from " ~ ref('stg_brand_accounts') ~ " as a) || "
            ~ "(select md5(coalesce(string_agg(h::varchar, '|' order by h::varchar), '')) from "
            ~ ref('stg_public_holidays') ~ " as h)") -%}
    {%- do parts.append(registry.columns[0].values()[0]) -%}
    {{- return(local_md5(parts | join('\n'))) -}}
{%- endmacro %}

{% macro settings_changed() -%}
    {%- set stored = load_relation(state_table('rebuild_settings')) -%}
    {%- if stored is none -%}{{ return(true) }}{%- endif -%}
    {%- set result = run_query("select fingerprint from " ~ stored ~ " order by recorded_at desc limit 1") -%}
    {%- if result.rows | length == 0 -%}{{ return(true) }}{%- endif -%}
    {{- return(result.rows[0][0] != settings_fingerprint()) -}}
{%- endmacro %}

{% macro record_settings() -%}
    {{ return(adapter.dispatch('record_settings')()) }}
{%- endmacro %}
{% macro spark__record_settings() -%}
    {#- nothing reads them: a Spark build rebuilds everything whatever the settings -#}
{%- endmacro %}
{% macro default__record_settings() -%}
    delete from {{ state_table('rebuild_settings') }};
    insert into {{ state_table('rebuild_settings') }} (fingerprint)
    values ('{{ settings_fingerprint() }}')
{%- endmacro %}


{% macro staging_reads_window() -%}
    {{- return(
        is_incremental()
        and var('start_date') is not none
        and var('end_date') is not none
        and not settings_changed()
    ) -}}
{%- endmacro %}

{% macro in_run_window(column) -%}
    {{ column }} between cast('{{ var("start_date") }}' as date) and cast('{{ var("end_date") }}' as date)
{%- endmacro %}


{% macro stg_posts_queue_replaced() -%}
    {%- if is_incremental() and staging_reads_window() -%}
        {%- set replaced -%}
            select network, post_date, post_id, in_reply_to_post_id from {{ this }}
            where {{ in_run_window('post_date') }}
        {%- endset -%}
        {%- set related -%}
            select older.network, older.post_date, older.post_id
            from {{ this }} as older
            inner join ({{ replaced }}) as replaced
                on older.network = replaced.network and older.post_id = replaced.in_reply_to_post_id
            where not {{ in_run_window('older.post_date') }}
            union
            select older.network, older.post_date, older.post_id
            from {{ this }} as older
            inner join ({{ replaced }}) as replaced
                on older.network = replaced.network and older.in_reply_to_post_id = replaced.post_id
            where not {{ in_run_window('older.post_date') }}
        {%- endset -%}
        {{ enqueue(queue_consumers(), 'select network, post_date from (' ~ replaced ~ ')') }};
        {{ enqueue(queue_consumers(), related, ['network', 'post_date', 'post_id']) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{% macro stg_posts_queue_window() -%}
    {%- if is_incremental() and staging_reads_window() -%}
        {{ enqueue(queue_consumers(), 'select network, post_date from ' ~ this ~ ' where ' ~ in_run_window('post_date')) }}
    {%- else -%}
        {{ enqueue(queue_consumers()) }}
    {%- endif -%}
{%- endmacro %}


{% macro fct_customer_posts_queue_changes() -%}
    {%- if not is_incremental() -%}
        {{ enqueue(queue_consumers()) }}
    {%- else -%}
        {%- set batch = ref('int_posts_queued') -%}
        {%- set changed_days -%}
            select posts.network, posts.post_date
            from {{ batch }} as batch
            inner join {{ ref('stg_posts') }} as posts
                on batch.network = posts.network and batch.post_id = posts.post_id
            union all
            {{ queued_days(batch.identifier) }}
            union all
            select null, null where {{ rebuild_everything(batch.identifier) }}
            union all
            select facts.network, facts.post_date
            from {{ this }} as facts
            inner join ({{ observation_times() }}) as observation
                on facts.network = observation.network
            where {{ status_moves('facts', 'observation') }}
        {%- endset -%}
        {{ enqueue(queue_consumers(), changed_days) }}
    {%- endif -%}
{%- endmacro %}
