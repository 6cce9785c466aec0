-- Up Migration
-- Set while a user's password is one the hub generated (the first admin's, or one printed by
-- `npm run admin -- reset-password`): ADMIN_PASSWORD replaces such a password at start, never
-- one a person chose. Any other password change clears it.
ALTER TABLE app_user ADD COLUMN password_generated boolean NOT NULL DEFAULT false;
-- The first admin created with a generated password and never changed since.
UPDATE app_user SET password_generated = true
WHERE username = 'admin' AND must_change_password AND password_changed_at = created_at
  AND id = (SELECT min(id) FROM app_user);

-- Down Migration
ALTER TABLE app_user DROP COLUMN password_generated;
