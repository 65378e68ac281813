-- 004_nac.sql - License Exception NAC notifications (15 CFR 740.8(a))
-- and BIS's answer to each.  BIS's procedure (bis.gov, "License
-- exceptions" and "Notification Advance Computing (NAC) process
-- available"): one notification names one ultimate consignee and one end
-- user and at most six items; the exporter waits for BIS's answer and, if
-- approved, receives a NAC authorization number (Axxxxxx) for its AES
-- filing.  A row's status moves from submitted to authorized, objected or
-- expired; every change is an audit record (subject "nac:REFERENCE").
CREATE TABLE nac_notifications (
  id             INTEGER PRIMARY KEY,
  reference      TEXT NOT NULL UNIQUE, -- the exporter's reference (e.g. the SNAP-R number)
  items          TEXT NOT NULL,        -- JSON array of chip ids, at most six
  destination    TEXT NOT NULL,        -- canonical alpha-2
  consignee      TEXT NOT NULL,
  end_user       TEXT NOT NULL,
  submitted_on   TEXT NOT NULL,
  status         TEXT NOT NULL,        -- submitted | authorized | objected | expired
  nac_number     TEXT,                 -- BIS's NAC authorization number, when authorized
  decided_on     TEXT,                 -- date of BIS's answer or of expiry
  valid_until    TEXT,                 -- as BIS states it; NULL = none stated
  notes          TEXT,
  created_at     TEXT NOT NULL,
  created_by     TEXT NOT NULL
);
