-- The connector SDK's tables, in the schema "connectors". Every record table keeps the record as a
-- jsonb document beside the columns platforms query, keyed by (instance, stream, record_key);
-- record_key is the JSON array of the record's primary-key values (its _meta.key).

CREATE TABLE instances (
    name          text PRIMARY KEY,
    connector_id  text        NOT NULL,
    document      jsonb       NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE runs (
    instance           text        NOT NULL,
    run_id             text        NOT NULL,
    connector_id       text        NOT NULL,
    state              text        NOT NULL,
    started_at         timestamptz NOT NULL,
    finished_at        timestamptz NOT NULL,
    -- true when the sink committed the run's records with it
    committed          boolean     NOT NULL DEFAULT false,
    complete_snapshots text[]      NOT NULL DEFAULT '{}',
    summary            jsonb       NOT NULL,
    PRIMARY KEY (instance, run_id)
);

CREATE TABLE transitions (
    id        bigserial PRIMARY KEY,
    instance  text        NOT NULL,
    state     text        NOT NULL,
    at        timestamptz NOT NULL,
    run_id    text,
    detail    text        NOT NULL
);
CREATE INDEX transitions_instance ON transitions (instance, id);

CREATE TABLE cursors (
    instance  text  NOT NULL,
    stream    text  NOT NULL,
    cursor    jsonb NOT NULL,
    run_id    text,
    PRIMARY KEY (instance, stream)
);

CREATE TABLE checkpoints (
    instance      text  NOT NULL,
    stream        text  NOT NULL,
    partition_id  text  NOT NULL,
    checkpoint    jsonb NOT NULL,
    PRIMARY KEY (instance, stream, partition_id)
);

CREATE TABLE schedules (
    instance  text PRIMARY KEY,
    document  jsonb NOT NULL
);

CREATE TABLE assets (
    instance           text        NOT NULL,
    stream             text        NOT NULL,
    record_key         text        NOT NULL,
    external_asset_id  text,
    host_name          text,
    document           jsonb       NOT NULL,
    first_seen         timestamptz NOT NULL,
    last_seen          timestamptz NOT NULL,
    gone_at            timestamptz,
    run_id             text        NOT NULL,
    PRIMARY KEY (instance, stream, record_key)
);
CREATE INDEX assets_host_name ON assets (host_name);

CREATE TABLE findings (
    instance             text        NOT NULL,
    stream               text        NOT NULL,
    asset_key            text        NOT NULL,
    external_finding_id  text        NOT NULL,
    external_asset_id    text,
    host_name            text,
    severity             integer,
    status               text        NOT NULL CHECK (status IN ('OPEN', 'FIXED')),
    document             jsonb       NOT NULL,
    first_seen           timestamptz NOT NULL,
    last_seen            timestamptz NOT NULL,
    fixed_at             timestamptz,
    reopened_at          timestamptz,
    run_id               text        NOT NULL,
    PRIMARY KEY (instance, stream, asset_key, external_finding_id)
);
CREATE INDEX findings_open_severity ON findings (severity, host_name) WHERE status = 'OPEN';

CREATE TABLE incidents (
    instance              text        NOT NULL,
    stream                text        NOT NULL,
    record_key            text        NOT NULL,
    external_incident_id  text,
    severity              integer,
    status                text,
    document              jsonb       NOT NULL,
    first_seen            timestamptz NOT NULL,
    last_seen             timestamptz NOT NULL,
    gone_at               timestamptz,
    run_id                text        NOT NULL,
    PRIMARY KEY (instance, stream, record_key)
);

CREATE TABLE detections (
    instance               text        NOT NULL,
    stream                 text        NOT NULL,
    record_key             text        NOT NULL,
    external_detection_id  text,
    external_incident_id   text,
    severity               integer,
    status                 text,
    document               jsonb       NOT NULL,
    first_seen             timestamptz NOT NULL,
    last_seen              timestamptz NOT NULL,
    gone_at                timestamptz,
    run_id                 text        NOT NULL,
    PRIMARY KEY (instance, stream, record_key)
);

-- records of any other model (or of a stream without a transform map)
CREATE TABLE records (
    instance    text        NOT NULL,
    stream      text        NOT NULL,
    record_key  text        NOT NULL,
    document    jsonb       NOT NULL,
    first_seen  timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL,
    gone_at     timestamptz,
    run_id      text        NOT NULL,
    PRIMARY KEY (instance, stream, record_key)
);
