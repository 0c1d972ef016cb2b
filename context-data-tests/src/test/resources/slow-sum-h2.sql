-- Runs for minutes unless cancelled; RAND() keeps H2 from answering it from its query cache
CREATE OR REPLACE VIEW SLOW_SUM AS SELECT SUM(X) AS TOTAL FROM SYSTEM_RANGE(1, 10000000000) WHERE RAND() >= 0;
