-- Up Migration

-- The duty roster: who is on call for which duty area, when. Position 1 is first on call,
-- 2 the next (whom escalation goes to), and so on. New alerts of an area's sites are
-- assigned to the first on call; each escalation to the next (docs/contract.md §4.5).
-- A shift goes with its person: deleting the user deletes their shifts.
CREATE TABLE duty_shift (
  id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  area        text NOT NULL CHECK (area IN ('environment', 'gas', 'ports', 'pumps')),
  user_id     integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  position    smallint NOT NULL CHECK (position BETWEEN 1 AND 9),
  start_at    timestamptz NOT NULL,
  end_at      timestamptz NOT NULL,
  note        text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  -- At most seven days a shift (the API says so first, with a clearer message).
  CONSTRAINT duty_shift_period CHECK (end_at > start_at AND end_at - start_at <= interval '7 days')
);
-- The roster over a period and the on-call cache (shifts ending after a time, starting before
-- another); the overlap check of a new shift (same area, same position or person).
CREATE INDEX duty_shift_end_idx ON duty_shift (end_at, start_at);
CREATE INDEX duty_shift_area_idx ON duty_shift (area, end_at);
-- Deleting a user finds their shifts.
CREATE INDEX duty_shift_user_idx ON duty_shift (user_id);

-- Down Migration
DROP TABLE duty_shift;
