/* test_tokens.c - access tokens: made once and stored only as a hash,
 * verified with their role, listed without secrets, never reusing names,
 * and refused once revoked; the store's reader reads them and writes
 * nothing. */
#include <setjmp.h> /* cmocka.h needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "loopback.h" /* lb_tmpdb, lb_rmdb */
#include "store_int.h"

typedef struct fixture {
  char dir[64], path[160];
  tg_engine *e;
  tg_store *s;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  if (lb_tmpdb(f->dir, f->path)) return -1;
  if (tg_engine_open(TG_SOURCE_DIR "/tests/fixtures/data", &f->e, NULL) != TG_OK) return -1;
  if (tg_store_open(f->e, f->path, &f->s, NULL) != TG_OK) return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  tg_store_close(f->s);
  tg_engine_close(f->e);
  lb_rmdb(f->dir, f->path);
  free(f);
  return 0;
}

static void test_roles(void **state) {
  (void)state;
  tg_role r;
  assert_int_equal(tg_role_parse("officer", &r, NULL), TG_OK);
  assert_int_equal(r, TG_ROLE_OFFICER);
  assert_true(TG_ROLE_VIEWER < TG_ROLE_OFFICER && TG_ROLE_OFFICER < TG_ROLE_ADMIN);
  tg_error err = {0};
  assert_int_equal(tg_role_parse("root", &r, &err), TG_EINVAL);
  assert_non_null(strstr(err.message, "root"));
  assert_string_equal(tg_role_name(TG_ROLE_ADMIN), "admin");
  assert_null(tg_role_name((tg_role)7));
}

static void test_add_verify_list(void **state) {
  fixture *f = *state;
  char *tok = NULL;
  assert_int_equal(tg_token_add(f->s, "alice", TG_ROLE_OFFICER, 1700000000, &tok, NULL), TG_OK);
  assert_int_equal(strlen(tok), 46);
  assert_memory_equal(tok, "tg_", 3);
  tg_token_info who;
  assert_int_equal(tg_token_verify(f->s, tok, &who, NULL), TG_OK);
  assert_string_equal(who.name, "alice");
  assert_int_equal(who.role, TG_ROLE_OFFICER);
  /* Only the hash is stored: the token's text appears nowhere in the row. */
  tg_stmt *q;
  assert_int_equal(tg__store_prepare(f->s, "SELECT name||role||hash||hint||created_at FROM tokens",
                                     &q, NULL), TG_OK);
  assert_int_equal(tg__step(q), TG__ROW);
  assert_null(strstr(tg__col_text(q, 0), tok + 3));
  tg__finalize(q);
  char *js = NULL;
  assert_int_equal(tg_token_list_json(f->s, &js, NULL), TG_OK);
  assert_non_null(strstr(js, "\"name\": \"alice\""));
  assert_non_null(strstr(js, "\"created_at\": \"2023-11-14T22:13:20Z\""));
  assert_null(strstr(js, tok + 3));
  tg_free(js);
  /* A near miss (one character changed) is refused. */
  tok[10] = tok[10] == 'A' ? 'B' : 'A';
  assert_int_equal(tg_token_verify(f->s, tok, &who, NULL), TG_EDENIED);
  assert_string_equal(who.name, "");
  tg_free(tok);
}

static void test_names_and_garbage(void **state) {
  fixture *f = *state;
  char *tok = NULL;
  tg_error err = {0};
  assert_int_equal(tg_token_add(f->s, "bad name", TG_ROLE_VIEWER, 0, &tok, &err), TG_EINVAL);
  assert_null(tok);
  assert_int_equal(tg_token_add(f->s, "", TG_ROLE_VIEWER, 0, &tok, NULL), TG_EINVAL);
  assert_int_equal(tg_token_add(f->s, "x", (tg_role)0, 0, &tok, NULL), TG_EINVAL);
  assert_int_equal(tg_token_add(f->s, "ops@acme", TG_ROLE_VIEWER, 0, &tok, NULL), TG_OK);
  tg_free(tok);
  assert_int_equal(tg_token_add(f->s, "ops@acme", TG_ROLE_ADMIN, 0, &tok, &err), TG_ECONFLICT);
  assert_null(tok);
  tg_token_info who;
  assert_int_equal(tg_token_verify(f->s, "", &who, NULL), TG_EDENIED);
  assert_int_equal(tg_token_verify(f->s, NULL, &who, NULL), TG_EDENIED);
  assert_int_equal(tg_token_verify(f->s, "tg_' OR 1=1 --xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", &who, NULL),
                   TG_EDENIED);
}

static void test_revoke(void **state) {
  fixture *f = *state;
  char *tok = NULL;
  assert_int_equal(tg_token_add(f->s, "bob", TG_ROLE_ADMIN, 0, &tok, NULL), TG_OK);
  tg_token_info who;
  assert_int_equal(tg_token_verify(f->s, tok, &who, NULL), TG_OK);
  assert_int_equal(tg_token_revoke(f->s, "bob", 1, NULL), TG_OK);
  assert_int_equal(tg_token_verify(f->s, tok, &who, NULL), TG_EDENIED);
  assert_int_equal(tg_token_revoke(f->s, "bob", 2, NULL), TG_ENOTFOUND);
  assert_int_equal(tg_token_revoke(f->s, "nobody", 2, NULL), TG_ENOTFOUND);
  /* The name stays taken after revocation. */
  char *again = NULL;
  assert_int_equal(tg_token_add(f->s, "bob", TG_ROLE_ADMIN, 0, &again, NULL), TG_ECONFLICT);
  char *js = NULL;
  assert_int_equal(tg_token_list_json(f->s, &js, NULL), TG_OK);
  assert_non_null(strstr(js, "\"revoked_at\": \"1970-01-01T00:00:01Z\""));
  tg_free(js);
  tg_free(tok);
}

static int64_t fixed_clock(void *ud) { return *(int64_t *)ud; }

/* A token with --expires works until then, and not from then on (by the
 * store's clock); one that would expire before it is made is refused. */
static void test_expiry(void **state) {
  fixture *f = *state;
  int64_t now = 1800000000;
  tg_store_set_clock(f->s, fixed_clock, &now);
  char *tok = NULL;
  tg_error err = {0};
  assert_int_equal(tg_token_add_expiring(f->s, "temp", TG_ROLE_VIEWER, now, now - 1, &tok, &err),
                   TG_EINVAL);
  assert_null(tok);
  assert_int_equal(tg_token_add_expiring(f->s, "temp", TG_ROLE_VIEWER, now, now + 3600, &tok, NULL),
                   TG_OK);
  tg_token_info who;
  assert_int_equal(tg_token_verify(f->s, tok, &who, NULL), TG_OK);
  now += 3599;
  assert_int_equal(tg_token_verify(f->s, tok, &who, NULL), TG_OK);
  now += 1;
  assert_int_equal(tg_token_verify(f->s, tok, &who, &err), TG_EDENIED);
  assert_non_null(strstr(err.message, "expired"));
  char *js = NULL;
  assert_int_equal(tg_token_list_json(f->s, &js, NULL), TG_OK);
  assert_non_null(strstr(js, "\"expires_at\": \"2027-01-15T09:00:00Z\""));
  tg_free(js);
  tg_free(tok);
  tg_store_set_clock(f->s, NULL, NULL);
}

/* Rotation: a new secret under the same name and role; the old one stops
 * working at once; a revoked or unknown name cannot be rotated.  The
 * listing shows the fingerprint (derived from the hash) and no part of
 * either secret. */
static void test_rotate_and_fingerprint(void **state) {
  fixture *f = *state;
  char *old = NULL, *fresh = NULL;
  assert_int_equal(tg_token_add(f->s, "carol", TG_ROLE_OFFICER, 0, &old, NULL), TG_OK);
  assert_int_equal(tg_token_rotate(f->s, "carol", &fresh, NULL), TG_OK);
  assert_string_not_equal(old, fresh);
  tg_token_info who;
  assert_int_equal(tg_token_verify(f->s, old, &who, NULL), TG_EDENIED);
  assert_int_equal(tg_token_verify(f->s, fresh, &who, NULL), TG_OK);
  assert_string_equal(who.name, "carol");
  assert_int_equal(who.role, TG_ROLE_OFFICER);
  char fp_old[17], fp_new[17];
  assert_int_equal(tg_token_fingerprint(old, fp_old), TG_OK);
  assert_int_equal(tg_token_fingerprint(fresh, fp_new), TG_OK);
  assert_string_not_equal(fp_old, fp_new);
  char *js = NULL;
  assert_int_equal(tg_token_list_json(f->s, &js, NULL), TG_OK);
  assert_non_null(strstr(js, fp_new));
  assert_null(strstr(js, fp_old));
  assert_null(strstr(js, "hint"));
  char piece[7];
  memcpy(piece, fresh + 3, 6); /* not even six characters of the secret */
  piece[6] = '\0';
  assert_null(strstr(js, piece));
  tg_free(js);
  char *none = NULL;
  assert_int_equal(tg_token_rotate(f->s, "nobody", &none, NULL), TG_ENOTFOUND);
  assert_int_equal(tg_token_revoke(f->s, "carol", 5, NULL), TG_OK);
  assert_int_equal(tg_token_rotate(f->s, "carol", &none, NULL), TG_ENOTFOUND);
  assert_null(none);
  tg_free(old);
  tg_free(fresh);
}

/* A token verified (and so remembered) through one connection is refused
 * through it as soon as another connection to the database (another
 * process, another server) has revoked it or rotated its secret: the
 * remembered lookups end with the token epoch (token_cache.c). */
static void test_revoke_elsewhere(void **state) {
  fixture *f = *state;
  char *a = NULL, *b = NULL, *fresh = NULL;
  assert_int_equal(tg_token_add(f->s, "far", TG_ROLE_ADMIN, 0, &a, NULL), TG_OK);
  assert_int_equal(tg_token_add(f->s, "near", TG_ROLE_VIEWER, 0, &b, NULL), TG_OK);
  tg_store *other = NULL;
  assert_int_equal(tg_store_open(f->e, f->path, &other, NULL), TG_OK);
  tg_token_info who;
  for (int i = 0; i < 3; i++) {
    assert_int_equal(tg_token_verify(f->s, a, &who, NULL), TG_OK);
    assert_string_equal(who.name, "far");
    assert_int_equal(tg_token_verify(f->s, b, &who, NULL), TG_OK);
    assert_string_equal(who.name, "near");
    assert_int_equal(who.role, TG_ROLE_VIEWER);
  }
  assert_int_equal(tg_token_revoke(other, "far", 9, NULL), TG_OK);
  assert_int_equal(tg_token_verify(f->s, a, &who, NULL), TG_EDENIED);
  assert_int_equal(tg_token_verify(f->s, b, &who, NULL), TG_OK); /* the other one still works */
  assert_int_equal(tg_token_rotate(other, "near", &fresh, NULL), TG_OK);
  assert_int_equal(tg_token_verify(f->s, b, &who, NULL), TG_EDENIED);
  assert_int_equal(tg_token_verify(f->s, fresh, &who, NULL), TG_OK);
  assert_string_equal(who.name, "near");
  /* SQLite: the signal is a file beside the database, shared by every
   * process (PostgreSQL: no cache, every verification asks the database) */
  char side[200];
  snprintf(side, sizeof side, "%s-tokens", f->path);
  assert_int_equal(access(side, F_OK), strncmp(f->path, "postgres", 8) ? 0 : -1);
  tg_store_close(other);
  tg_free(a);
  tg_free(b);
  tg_free(fresh);
}

/* The reader (tg_store_open_reader, the server's connection for token
 * checks and reads) reads what the writer wrote and cannot write. */
/* The lease (a server's tokens verified from memory, token_cache.c):
 * answered from memory once looked up; after a revocation or rotation
 * through another connection has returned, the memory is not used: on
 * PostgreSQL because the revocation outlasted the lease (no renewal in
 * between), on both after a renewal, which sees the change. */
static void test_lease(void **state) {
  fixture *f = *state;
  bool pg = !strncmp(f->path, "postgres", 8);
  char *a = NULL, *b = NULL, *fresh = NULL;
  assert_int_equal(tg_token_add(f->s, "lessee", TG_ROLE_OFFICER, 0, &a, NULL), TG_OK);
  assert_int_equal(tg_token_add(f->s, "tenant", TG_ROLE_VIEWER, 0, &b, NULL), TG_OK);
  tg_store *other = NULL;
  assert_int_equal(tg_store_open(f->e, f->path, &other, NULL), TG_OK);
  tg_token_lease *l = NULL;
  assert_int_equal(tg_token_lease_new(&l, NULL), TG_OK);
  tg_token_info who;
  /* nothing remembered before a lookup, nor before the first renewal */
  assert_int_equal(tg_token_verify_leased(l, NULL, a, &who, NULL), TG_ENOTFOUND);
  assert_int_equal(tg_token_verify_leased(l, f->s, a, &who, NULL), TG_OK);
  assert_int_equal(tg_token_verify_leased(l, NULL, a, &who, NULL), TG_ENOTFOUND);
  assert_int_equal(tg_token_lease_renew(l, f->s, NULL), TG_OK);
  assert_int_equal(tg_token_verify_leased(l, f->s, a, &who, NULL), TG_OK);
  assert_int_equal(tg_token_verify_leased(l, f->s, b, &who, NULL), TG_OK);
  /* from memory now (renewed again first: no change, so what is
   * remembered stays; the lookups above may outlast a lease on a loaded
   * machine, and the memory is used only under a current one) */
  assert_int_equal(tg_token_lease_renew(l, f->s, NULL), TG_OK);
  assert_int_equal(tg_token_verify_leased(l, NULL, a, &who, NULL), TG_OK);
  assert_string_equal(who.name, "lessee");
  assert_int_equal(who.role, TG_ROLE_OFFICER);
  assert_int_equal(tg_token_verify_leased(l, NULL, b, &who, NULL), TG_OK);
  assert_string_equal(who.name, "tenant");
  assert_int_equal(tg_token_verify_leased(l, NULL, "tg_nope", &who, NULL), TG_EDENIED);
  assert_int_equal(tg_token_revoke(other, "lessee", 9, NULL), TG_OK);
  if (pg) /* the revocation returned after the lease ran out */
    assert_int_equal(tg_token_verify_leased(l, NULL, a, &who, NULL), TG_ENOTFOUND);
  assert_int_equal(tg_token_lease_renew(l, f->s, NULL), TG_OK);
  assert_int_equal(tg_token_verify_leased(l, NULL, a, &who, NULL), TG_ENOTFOUND);
  assert_int_equal(tg_token_verify_leased(l, NULL, b, &who, NULL), TG_ENOTFOUND); /* all forgotten */
  assert_int_equal(tg_token_verify_leased(l, f->s, a, &who, NULL), TG_EDENIED);
  assert_int_equal(tg_token_verify_leased(l, f->s, b, &who, NULL), TG_OK);
  assert_int_equal(tg_token_lease_renew(l, f->s, NULL), TG_OK); /* as above */
  assert_int_equal(tg_token_verify_leased(l, NULL, b, &who, NULL), TG_OK);
  assert_int_equal(tg_token_rotate(other, "tenant", &fresh, NULL), TG_OK);
  if (pg)
    assert_int_equal(tg_token_verify_leased(l, NULL, b, &who, NULL), TG_ENOTFOUND);
  assert_int_equal(tg_token_lease_renew(l, f->s, NULL), TG_OK);
  assert_int_equal(tg_token_verify_leased(l, NULL, b, &who, NULL), TG_ENOTFOUND);
  assert_int_equal(tg_token_verify_leased(l, f->s, b, &who, NULL), TG_EDENIED);
  assert_int_equal(tg_token_verify_leased(l, f->s, fresh, &who, NULL), TG_OK);
  assert_string_equal(who.name, "tenant");
  /* a renewal without a change keeps what is remembered */
  assert_int_equal(tg_token_lease_renew(l, f->s, NULL), TG_OK);
  assert_int_equal(tg_token_verify_leased(l, NULL, fresh, &who, NULL), TG_OK);
  if (pg) { /* a deleted row might not move the sum: deletion is refused */
    tg_error err = {0};
    assert_int_not_equal(tg__store_exec(other, "DELETE FROM tokens WHERE name = 'tenant'", &err), TG_OK);
    assert_non_null(strstr(err.message, "never deleted"));
    assert_int_not_equal(tg__store_exec(other, "TRUNCATE tokens", &err), TG_OK);
    assert_non_null(strstr(err.message, "never deleted"));
    assert_int_equal(tg_token_verify(other, fresh, &who, NULL), TG_OK);
  }
  tg_token_lease_free(l);
  tg_store_close(other);
  tg_free(a);
  tg_free(b);
  tg_free(fresh);
}

static void test_reader_read_only(void **state) {
  fixture *f = *state;
  char *tok = NULL;
  assert_int_equal(tg_token_add(f->s, "dora", TG_ROLE_VIEWER, 0, &tok, NULL), TG_OK);
  tg_store *r = NULL;
  tg_error err = {0};
  assert_int_equal(tg_store_open_reader(f->s, &r, &err), TG_OK);
  tg_token_info who;
  assert_int_equal(tg_token_verify(r, tok, &who, NULL), TG_OK);
  assert_string_equal(who.name, "dora");
  char *extra = NULL;
  assert_int_not_equal(tg_token_add(r, "eve", TG_ROLE_ADMIN, 0, &extra, &err), TG_OK);
  assert_null(extra);
  fprintf(stderr, "write through the reader: %s\n", err.message);
  assert_true(strstr(err.message, "read-only") || strstr(err.message, "readonly"));
  assert_int_not_equal(tg_token_revoke(r, "dora", 5, NULL), TG_OK);
  assert_int_not_equal(tg__store_exec(r, "CREATE TABLE t_ro (a INTEGER)", NULL), TG_OK);
  assert_int_equal(tg_token_verify(f->s, tok, &who, NULL), TG_OK); /* still valid */
  tg_store_close(r);
  tg_free(tok);
}

int main(void) {
  const struct CMUnitTest t[] = {
      cmocka_unit_test(test_roles),
      cmocka_unit_test_setup_teardown(test_add_verify_list, setup, teardown),
      cmocka_unit_test_setup_teardown(test_names_and_garbage, setup, teardown),
      cmocka_unit_test_setup_teardown(test_revoke, setup, teardown),
      cmocka_unit_test_setup_teardown(test_expiry, setup, teardown),
      cmocka_unit_test_setup_teardown(test_rotate_and_fingerprint, setup, teardown),
      cmocka_unit_test_setup_teardown(test_reader_read_only, setup, teardown),
      cmocka_unit_test_setup_teardown(test_revoke_elsewhere, setup, teardown),
      cmocka_unit_test_setup_teardown(test_lease, setup, teardown),
  };
  return cmocka_run_group_tests(t, NULL, NULL);
}
