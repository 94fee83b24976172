-- cpm_cf: the participants of each running Group Session
-- (cpm_cf_session.sql), SQLite schema, with what the focus needs of each
-- participant's dialog (RFC 3261 12) to send BYE / NOTIFY after a restart.
-- suser, idx      the session (cpm_cf_session.suser) and the participant's
--                 index in it
-- uri, display_name, initiator, pkey (key participant), state (0 dialing-
--                 out .. 4 disconnected), status (last final status of the
--                 CF's INVITE)
-- callid, ltag, rtag, lseq, rseq, luri, ruri, rtarget, dst_uri, route_set:
--                 the dialog (Call-ID, the focus's and the participant's
--                 tags, CSeqs, URIs, remote target, next hop, route set as
--                 a Route header value); empty when not in a dialog
CREATE TABLE cpm_cf_participant (
    id INTEGER PRIMARY KEY NOT NULL,
    suser VARCHAR(128) NOT NULL,
    idx INTEGER NOT NULL,
    uri VARCHAR(255) NOT NULL,
    display_name VARCHAR(128) DEFAULT '' NOT NULL,
    initiator INTEGER DEFAULT 0 NOT NULL,
    pkey INTEGER DEFAULT 0 NOT NULL,
    state INTEGER DEFAULT 4 NOT NULL,
    status INTEGER DEFAULT 0 NOT NULL,
    callid VARCHAR(128) DEFAULT '' NOT NULL,
    ltag VARCHAR(64) DEFAULT '' NOT NULL,
    rtag VARCHAR(128) DEFAULT '' NOT NULL,
    lseq INTEGER DEFAULT 0 NOT NULL,
    rseq INTEGER DEFAULT 0 NOT NULL,
    luri VARCHAR(255) DEFAULT '' NOT NULL,
    ruri VARCHAR(255) DEFAULT '' NOT NULL,
    rtarget VARCHAR(255) DEFAULT '' NOT NULL,
    dst_uri VARCHAR(255) DEFAULT '' NOT NULL,
    route_set VARCHAR(1024) DEFAULT '' NOT NULL,
    CONSTRAINT cpm_cf_participant_idx UNIQUE (suser, idx)
);

INSERT INTO version (table_name, table_version) values ('cpm_cf_participant','1');
