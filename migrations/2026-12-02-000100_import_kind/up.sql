-- An import batch says which kind of file it was: a workplan, or (later) the realisation form
-- or a finance-system sheet, or BAAS children. One history lists them all; the commit of a stored
-- preview dispatches on it. Existing batches were all workplans. A new kind widens the CHECK.
ALTER TABLE import_batch
    ADD COLUMN kind TEXT NOT NULL DEFAULT 'workplan',
    ADD CONSTRAINT import_batch_kind CHECK (kind IN ('workplan', 'realisasi'));
