-- Up Migration
-- What calls discovered and did, one stream per call. Positions are handed out
-- at insert but become visible at commit, so readers order by the writing
-- transaction's id first and read only below the oldest transaction still
-- running: an event committed late is never skipped.
CREATE TABLE events (
  global_position bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  stream_id       text        NOT NULL,
  stream_position bigint      NOT NULL CHECK (stream_position >= 0),
  event_id        uuid        NOT NULL,
  event_type      text        NOT NULL,
  schema_version  integer     NOT NULL CHECK (schema_version > 0),
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL DEFAULT '{}',
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_stream_position_key UNIQUE (stream_id, stream_position),
  CONSTRAINT events_stream_event_id_key UNIQUE (stream_id, event_id)
);
CREATE INDEX events_global_order ON events (transaction_id, global_position);

-- Where each projection has read to, written in the same transaction as what it built.
CREATE TABLE projection_checkpoints (
  name       text PRIMARY KEY,
  position   text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The learner's fold of calls still in progress (what each has heard and done so far).
CREATE TABLE learner_traces (
  call_id text PRIMARY KEY,
  trace   jsonb NOT NULL
);

-- A learned flow is one number's way to one errand: the key is the number and the errand's words.
ALTER TABLE call_flows ADD COLUMN learned_key text;
CREATE UNIQUE INDEX call_flows_learned_key ON call_flows (learned_key)
  WHERE learned_key IS NOT NULL AND deleted_at IS NULL;

-- Down Migration
DROP INDEX call_flows_learned_key;
ALTER TABLE call_flows DROP COLUMN learned_key;
DROP TABLE learner_traces;
DROP TABLE projection_checkpoints;
DROP TABLE events;
