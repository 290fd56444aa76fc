-- BAAS children arrive through the one import pipeline too (an e-PPGBM-like sheet): the batch's
-- kind widens to 'baas_anak'.
ALTER TABLE import_batch DROP CONSTRAINT import_batch_kind;
ALTER TABLE import_batch
    ADD CONSTRAINT import_batch_kind CHECK (kind IN ('workplan', 'realisasi', 'baas_anak'));
