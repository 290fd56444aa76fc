ALTER TABLE job DROP COLUMN input_file;
