-- cpm_pf disposition notifications (RFC 5438; docs/cpm_pf.md "Disposition
-- notifications (IMDN)").  PostgreSQL; SQLite: sql/cpm_store_imdn.sql.
-- One row per stored message (cpm_store.id) whose sender asked for a
-- negative-delivery notification: written by cpm_pf's writer in the same
-- transaction as the message; read at expiry or at a permanent refusal, when
-- the PF sends the sender the IMDN, and removed with the message.  A table
-- of its own (not columns of cpm_store) so that mk/dbinit.sh adds it to an
-- existing database, which it does for a schema file none of whose tables
-- exists yet, and cpm_store keeps its version 1.
CREATE TABLE cpm_store_imdn (
    msg_id BIGINT PRIMARY KEY NOT NULL,
    message_id VARCHAR(255) NOT NULL,
    sender VARCHAR(255) NOT NULL,
    recipient VARCHAR(255) NOT NULL,
    date_time VARCHAR(64) NOT NULL DEFAULT ''
);

INSERT INTO version (table_name, table_version) VALUES ('cpm_store_imdn', '1');
