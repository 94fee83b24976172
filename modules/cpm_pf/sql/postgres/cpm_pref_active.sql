-- cpm_pf: each user's active preference profile (seed 4.1), PostgreSQL.
CREATE TABLE cpm_pref_active (
    id SERIAL PRIMARY KEY NOT NULL,
    username VARCHAR(64) NOT NULL,
    profile VARCHAR(64) NOT NULL,
    CONSTRAINT cpm_pref_active_user_idx UNIQUE (username)
);

INSERT INTO version (table_name, table_version) values ('cpm_pref_active','1');
