-- Up Migration
-- How many menu decisions a call's navigator made, by the rules and by a language
-- model: a call that follows a learned flow should need few or none.
ALTER TABLE calls
  ADD COLUMN decisions_by_rules integer NOT NULL DEFAULT 0,
  ADD COLUMN decisions_by_model integer NOT NULL DEFAULT 0;

-- Down Migration
ALTER TABLE calls DROP COLUMN decisions_by_rules, DROP COLUMN decisions_by_model;
