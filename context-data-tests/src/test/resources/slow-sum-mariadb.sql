-- Runs for about a minute unless killed, and then fails with "Query execution was interrupted" (SQLState 70100). A
-- killed SLEEP() would return 1 instead, which a repository cannot tell from a result.
CREATE OR REPLACE VIEW SLOW_SUM AS SELECT BENCHMARK(200000000, MD5('ledger')) AS TOTAL;
