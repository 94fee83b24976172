-- cpm_cf: the members of each CPM Pre-defined Group (cpm_group.sql),
-- PostgreSQL schema; columns as in ../cpm_group_member.sql.
-- group_uri     the group's uri (cpm_group.uri)
-- uri           the member's SIP or TEL URI
-- display_name  the member's group-specific display name (seed 6.3), may
--               be empty
CREATE TABLE cpm_group_member (
    id SERIAL PRIMARY KEY NOT NULL,
    group_uri VARCHAR(255) NOT NULL,
    uri VARCHAR(255) NOT NULL,
    display_name VARCHAR(128) DEFAULT '' NOT NULL,
    CONSTRAINT cpm_group_member_idx UNIQUE (group_uri, uri)
);

INSERT INTO version (table_name, table_version) values ('cpm_group_member','1');
