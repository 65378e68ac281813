-- 010_list_generation.sql - a generation for each stored list.  An import
-- replaces a kind's row; SQLite may give the new row the replaced row's id,
-- and an import of a file of the same name, publication and entry count in
-- the same second then left every column the servers' version check
-- (tg_lists_version) and the CLI's index cache key read unchanged, so a
-- changed list could go unnoticed.  Each import now stores one more than
-- the largest generation stored before it.  Rows stored before this
-- migration keep generation 0.
ALTER TABLE screening_list ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
