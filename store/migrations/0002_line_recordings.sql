-- Up Migration
-- What a company's line plays to callers on hold (announcements, prompts), learned
-- from earlier calls: an audio fingerprint, or the opening words a recogniser heard.
-- A stretch of speech not known to be a recording is kept unconfirmed, and confirmed
-- when another call hears the same audio again: a person never says a thing twice
-- the same way, a recording always does.
CREATE TABLE line_recordings (
  id             bigserial PRIMARY KEY,
  phone_number   text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('fingerprint', 'opening')),
  value          text NOT NULL,
  confirmed      boolean NOT NULL,
  times_heard    integer NOT NULL DEFAULT 1,
  first_heard_at timestamptz NOT NULL DEFAULT now(),
  last_heard_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX line_recordings_number ON line_recordings (phone_number, kind, last_heard_at DESC);

-- Down Migration
DROP TABLE line_recordings;
