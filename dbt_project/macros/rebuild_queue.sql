{#-
    Incremental rebuilds (issue 4). Each nightly run re-reads only the landed days of its window,
    and every model after staging rebuilds only what those days can change. What to rebuild is
    handed from model to model through a durable queue, audit.rebuild_queue:

        consumer   the model that still has to rebuild (int_posts_queued reads 'facts')
        network    null with post_date null: rebuild everything
        post_date  a UTC day whose rows must be rebuilt
        post_id    set: only this post of that day (a post whose reply or parent was replaced)

    A model enqueues for the next ones and dequeues its own entries inside the transaction that
    writes its rows, so a crash between two models leaves the work queued for the next run, and
    a run that fails a blocking check before the marts leaves the marts' work queued as well.
-#}

{% macro create_rebuild_state() -%}
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
    )
{%- endmacro %}


{% macro rebuild_queue() -%}
    {{ source('carerank_state', 'rebuild_queue') }}
{%- endmacro %}

{#- The state tables as write targets (source() is a subquery under `dbt build --empty`). -#}
{% macro state_table(name) -%}
    {{ return(api.Relation.create(database=target.database, schema='audit', identifier=name)) }}
{%- endmacro %}


{#- Queue entries of one consumer: (network, post_date) pairs, and whether everything is due. -#}
{% macro queued_days(consumer) -%}
    select network, post_date from {{ rebuild_queue() }}
    where consumer = '{{ consumer }}' and post_date is not null and post_id is null
{%- endmacro %}

{#- Single posts queued for the facts: (network, post_id, post_date). -#}
{% macro queued_posts(consumer) -%}
    select network, post_id, post_date from {{ rebuild_queue() }}
    where consumer = '{{ consumer }}' and post_id is not null
{%- endmacro %}

{% macro rebuild_everything(consumer) -%}
    exists (
        select 1 from {{ rebuild_queue() }}
        where consumer = '{{ consumer }}' and post_date is null and post_id is null
    )
{%- endmacro %}

{#- A row (network, post_date) is due for the consumer. -#}
{% macro is_queued(consumer, network='network', post_date='post_date') -%}
    (
        ({{ network }}, {{ post_date }}) in ({{ queued_days(consumer) }})
        or {{ rebuild_everything(consumer) }}
    )
{%- endmacro %}

{% macro enqueue(consumers, days_sql) -%}
    insert into {{ state_table('rebuild_queue') }} (consumer, network, post_date)
    select consumers.consumer, days.network, days.post_date
    from (values {% for c in consumers %}('{{ c }}'){{ ", " if not loop.last }}{% endfor %})
        as consumers (consumer)
    cross join (select distinct network, post_date from ({{ days_sql }})) as days
{%- endmacro %}

{% macro enqueue_everything(consumers) -%}
    {{ enqueue(consumers, "select cast(null as varchar) as network, cast(null as date) as post_date") }}
{%- endmacro %}

{% macro dequeue(consumer=none) -%}
    delete from {{ state_table('rebuild_queue') }}
    where consumer = '{{ consumer or this.identifier }}'
{%- endmacro %}


{#-
    What the stored tables were built with: every var, the code of the project's models and seeds
    (and var project_checksum: the orchestration's checksum of all project files, macros too),
    and the brand registry's rows. When it changes (a new horizon, an edited model,
    a brand moved to another industry), the next run rebuilds everything instead of a window.
-#}
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
            ~ "order by a::varchar), '')) from " ~ ref('stg_brand_accounts') ~ " as a)") -%}
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
    delete from {{ state_table('rebuild_settings') }};
    insert into {{ state_table('rebuild_settings') }} (fingerprint)
    values ('{{ settings_fingerprint() }}')
{%- endmacro %}


{#-
    stg_posts re-reads only the window's landed days when it can: the table exists, the run has
    a window (vars start_date / end_date, as every Dagster run passes) and the settings are those
    the stored tables were built with. Otherwise it re-reads everything and queues a full rebuild.
-#}
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


{#- stg_posts' hooks: clear the window's days (or everything) before the insert; afterwards drop
    any older copy of a post that the window now holds, and queue the days for the facts. -#}
{% macro stg_posts_clear_window() -%}
    {%- if not is_incremental() -%}
        select 1
    {%- elif staging_reads_window() -%}
        {{ enqueue(['facts'], "select network, post_date from " ~ this ~ " where " ~ in_run_window('post_date')) }};
        {#- the posts that the replaced rows reply to, and those replying to them: a reply
            deleted at the source must release the post it answered, however old -#}
        insert into {{ state_table('rebuild_queue') }} (consumer, network, post_date, post_id)
        with replaced as (
            select network, post_id, in_reply_to_post_id from {{ this }}
            where {{ in_run_window('post_date') }}
        ),

        related as (
            select older.network, older.post_date, older.post_id
            from {{ this }} as older
            inner join replaced
                on older.network = replaced.network and older.post_id = replaced.in_reply_to_post_id
            union
            select older.network, older.post_date, older.post_id
            from {{ this }} as older
            inner join replaced
                on older.network = replaced.network and older.in_reply_to_post_id = replaced.post_id
        )

        select 'facts', network, post_date, post_id from related
        where not {{ in_run_window('post_date') }};
        delete from {{ this }} where {{ in_run_window('post_date') }}
    {%- else -%}
        delete from {{ this }}
    {%- endif -%}
{%- endmacro %}

{% macro stg_posts_queue_window() -%}
    {%- if is_incremental() and staging_reads_window() -%}
        delete from {{ this }}
        where
            not {{ in_run_window('post_date') }}
            and (network, post_id) in (
                select network, post_id from {{ this }} where {{ in_run_window('post_date') }}
            );
        {{ enqueue(['facts'], "select network, post_date from " ~ this ~ " where " ~ in_run_window('post_date')) }}
    {%- else -%}
        {{ enqueue_everything(['facts']) }}
    {%- endif -%}
{%- endmacro %}




{#- The ranking's period label of a timestamp or date for a grain: 2024Q1, 2024-01, 2024. -#}
{% macro period_label(period_type, moment) -%}
    case {{ period_type }}
        when 'quarter' then strftime({{ moment }}, '%Y') || 'Q' || quarter({{ moment }})
        when 'month' then strftime({{ moment }}, '%Y-%m')
        else strftime({{ moment }}, '%Y')
    end
{%- endmacro %}


