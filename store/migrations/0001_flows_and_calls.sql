-- Up Migration
CREATE TABLE call_flows (
  id             text PRIMARY KEY,
  name           text NOT NULL,
  company        text NOT NULL,
  phone_number   text NOT NULL,
  description    text NOT NULL DEFAULT '',
  tags           text[] NOT NULL DEFAULT '{}',
  latest_version integer NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  deleted_at     timestamptz
);
CREATE INDEX call_flows_phone_number ON call_flows (phone_number) WHERE deleted_at IS NULL;
CREATE INDEX call_flows_company ON call_flows (lower(company)) WHERE deleted_at IS NULL;

-- Every change to a flow is a new row here; calls pin the version they follow.
CREATE TABLE call_flow_versions (
  flow_id       text NOT NULL REFERENCES call_flows (id),
  version       integer NOT NULL CHECK (version > 0),
  steps         jsonb NOT NULL,
  source        text NOT NULL CHECK (source IN ('api', 'learner')),
  success_count integer NOT NULL DEFAULT 0,
  failure_count integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (flow_id, version)
);

CREATE TABLE calls (
  id             text PRIMARY KEY,
  phone_number   text NOT NULL,
  company        text NOT NULL,
  intent         text NOT NULL,
  user_device    text NOT NULL,
  flow_id        text,
  flow_version   integer,
  status         text NOT NULL CHECK (status IN ('started', 'ended')),
  outcome        text,
  outcome_reason text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  ended_at       timestamptz,
  FOREIGN KEY (flow_id, flow_version) REFERENCES call_flow_versions (flow_id, version)
);
CREATE INDEX calls_phone_number ON calls (phone_number, created_at DESC);

-- What a person gave with a call to key in when asked (account numbers):
-- encrypted at rest, read only by the activity that keys it, deleted when the call ends.
CREATE TABLE call_secrets (
  call_id    text NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  name       text NOT NULL,
  ciphertext bytea NOT NULL,
  PRIMARY KEY (call_id, name)
);

-- Down Migration
DROP TABLE call_secrets;
DROP TABLE calls;
DROP TABLE call_flow_versions;
DROP TABLE call_flows;
