-- sipvane cluster store: the tenant data every router of a cluster routes from.
-- The server settings (listeners, health, ...) stay in each router's YAML file.

-- One row: bumped by every write, under SELECT ... FOR UPDATE, so writes from all routers
-- serialize; routers compare it with the version of their snapshot to know they are current.
CREATE TABLE store_version (
    id         boolean PRIMARY KEY DEFAULT true CHECK (id),
    version    bigint      NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO store_version (version) VALUES (0);

CREATE TABLE accounts (
    auth_id        text PRIMARY KEY,
    auth_token     text,
    auth_token_env text,
    name           text,
    position       bigint GENERATED ALWAYS AS IDENTITY,
    CHECK ((auth_token IS NULL) <> (auth_token_env IS NULL))
);

CREATE TABLE trunks (
    id                          uuid PRIMARY KEY,
    account_id                  text    NOT NULL REFERENCES accounts (auth_id),
    name                        text    NOT NULL DEFAULT '',
    trunk_direction             text    NOT NULL DEFAULT 'inbound',
    match_numbers               text[]  NOT NULL DEFAULT '{}',
    match_domains               text[]  NOT NULL DEFAULT '{}',
    match_default               boolean NOT NULL DEFAULT false,
    failover_on_codes           integer[],
    failover_attempt_timeout_ms integer,
    failover_max_attempts       integer,
    health_probing              boolean,
    health_probe_interval_ms    integer,
    -- no foreign keys: a trunk and its primary URI reference each other; the router checks
    -- every reference before it writes
    primary_uri_uuid            uuid,
    fallback_uri_uuid           uuid,
    created_at                  timestamptz,
    updated_at                  timestamptz,
    position                    bigint GENERATED ALWAYS AS IDENTITY
);

CREATE TABLE origination_uris (
    id                    uuid PRIMARY KEY,
    account_id            text    NOT NULL REFERENCES accounts (auth_id),
    trunk_id              uuid REFERENCES trunks (id),
    name                  text    NOT NULL DEFAULT '',
    uri                   text    NOT NULL,
    priority              integer NOT NULL CHECK (priority >= 1),
    weight                integer NOT NULL CHECK (weight BETWEEN 0 AND 65535),
    enabled               boolean NOT NULL,
    transport             text    NOT NULL,
    authentication_needed boolean NOT NULL,
    username              text,
    password              text,
    created_at            timestamptz,
    updated_at            timestamptz,
    position              bigint GENERATED ALWAYS AS IDENTITY
);

CREATE INDEX origination_uris_trunk ON origination_uris (trunk_id);
