-- cpm_pf: User Preferences Profiles (seed 4.1), PostgreSQL.  See
-- ../cpm_pref_profile.sql for the columns.
CREATE TABLE cpm_pref_profile (
    id SERIAL PRIMARY KEY NOT NULL,
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
