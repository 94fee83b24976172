-- cpm_cf: the anonymous participants of each running Group Session (seed
-- 6.3), SQLite schema, written by the CF's writer process with the
-- session's other rows (cpm_cf_session.sql, cpm_cf_participant.sql) and
-- read back at start-up, so that after a restart an anonymous participant
-- still shows under its pseudonym and anonymous URI, never its own URI.
-- A table of its own: mk/dbinit.sh adds it to a database created before it
-- (a schema file is applied when none of its tables exists).
-- suser           the session (cpm_cf_session.suser)
-- uri             the participant's real URI (never shown to others)
-- pseudonym       the display name shown instead of its own
-- anon_no         k of its anonymous URI sip:anonymous-<k>@anonymous.invalid
--                 (unique in the session, kept when it rejoins)
CREATE TABLE cpm_cf_anon (
    id INTEGER PRIMARY KEY NOT NULL,
    suser VARCHAR(128) NOT NULL,
    uri VARCHAR(255) NOT NULL,
    pseudonym VARCHAR(128) DEFAULT '' NOT NULL,
    anon_no INTEGER NOT NULL,
    CONSTRAINT cpm_cf_anon_idx UNIQUE (suser, uri)
);

INSERT INTO version (table_name, table_version) values ('cpm_cf_anon','1');
