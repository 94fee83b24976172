-- Demo User Preferences Profiles (seed 4.1) for the demo users of
-- cfg/demo-users.txt, loaded by `make run` and into the test database
-- (mk/provision-prefs.sh).  Idempotent: the demo users' rows are replaced.
--   alice  Office (active): everything delivered; Home: sessions rejected
--   bob    Home (active): everything delivered
--   carol  Office (active): sessions only to her desk phone
--   dave   Meeting (active): messages deferred, sessions rejected (486)
--   erin   Default (active): file transfer rejected (603 Decline)
BEGIN;
DELETE FROM cpm_pref_profile WHERE username IN ('alice', 'bob', 'carol', 'dave', 'erin');
DELETE FROM cpm_pref_active WHERE username IN ('alice', 'bob', 'carol', 'dave', 'erin');
INSERT INTO cpm_pref_profile (username, profile, service, action, reject_status, reject_reason, devices) VALUES
 ('alice', 'Office', 'msg', 'deliver', 0, '', ''),
 ('alice', 'Office', 'session', 'deliver', 0, '', ''),
 ('alice', 'Home', 'msg', 'deliver', 0, '', ''),
 ('alice', 'Home', 'session', 'reject', 480, 'Not at home for sessions', ''),
 ('bob', 'Home', 'msg', 'deliver', 0, '', ''),
 ('carol', 'Office', 'msg', 'deliver', 0, '', ''),
 ('carol', 'Office', 'session', 'deliver', 0, '', '<urn:uuid:00000000-0000-4000-8000-0000000ca201>'),
 ('dave', 'Meeting', 'msg', 'defer', 0, '', ''),
 ('dave', 'Meeting', 'session', 'reject', 486, 'In a meeting', ''),
 ('dave', 'Office', 'msg', 'deliver', 0, '', ''),
 ('erin', 'Default', 'msg', 'deliver', 0, '', ''),
 ('erin', 'Default', 'filetransfer', 'reject', 603, 'Decline', '');
INSERT INTO cpm_pref_active (username, profile) VALUES
 ('alice', 'Office'), ('bob', 'Home'), ('carol', 'Office'), ('dave', 'Meeting'), ('erin', 'Default');
COMMIT;
