-- Each row remembers the store version that last wrote it, and a removed row leaves its id
-- behind with the version that removed it, so a router catching up reads only what changed
-- since its snapshot instead of every row. Triggers stamp both, so every writer is covered:
-- routers of an earlier release during an upgrade, and rows edited by hand (which a router
-- sees at the next version bump). A write holds the store_version row (SELECT ... FOR
-- UPDATE) and bumps it after its rows, so "the version plus one" is the write's version.

ALTER TABLE accounts ADD COLUMN changed_in bigint NOT NULL DEFAULT 0;
ALTER TABLE trunks ADD COLUMN changed_in bigint NOT NULL DEFAULT 0;
ALTER TABLE origination_uris ADD COLUMN changed_in bigint NOT NULL DEFAULT 0;
CREATE INDEX accounts_changed_in ON accounts (changed_in);
CREATE INDEX trunks_changed_in ON trunks (changed_in);
CREATE INDEX origination_uris_changed_in ON origination_uris (changed_in);

CREATE TABLE removed_rows (
    version    bigint NOT NULL,
    table_name text   NOT NULL,
    id         text   NOT NULL
);
CREATE INDEX removed_rows_version ON removed_rows (version);

CREATE FUNCTION sipvane_stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed_in := (SELECT version FROM store_version) + 1;
    RETURN NEW;
END
$$;

-- TG_ARGV[0]: the key column
CREATE FUNCTION sipvane_record_removal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO removed_rows (version, table_name, id)
    VALUES ((SELECT version FROM store_version) + 1, TG_TABLE_NAME, to_jsonb(OLD) ->> TG_ARGV[0]);
    RETURN OLD;
END
$$;

CREATE TRIGGER accounts_stamp BEFORE INSERT OR UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION sipvane_stamp_change();
CREATE TRIGGER trunks_stamp BEFORE INSERT OR UPDATE ON trunks
    FOR EACH ROW EXECUTE FUNCTION sipvane_stamp_change();
CREATE TRIGGER origination_uris_stamp BEFORE INSERT OR UPDATE ON origination_uris
    FOR EACH ROW EXECUTE FUNCTION sipvane_stamp_change();
CREATE TRIGGER accounts_removal AFTER DELETE ON accounts
    FOR EACH ROW EXECUTE FUNCTION sipvane_record_removal('auth_id');
CREATE TRIGGER trunks_removal AFTER DELETE ON trunks
    FOR EACH ROW EXECUTE FUNCTION sipvane_record_removal('id');
CREATE TRIGGER origination_uris_removal AFTER DELETE ON origination_uris
    FOR EACH ROW EXECUTE FUNCTION sipvane_record_removal('id');
