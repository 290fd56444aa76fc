DROP TABLE budget_line_version;
DROP TABLE budget_line_desa;
DROP TABLE budget_line;
DROP TABLE import_batch;
