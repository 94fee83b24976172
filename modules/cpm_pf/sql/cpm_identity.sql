-- cpm_pf: each served user's CPM Addresses (seed 6.1), SQLite schema.
-- username        the subscriber (auth_db user name)
-- uri             a SIP or TEL URI of the user (sip:alice@example.com,
--                 tel:+15550100001); one owner per URI
-- is_default      1 on the identity the PF asserts when the client prefers
--                 none (its P-Preferred-Identity); a user without a default
--                 row defaults to its first row, a user without any row to
--                 sip:<username>@<From host>
-- allow_anonymity 0 on any row of a user: operator policy forbids that
--                 user anonymity (Privacy: id -> 403, Warning 119; seed 6.3)
-- Loaded at start-up into shared memory; reload: kamcmd cpm_pf.identity_reload
CREATE TABLE cpm_identity (
    id INTEGER PRIMARY KEY NOT NULL,
    username VARCHAR(64) NOT NULL,
    uri VARCHAR(255) NOT NULL,
    is_default INTEGER DEFAULT 0 NOT NULL,
    allow_anonymity INTEGER DEFAULT 1 NOT NULL,
    CONSTRAINT cpm_identity_uri_idx UNIQUE (uri)
);
CREATE INDEX cpm_identity_username_idx ON cpm_identity (username);

INSERT INTO version (table_name, table_version) values ('cpm_identity','1');
