-- cpm_pf: User Preferences Profiles (seed 4.1), one row per rule:
-- what profile <profile> of <username> does with <service> (cpm_headers
-- service names: msg, largemsg, session, filetransfer, deferred, sip-im).
--   action         deliver | defer | reject
--   reject_status  the status of a reject (400..699)
--   reject_reason  its reason phrase ('' = "Rejected by user preferences")
--   devices        '' or '*' = every device, else the +sip.instance values
--                  of the devices that get the service, comma separated
-- Read at start-up and by the RPC cpm_pf.prefs_reload (docs/cpm_pf.md).
CREATE TABLE cpm_pref_profile (
    id INTEGER PRIMARY KEY NOT NULL,
    username VARCHAR(64) NOT NULL,
    profile VARCHAR(64) NOT NULL,
    service VARCHAR(16) NOT NULL,
    action VARCHAR(16) DEFAULT 'deliver' NOT NULL,
    reject_status INTEGER DEFAULT 0 NOT NULL,
    reject_reason VARCHAR(128) DEFAULT '' NOT NULL,
    devices VARCHAR(1024) DEFAULT '' NOT NULL,
    CONSTRAINT cpm_pref_profile_rule_idx UNIQUE (username, profile, service)
);

INSERT INTO version (table_name, table_version) values ('cpm_pref_profile','1');
