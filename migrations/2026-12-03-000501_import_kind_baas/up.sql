-- BAAS children (an e-PPGBM-like sheet) and sponsors arrive through the one import pipeline too:
-- the batch's kind widens to 'baas_anak' and 'baas_sponsor'.
ALTER TABLE import_batch DROP CONSTRAINT import_batch_kind;
ALTER TABLE import_batch
    ADD CONSTRAINT import_batch_kind CHECK (kind IN ('workplan', 'realisasi', 'baas_anak', 'baas_sponsor'));
