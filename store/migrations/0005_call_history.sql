-- Up Migration
-- A call's time on hold, kept with its outcome for the history; null while it goes on.
ALTER TABLE calls ADD COLUMN hold_seconds integer CHECK (hold_seconds >= 0);

-- The call list, newest first, whole or by status; by company as typed in any case.
CREATE INDEX calls_created_at ON calls (created_at DESC, id DESC);
CREATE INDEX calls_status_created_at ON calls (status, created_at DESC, id DESC);
CREATE INDEX calls_company ON calls (lower(company), created_at DESC);

-- Down Migration
DROP INDEX calls_company;
DROP INDEX calls_status_created_at;
DROP INDEX calls_created_at;
ALTER TABLE calls DROP COLUMN hold_seconds;
