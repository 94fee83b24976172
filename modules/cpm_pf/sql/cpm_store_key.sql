-- cpm_pf deferred delivery: the keys of the stored requests a sender may
-- still retransmit (docs/cpm_pf.md "Deferred delivery", "Retransmissions
-- across a restart").  SQLite; PostgreSQL: sql/postgres/cpm_store_key.sql.
-- One row per MESSAGE stored without a tm transaction (store_stateless):
-- "<Call-ID> <CSeq number> <From tag>", written by cpm_pf's writer in the
-- same transaction as the message, kept 40 s (RFC 3261 Timer F, 32 s, with
-- a margin) and removed by the writer's expiry sweep.  Loaded into the
-- retransmission table at start-up, so that a retransmission arriving after
-- a crash and restart is answered 202 again and not stored twice.  No
-- unique key: a sender that reuses a key after its row expired in memory
-- must not make a store fail.  A table of its own so that mk/dbinit.sh adds
-- it to an existing database.
CREATE TABLE cpm_store_key (
    msg_key VARCHAR(512) NOT NULL,
    expires BIGINT NOT NULL
);
CREATE INDEX cpm_store_key_expires_idx ON cpm_store_key (expires);

INSERT INTO version (table_name, table_version) VALUES ('cpm_store_key', '1');
