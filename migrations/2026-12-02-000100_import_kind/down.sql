ALTER TABLE import_batch DROP COLUMN kind;
