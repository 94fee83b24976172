-- cpm_cf: running CPM Group Sessions (issue 7 item 11; seed 5.2), SQLite
-- schema, written through by the CF's writer process (never by a SIP
-- worker) and read at start-up, so a restarted CF knows its sessions.
-- suser           the Group Session Identity's user part (the table key:
--                 cf-<32 hex> for ad-hoc sessions, the group's user part
--                 for a pre-defined group's)
-- identity        the Group Session Identity (Contact <identity>;isfocus)
-- conv_id, contrib_id, subject, initiator: as the session started (seed 5.3)
-- dialect_up      1: UP group feature tag, 0: RCS 5.x (client-dialects.md)
-- max_participants, grp (pre-defined group URI, '' ad-hoc), gpolicy
--                 (CPM_XDM_P_* bits), created (Unix time)
CREATE TABLE cpm_cf_session (
    id INTEGER PRIMARY KEY NOT NULL,
    suser VARCHAR(128) NOT NULL,
    identity VARCHAR(255) NOT NULL,
    conv_id VARCHAR(128) DEFAULT '' NOT NULL,
    contrib_id VARCHAR(128) DEFAULT '' NOT NULL,
    subject VARCHAR(255) DEFAULT '' NOT NULL,
    initiator VARCHAR(255) DEFAULT '' NOT NULL,
    dialect_up INTEGER DEFAULT 0 NOT NULL,
    max_participants INTEGER DEFAULT 100 NOT NULL,
    grp VARCHAR(255) DEFAULT '' NOT NULL,
    gpolicy INTEGER DEFAULT 0 NOT NULL,
    created INTEGER DEFAULT 0 NOT NULL,
    CONSTRAINT cpm_cf_session_suser_idx UNIQUE (suser)
);

INSERT INTO version (table_name, table_version) values ('cpm_cf_session','1');
