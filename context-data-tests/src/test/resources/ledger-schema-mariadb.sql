-- In lower case: Spring Data JDBC's MariaDB dialect quotes names in lower case, and MariaDB on Linux keeps a
-- table name's letter case
CREATE TABLE IF NOT EXISTS ledger_entry (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL);
