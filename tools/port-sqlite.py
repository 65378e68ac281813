#!/usr/bin/env python3
"""port-sqlite.py - rewrites direct sqlite3_ calls in the given C files to
the store interface (src/lib/store_int.h).  Used when code written against
SQLite lands; prints what it could not convert."""
import re, sys

SUBS = [
    (r'sqlite3_bind_text\(([^,]+),\s*([^,]+),\s*(.+?),\s*-1,\s*SQLITE_(?:STATIC|TRANSIENT)\)', r'tg__bind_text(\1, \2, \3)'),
    (r'sqlite3_prepare_v2\(s->db,\s*(.+?),\s*-1,\s*&(\w+),\s*NULL\)', r'tg__store_prepare(s, \1, &\2, NULL)'),
    (r'sqlite3_last_insert_rowid\((\w+)->db\)', r'tg__last_id(\1)'),
    (r'sqlite3_changes\((\w+)->db\)', r'tg__changes(\1)'),
    (r'sqlite3_errmsg\((\w+)->db\)', r'tg__store_errmsg(\1)'),
    (r'\bsqlite3_stmt\b', 'tg_stmt'),
    (r'\bsqlite3_int64\b', 'int64_t'),
    (r'\bsqlite3_finalize\(', 'tg__finalize('),
    (r'\bsqlite3_step\(', 'tg__step('),
    (r'\bsqlite3_reset\(', 'tg__reset('),
    (r'\bsqlite3_bind_int64\(', 'tg__bind_int64('),
    (r'\bsqlite3_bind_int\(', 'tg__bind_int64('),
    (r'\bsqlite3_bind_null\(', 'tg__bind_null('),
    (r'\bsqlite3_column_int64\(', 'tg__col_int64('),
    (r'\bsqlite3_column_int\(', 'tg__col_int('),
    (r'\bsqlite3_column_text\(', 'tg__col_text('),
    (r'\bsqlite3_column_blob\(', 'tg__col_text('),
    (r'\bsqlite3_column_bytes\(', 'tg__col_bytes('),
    (r'\bsqlite3_column_type\(', 'tg__col_type('),
    (r'\bsqlite3_column_double\(', 'tg__col_double('),
    (r'\bsqlite3_column_count\(', 'tg__col_count('),
    (r'\bsqlite3_column_name\(', 'tg__col_name('),
    (r'\bSQLITE_ROW\b', 'TG__ROW'),
    (r'\bSQLITE_DONE\b', 'TG__DONE'),
    (r'\bSQLITE_CONSTRAINT\b', 'TG__STEP_CONSTRAINT'),
    (r'\bSQLITE_NULL\b', 'TG__NULL'),
    (r'\bSQLITE_INTEGER\b', 'TG__INTEGER'),
    (r'\bSQLITE_FLOAT\b', 'TG__FLOAT'),
    (r'\bSQLITE_BLOB\b', 'TG__BLOB'),
    (r'\bSQLITE_TEXT\b', 'TG__TEXT'),
    (r'#include <sqlite3.h>\n', ''),
]

for path in sys.argv[1:]:
    src = open(path).read()
    out = src
    for pat, rep in SUBS:
        out = re.sub(pat, rep, out)
    if out != src:
        open(path, 'w').write(out)
    for n, line in enumerate(out.splitlines(), 1):
        if re.search(r'sqlite3_|SQLITE_|\bPQ[a-z]', line):
            print(f'{path}:{n}: left: {line.strip()}')
