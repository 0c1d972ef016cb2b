-- One short pause per row: the report scan takes at least as long as asked, and H2 checks
-- for Statement.cancel() between rows
CREATE ALIAS IF NOT EXISTS PAUSE FOR 'dev.ctx.sample.H2Functions.pause';
