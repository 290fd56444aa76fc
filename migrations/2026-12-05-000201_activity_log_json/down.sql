ALTER TABLE activity_log
    ALTER COLUMN before TYPE jsonb USING before::jsonb,
    ALTER COLUMN after TYPE jsonb USING after::jsonb;
