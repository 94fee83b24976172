-- cpm_pf: each served user's CPM Addresses (seed 6.1), PostgreSQL schema;
-- columns as in ../cpm_identity.sql (the SQLite schema).
CREATE TABLE cpm_identity (
    id SERIAL PRIMARY KEY NOT NULL,
    username VARCHAR(64) NOT NULL,
    uri VARCHAR(255) NOT NULL,
    is_default INTEGER DEFAULT 0 NOT NULL,
    allow_anonymity INTEGER DEFAULT 1 NOT NULL,
    CONSTRAINT cpm_identity_uri_idx UNIQUE (uri)
);
CREATE INDEX cpm_identity_username_idx ON cpm_identity (username);

INSERT INTO version (table_name, table_version) values ('cpm_identity','1');
