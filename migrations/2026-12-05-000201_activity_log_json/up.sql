-- The activity log's before and after are kept as the documents lokus wrote (json), not parsed
-- into jsonb. Nothing queries inside them in SQL (the activity page and the exports read them
-- whole), and jsonb's parse was the larger part of writing them: a realisation import of 20,000
-- lines writes 20,000 entries, 12.8 MB of JSON, which took 0.25 s as jsonb and 0.12 s as json in
-- psql on issue 8's benchmark database. json also keeps each document exactly as written (key
-- order and all), which suits a record of what was done.
ALTER TABLE activity_log
    ALTER COLUMN before TYPE json USING before::json,
    ALTER COLUMN after TYPE json USING after::json;
