-- a batch of children cannot be named by the narrower check: it goes with the kind (the children
-- it registered stay; they do not refer to their batch)
UPDATE job SET batch_id = NULL WHERE batch_id IN (SELECT id FROM import_batch WHERE kind = 'baas_anak');
DELETE FROM import_batch WHERE kind = 'baas_anak';
ALTER TABLE import_batch DROP CONSTRAINT import_batch_kind;
ALTER TABLE import_batch
    ADD CONSTRAINT import_batch_kind CHECK (kind IN ('workplan', 'realisasi'));
