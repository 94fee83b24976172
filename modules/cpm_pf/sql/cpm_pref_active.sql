-- cpm_pf: each user's active preference profile (seed 4.1).  Written by the
-- module's preferences timer process after cpm_pf.profile_set or
-- cpm_pf_profile_set(); read at start-up.
CREATE TABLE cpm_pref_active (
    id INTEGER PRIMARY KEY NOT NULL,
    username VARCHAR(64) NOT NULL,
    profile VARCHAR(64) NOT NULL,
    CONSTRAINT cpm_pref_active_user_idx UNIQUE (username)
);

INSERT INTO version (table_name, table_version) values ('cpm_pref_active','1');
