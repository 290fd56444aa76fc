DROP TRIGGER budget_line_desa_line_truncate ON budget_line;
DROP TRIGGER budget_line_desa_line_update ON budget_line;
DROP TRIGGER budget_line_desa_line_delete ON budget_line;
DROP TRIGGER budget_line_desa_kode_desa_truncate ON wilayah;
DROP TRIGGER budget_line_desa_kode_desa_update ON wilayah;
DROP TRIGGER budget_line_desa_kode_desa_delete ON wilayah;
DROP TRIGGER budget_line_intervensi_truncate ON intervensi;
DROP TRIGGER budget_line_intervensi_update ON intervensi;
DROP TRIGGER budget_line_intervensi_delete ON intervensi;
DROP TRIGGER budget_line_tahapan_truncate ON tahapan_anggaran;
DROP TRIGGER budget_line_tahapan_update ON tahapan_anggaran;
DROP TRIGGER budget_line_tahapan_delete ON tahapan_anggaran;
DROP TRIGGER budget_line_tahun_truncate ON tahun_anggaran;
DROP TRIGGER budget_line_tahun_update ON tahun_anggaran;
DROP TRIGGER budget_line_tahun_delete ON tahun_anggaran;
DROP TRIGGER budget_line_batch_truncate ON import_batch;
DROP TRIGGER budget_line_removed_in_batch_update ON import_batch;
DROP TRIGGER budget_line_removed_in_batch_delete ON import_batch;
DROP TRIGGER budget_line_batch_update ON import_batch;
DROP TRIGGER budget_line_batch_delete ON import_batch;
DROP TRIGGER budget_line_opd_truncate ON opd;
DROP TRIGGER budget_line_opd_update ON opd;
DROP TRIGGER budget_line_opd_delete ON opd;
DROP FUNCTION lokus_guard_truncate();
DROP FUNCTION lokus_guard_parent();

DROP TRIGGER budget_line_desa_references_update ON budget_line_desa;
DROP TRIGGER budget_line_desa_references_insert ON budget_line_desa;
DROP FUNCTION lokus_check_budget_line_desa();
DROP TRIGGER budget_line_references_update ON budget_line;
DROP TRIGGER budget_line_references_insert ON budget_line;
DROP FUNCTION lokus_check_budget_line();
DROP FUNCTION lokus_missing_parent(text, text, text, text, text);

ALTER TABLE budget_line_desa
    ADD CONSTRAINT budget_line_desa_kode_desa_fkey FOREIGN KEY (kode_desa) REFERENCES wilayah (kode),
    ADD CONSTRAINT budget_line_desa_line FOREIGN KEY (kode_kabkota, line_id)
        REFERENCES budget_line (kode_kabkota, id) ON DELETE CASCADE;

ALTER TABLE budget_line
    ADD CONSTRAINT budget_line_tahapan_fkey FOREIGN KEY (tahapan) REFERENCES tahapan_anggaran (kode),
    ADD CONSTRAINT budget_line_intervensi_id_fkey FOREIGN KEY (intervensi_id) REFERENCES intervensi (id),
    ADD CONSTRAINT budget_line_kode_kabkota_tahun_fkey FOREIGN KEY (kode_kabkota, tahun)
        REFERENCES tahun_anggaran (kode_kabkota, tahun),
    ADD CONSTRAINT budget_line_opd FOREIGN KEY (kode_kabkota, opd_id) REFERENCES opd (kode_kabkota, id),
    ADD CONSTRAINT budget_line_batch FOREIGN KEY (kode_kabkota, batch_id) REFERENCES import_batch (kode_kabkota, id),
    ADD CONSTRAINT budget_line_removed_in_batch FOREIGN KEY (kode_kabkota, removed_in_batch)
        REFERENCES import_batch (kode_kabkota, id);
CREATE TRIGGER budget_line_intervensi AFTER INSERT OR UPDATE OF intervensi_id, kode_kabkota ON budget_line
    FOR EACH ROW EXECUTE FUNCTION lokus_check_intervensi_district();
