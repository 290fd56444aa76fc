-- The file a job works on (an upload waiting for its analysis), kept with the job until it is done
-- so that any process can pick it up and an interrupted job can start again; cleared when done
-- (the import batch then keeps the file).
ALTER TABLE job ADD COLUMN input_file BYTEA;
