DROP INDEX budget_line_version_replaced_in_batch_idx;
DROP INDEX budget_line_intervensi_idx;
DROP INDEX budget_line_removed;
DROP INDEX budget_line_current;
CREATE INDEX budget_line_current ON budget_line (kode_kabkota, opd_id, tahun) WHERE removed_in_batch IS NULL;
DROP INDEX budget_line_removed_in_batch_idx;

DROP TRIGGER intervensi_district ON intervensi;
DROP FUNCTION lokus_guard_intervensi_district();
DROP TRIGGER intervensi_nonaktif_intervensi ON intervensi_nonaktif;
DROP TRIGGER budget_line_intervensi ON budget_line;
DROP FUNCTION lokus_check_intervensi_district();

ALTER TABLE budget_line_version
    DROP CONSTRAINT budget_line_version_replaced_in_batch,
    DROP CONSTRAINT budget_line_version_line,
    ADD CONSTRAINT budget_line_version_line_id_fkey FOREIGN KEY (line_id) REFERENCES budget_line (id),
    ADD CONSTRAINT budget_line_version_replaced_in_batch_fkey FOREIGN KEY (replaced_in_batch)
        REFERENCES import_batch (id);

ALTER TABLE budget_line_desa
    DROP CONSTRAINT budget_line_desa_line,
    ADD CONSTRAINT budget_line_desa_line_id_fkey FOREIGN KEY (line_id) REFERENCES budget_line (id) ON DELETE CASCADE;

ALTER TABLE budget_line
    DROP CONSTRAINT budget_line_removed_in_batch,
    DROP CONSTRAINT budget_line_batch,
    DROP CONSTRAINT budget_line_opd,
    ADD CONSTRAINT budget_line_opd_id_fkey FOREIGN KEY (opd_id) REFERENCES opd (id),
    ADD CONSTRAINT budget_line_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES import_batch (id),
    ADD CONSTRAINT budget_line_removed_in_batch_fkey FOREIGN KEY (removed_in_batch) REFERENCES import_batch (id);

ALTER TABLE import_batch
    DROP CONSTRAINT import_batch_base_batch,
    DROP CONSTRAINT import_batch_user,
    DROP CONSTRAINT import_batch_opd,
    ADD CONSTRAINT import_batch_opd_id_fkey FOREIGN KEY (opd_id) REFERENCES opd (id),
    ADD CONSTRAINT import_batch_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id),
    ADD CONSTRAINT import_batch_base_batch_id_fkey FOREIGN KEY (base_batch_id) REFERENCES import_batch (id);

ALTER TABLE users
    DROP CONSTRAINT users_opd,
    ADD CONSTRAINT users_opd_id_fkey FOREIGN KEY (opd_id) REFERENCES opd (id);

ALTER TABLE budget_line DROP CONSTRAINT budget_line_district_id;
ALTER TABLE import_batch DROP CONSTRAINT import_batch_district_id;
ALTER TABLE users DROP CONSTRAINT users_district_id;
ALTER TABLE opd DROP CONSTRAINT opd_district_id;
