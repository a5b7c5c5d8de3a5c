-- Jobs that must run once for the whole site however many machines schedule them (the
-- backup: every machine of a deployment has the same crontab).  `imghost-admin claim`
-- takes a job's turn in one statement; the database's clock decides, not the machines'.
CREATE TABLE scheduled_runs (
  job        text        PRIMARY KEY,
  started_at timestamptz NOT NULL,
  host       text        NOT NULL
);
