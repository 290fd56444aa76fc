CREATE OR REPLACE FUNCTION lokus_summary_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    statement text;
    kept text := lokus_summary_plan(1000000);
BEGIN
    DELETE FROM summary_pagu;
    DELETE FROM summary_realisasi;
    DELETE FROM summary_desa_pagu;
    DELETE FROM summary_desa_realisasi;
    FOREACH statement IN ARRAY lokus_summary_sql('SELECT 1 AS sign, * FROM budget_line',
                                'SELECT 1 AS sign, line_id, kode_desa FROM budget_line_desa',
                                NULL, 'SELECT 1 AS sign, * FROM budget_line') LOOP
        EXECUTE statement;
    END LOOP;
    PERFORM set_config('enable_nestloop', kept, true);
END $$;
DROP TRIGGER realisasi_summary_line_truncate ON realisasi;
DROP TRIGGER budget_line_summary_line_truncate ON budget_line;
DROP FUNCTION lokus_summary_line_truncate();
DROP FUNCTION lokus_summary_line_rebuild();
DROP TRIGGER realisasi_summary_line_delete ON realisasi;
DROP TRIGGER realisasi_summary_line_update ON realisasi;
DROP TRIGGER realisasi_summary_line_insert ON realisasi;
DROP TRIGGER budget_line_summary_line_delete ON budget_line;
DROP TRIGGER budget_line_summary_line_update ON budget_line;
DROP TRIGGER budget_line_summary_line_insert ON budget_line;
DROP FUNCTION lokus_summary_line_touch();
DROP FUNCTION lokus_summary_line_sql(text, text, boolean);
DROP TABLE summary_line;
CREATE OR REPLACE FUNCTION lokus_summary_plan(row_count bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    kept text := current_setting('enable_nestloop');
BEGIN
    IF row_count > 1000 THEN
        PERFORM set_config('enable_nestloop', 'off', true);
    END IF;
    RETURN kept;
END $$;
