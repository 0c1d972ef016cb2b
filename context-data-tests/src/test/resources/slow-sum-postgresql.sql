-- Runs for a minute unless cancelled
CREATE OR REPLACE VIEW SLOW_SUM AS SELECT COUNT(*) AS TOTAL FROM pg_sleep(60);
