-- Up Migration
-- Speech a hold heard shortly before the person answered is not kept (it may have been
-- them), but it was most likely a recording the line plays: counted, one row a line
-- (value empty, times_heard the count), so later holds know how much they have not heard.
ALTER TABLE line_recordings DROP CONSTRAINT line_recordings_kind_check;
ALTER TABLE line_recordings
  ADD CONSTRAINT line_recordings_kind_check CHECK (kind IN ('fingerprint', 'opening', 'unplaced'));

-- Down Migration
DELETE FROM line_recordings WHERE kind = 'unplaced';
ALTER TABLE line_recordings DROP CONSTRAINT line_recordings_kind_check;
ALTER TABLE line_recordings
  ADD CONSTRAINT line_recordings_kind_check CHECK (kind IN ('fingerprint', 'opening'));
