-- cpm_pf deferred delivery (seed 4.1; docs/cpm_pf.md "Deferred delivery").
-- SQLite; the PostgreSQL schema is sql/postgres/cpm_store.sql.
-- Written only by cpm_pf's writer process; ids are assigned by it (store
-- order = delivery order).
CREATE TABLE cpm_store (
    id BIGINT PRIMARY KEY NOT NULL,
    username VARCHAR(64) NOT NULL,
    ruri VARCHAR(255) NOT NULL DEFAULT '',
    from_hdr TEXT NOT NULL,
    to_hdr TEXT NOT NULL,
    hdrs TEXT NOT NULL,
    body BLOB NOT NULL,
    conversation_id VARCHAR(255) NOT NULL DEFAULT '',
    contribution_id VARCHAR(255) NOT NULL DEFAULT '',
    stored BIGINT NOT NULL,
    expires BIGINT NOT NULL
);
CREATE INDEX cpm_store_user_idx ON cpm_store (username, id);
CREATE INDEX cpm_store_expires_idx ON cpm_store (expires);

-- (message, device) pairs a device accepted with a 2xx
CREATE TABLE cpm_store_delivery (
    msg_id BIGINT NOT NULL,
    device VARCHAR(255) NOT NULL,
    username VARCHAR(64) NOT NULL,
    delivered BIGINT NOT NULL,
    PRIMARY KEY (msg_id, device)
);
CREATE INDEX cpm_store_delivery_dev_idx ON cpm_store_delivery (username, device);

-- every device (+sip.instance, else contact URI) that ever registered
CREATE TABLE cpm_device (
    username VARCHAR(64) NOT NULL,
    device VARCHAR(255) NOT NULL,
    first_seen BIGINT NOT NULL,
    PRIMARY KEY (username, device)
);

INSERT INTO version (table_name, table_version) VALUES ('cpm_store', '1');
INSERT INTO version (table_name, table_version) VALUES ('cpm_store_delivery', '1');
INSERT INTO version (table_name, table_version) VALUES ('cpm_device', '1');
