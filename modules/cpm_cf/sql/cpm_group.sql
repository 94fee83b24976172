-- cpm_cf: CPM Pre-defined Groups (seed 5.2, 6.1; OMA XDM shared group),
-- SQLite schema.
-- uri               the group's address (sip:friends@example.com): requests
--                   to it go to the Controlling Function
-- display_name      the group's display name (seed 6.3), may be empty
-- max_participants  0: the module's max_participants; else the group's own
--                   limit (seed 6.4.2 Warning 102 above it)
-- policy            CPM_XDM_P_* bits of lib/cpm_xdm.h (who may start or
--                   join, anonymity allowed, ...), from the XDM document
-- Loaded at start-up into shared memory; reload: kamcmd cpm_cf.group_reload
CREATE TABLE cpm_group (
    id INTEGER PRIMARY KEY NOT NULL,
    uri VARCHAR(255) NOT NULL,
    display_name VARCHAR(128) DEFAULT '' NOT NULL,
    max_participants INTEGER DEFAULT 0 NOT NULL,
    policy INTEGER DEFAULT 0 NOT NULL,
    CONSTRAINT cpm_group_uri_idx UNIQUE (uri)
);

INSERT INTO version (table_name, table_version) values ('cpm_group','1');
