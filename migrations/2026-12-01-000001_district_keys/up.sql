-- No row can point across districts: every reference between district-owned rows carries the
-- district, so a foreign key compares (kode_kabkota, id) and not the id alone. The parents get a
-- UNIQUE (kode_kabkota, id) for the composite keys to point at.
-- Interventions are either national (kode_kabkota NULL) or a district's own, which a composite key
-- cannot say; lines and switches naming one are checked by a trigger instead.

ALTER TABLE opd ADD CONSTRAINT opd_district_id UNIQUE (kode_kabkota, id);
ALTER TABLE users ADD CONSTRAINT users_district_id UNIQUE (kode_kabkota, id);
ALTER TABLE import_batch ADD CONSTRAINT import_batch_district_id UNIQUE (kode_kabkota, id);
ALTER TABLE budget_line ADD CONSTRAINT budget_line_district_id UNIQUE (kode_kabkota, id);

ALTER TABLE users
    DROP CONSTRAINT users_opd_id_fkey,
    ADD CONSTRAINT users_opd FOREIGN KEY (kode_kabkota, opd_id) REFERENCES opd (kode_kabkota, id);

ALTER TABLE import_batch
    DROP CONSTRAINT import_batch_opd_id_fkey,
    DROP CONSTRAINT import_batch_user_id_fkey,
    DROP CONSTRAINT import_batch_base_batch_id_fkey,
    ADD CONSTRAINT import_batch_opd FOREIGN KEY (kode_kabkota, opd_id) REFERENCES opd (kode_kabkota, id),
    ADD CONSTRAINT import_batch_user FOREIGN KEY (kode_kabkota, user_id) REFERENCES users (kode_kabkota, id),
    ADD CONSTRAINT import_batch_base_batch FOREIGN KEY (kode_kabkota, base_batch_id)
        REFERENCES import_batch (kode_kabkota, id);

ALTER TABLE budget_line
    DROP CONSTRAINT budget_line_opd_id_fkey,
    DROP CONSTRAINT budget_line_batch_id_fkey,
    DROP CONSTRAINT budget_line_removed_in_batch_fkey,
    ADD CONSTRAINT budget_line_opd FOREIGN KEY (kode_kabkota, opd_id) REFERENCES opd (kode_kabkota, id),
    ADD CONSTRAINT budget_line_batch FOREIGN KEY (kode_kabkota, batch_id) REFERENCES import_batch (kode_kabkota, id),
    ADD CONSTRAINT budget_line_removed_in_batch FOREIGN KEY (kode_kabkota, removed_in_batch)
        REFERENCES import_batch (kode_kabkota, id);

-- The link's own kode_kabkota was only compared with its desa; now it must also be its line's.
ALTER TABLE budget_line_desa
    DROP CONSTRAINT budget_line_desa_line_id_fkey,
    ADD CONSTRAINT budget_line_desa_line FOREIGN KEY (kode_kabkota, line_id)
        REFERENCES budget_line (kode_kabkota, id) ON DELETE CASCADE;

ALTER TABLE budget_line_version
    DROP CONSTRAINT budget_line_version_line_id_fkey,
    DROP CONSTRAINT budget_line_version_replaced_in_batch_fkey,
    ADD CONSTRAINT budget_line_version_line FOREIGN KEY (kode_kabkota, line_id)
        REFERENCES budget_line (kode_kabkota, id),
    ADD CONSTRAINT budget_line_version_replaced_in_batch FOREIGN KEY (kode_kabkota, replaced_in_batch)
        REFERENCES import_batch (kode_kabkota, id);

-- A line or a district's switch may name a national intervention or one of its own district.
CREATE FUNCTION lokus_check_intervensi_district() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.intervensi_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM intervensi i
        WHERE i.id = NEW.intervensi_id AND (i.kode_kabkota IS NULL OR i.kode_kabkota = NEW.kode_kabkota)
    ) THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('insert or update on table "%s" violates foreign key constraint "%s_intervensi"',
                             TG_TABLE_NAME, TG_TABLE_NAME),
            DETAIL = format('Key (kode_kabkota, intervensi_id)=(%s, %s) is not a national intervention or one of that district.',
                            NEW.kode_kabkota, NEW.intervensi_id),
            TABLE = TG_TABLE_NAME,
            CONSTRAINT = TG_TABLE_NAME || '_intervensi';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER budget_line_intervensi AFTER INSERT OR UPDATE OF intervensi_id, kode_kabkota ON budget_line
    FOR EACH ROW EXECUTE FUNCTION lokus_check_intervensi_district();
CREATE TRIGGER intervensi_nonaktif_intervensi AFTER INSERT OR UPDATE ON intervensi_nonaktif
    FOR EACH ROW EXECUTE FUNCTION lokus_check_intervensi_district();

-- An intervention may not move to another district while lines or switches of other districts name it.
CREATE FUNCTION lokus_guard_intervensi_district() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kode_kabkota IS NOT NULL AND (
        EXISTS (SELECT 1 FROM budget_line b WHERE b.intervensi_id = NEW.id AND b.kode_kabkota <> NEW.kode_kabkota)
        OR EXISTS (SELECT 1 FROM intervensi_nonaktif n WHERE n.intervensi_id = NEW.id AND n.kode_kabkota <> NEW.kode_kabkota)
    ) THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('update on table "intervensi" violates foreign key constraint "budget_line_intervensi"'),
            DETAIL = format('Key (id)=(%s) is still named by another district.', NEW.id),
            TABLE = 'intervensi',
            CONSTRAINT = 'budget_line_intervensi';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER intervensi_district AFTER UPDATE OF kode_kabkota ON intervensi
    FOR EACH ROW EXECUTE FUNCTION lokus_guard_intervensi_district();

-- The queries that follow these columns (history, the removal diff, the catalogue, deleting a batch).
CREATE INDEX budget_line_removed_in_batch_idx ON budget_line (removed_in_batch) WHERE removed_in_batch IS NOT NULL;
-- The newest batch that touched an OPD's workplan (every import asks, twice) is the top of these two,
-- per OPD, instead of a scan of all its lines; new lines have no entry in the second.
DROP INDEX budget_line_current;
CREATE INDEX budget_line_current ON budget_line (kode_kabkota, opd_id, tahun, batch_id) WHERE removed_in_batch IS NULL;
CREATE INDEX budget_line_removed ON budget_line (kode_kabkota, opd_id, tahun, removed_in_batch)
    WHERE removed_in_batch IS NOT NULL;
CREATE INDEX budget_line_intervensi_idx ON budget_line (intervensi_id) WHERE intervensi_id IS NOT NULL;
CREATE INDEX budget_line_version_replaced_in_batch_idx ON budget_line_version (replaced_in_batch);
