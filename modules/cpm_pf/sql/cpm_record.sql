-- cpm_pf recording (seed 4.1: "recording of CPM Standalone Messages ... in a
-- network-based storage"; docs/cpm_pf.md "Recording").  SQLite; the
-- PostgreSQL schema is sql/postgres/cpm_record.sql.
-- One row per served user and role: a message between two users of this PF
-- is recorded twice (direction orig in the sender's history, term in the
-- recipient's).  Written only by cpm_pf's writer process.
-- rec_time: milliseconds since the epoch, when the PF handled the message;
-- id: ascending in commit order (AUTOINCREMENT: never reused), the second
-- sort key.  peer: the other party (orig: the Request-URI as addressed;
-- term: the originator's asserted SIP URI).  body: byte for byte.
CREATE TABLE cpm_record (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id VARCHAR(255) NOT NULL DEFAULT '',
    contribution_id VARCHAR(255) NOT NULL DEFAULT '',
    inreplyto VARCHAR(255) NOT NULL DEFAULT '',
    direction VARCHAR(4) NOT NULL,
    username VARCHAR(64) NOT NULL,
    peer VARCHAR(255) NOT NULL DEFAULT '',
    rec_time BIGINT NOT NULL,
    content_type VARCHAR(255) NOT NULL DEFAULT '',
    body BLOB NOT NULL,
    call_id VARCHAR(255) NOT NULL DEFAULT ''
);
CREATE INDEX cpm_record_user_idx ON cpm_record (username, conversation_id, rec_time);
CREATE INDEX cpm_record_conv_idx ON cpm_record (conversation_id, contribution_id);

-- each user's own choice (seed 4.1 "subject to the preferences of the CPM
-- User"): record 1 opted in, 0 opted out; no row: the operator policy's
-- default.  Read at start-up (cpm_pf.record_reload), written through the
-- writer process by cpm_pf.record_pref.
CREATE TABLE cpm_record_pref (
    username VARCHAR(64) PRIMARY KEY NOT NULL,
    record INTEGER NOT NULL
);

INSERT INTO version (table_name, table_version) VALUES ('cpm_record', '1');
INSERT INTO version (table_name, table_version) VALUES ('cpm_record_pref', '1');
