-- a batch of children or sponsors cannot be named by the narrower check: it goes with the kind (the records
-- it registered stay; they do not refer to their batch)
UPDATE job SET batch_id = NULL WHERE batch_id IN (SELECT id FROM import_batch WHERE kind IN ('baas_anak', 'baas_sponsor'));
DELETE FROM import_batch WHERE kind IN ('baas_anak', 'baas_sponsor');
ALTER TABLE import_batch DROP CONSTRAINT import_batch_kind;
ALTER TABLE import_batch
    ADD CONSTRAINT import_batch_kind CHECK (kind IN ('workplan', 'realisasi'));
