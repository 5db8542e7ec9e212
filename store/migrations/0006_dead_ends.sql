-- Up Migration
-- Ways through a number's menus that led nowhere (the line hung up after them), folded
-- from call.dead_end events by the learner: no later call to the number tries them again.
CREATE TABLE dead_ends (
  phone_number text NOT NULL,
  -- The menu acted at, as first heard.
  menu text NOT NULL,
  -- The navigator action taken there (a secret by name only).
  action jsonb NOT NULL,
  -- The action as one string, so the same way is kept once per menu.
  action_key text NOT NULL,
  ending text NOT NULL,
  times integer NOT NULL DEFAULT 1 CHECK (times > 0),
  first_call_id text NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (phone_number, menu, action_key)
);
CREATE INDEX dead_ends_by_number ON dead_ends (phone_number, last_seen_at DESC);

-- Down Migration
DROP TABLE dead_ends;
