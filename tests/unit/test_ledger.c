/* test_ledger.c - the license ledger through the public API: every limit
 * on both sides (quantity, value, dates, destination, end user, the 50%
 * aggregate-TPP cap), NAC notice, payments to the cent, corrections,
 * backup.  Decisions come from the synthetic rules in
 * tests/data/ledger-rules (a license required to CN/MO/AE; NAC with 25
 * days' notice to AE; 15% payment on licensed CN shipments from
 * 2025-08-01, 25% and the TPP-cap condition from 2026-01-15), so the
 * tests control their facts whatever data/rules holds.  nv-h20's TPP is
 * 2368 (catalog, vendor figures). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger_int.h" /* tg__audit_append: another connection's append */
#include "ledger_test_util.h"

static tg_status add_l1(fixture *f, const char *const *users, size_t nusers, int cap) {
  const char *chips[] = {"nv-h20"}, *dests[] = {"CN", "MO"};
  tg_license_spec sp;
  license_spec(&sp, "L-1", chips, 1, dests, 2, "2025-08-15", "2026-08-14");
  sp.end_users = users;
  sp.nend_users = nusers;
  sp.qty_limit = 100;
  sp.value_limit_cents = 100000000; /* USD 1,000,000.00 */
  sp.tpp_cap_pct = cap;
  return tg_license_add(f->s, &sp, "alice", NULL, NULL);
}

static void test_quantity_limit(void **state) {
  fixture *f = *state;
  assert_int_equal(add_l1(f, NULL, 0, 0), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 60, 100, "2025-09-01", "L-1", NULL), TG_OK);
  /* 40 left: 41 is refused, exactly 40 is recorded, then 1 more refused */
  assert_int_equal(ship(f, "nv-h20", "CN", 41, 100, "2025-09-01", "L-1", NULL), TG_EREFUSED);
  assert_string_equal(last_code(f), "quantity");
  assert_int_equal(ship(f, "nv-h20", "CN", 40, 100, "2025-09-01", "L-1", NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-09-01", "L-1", NULL), TG_EREFUSED);
  assert_int_equal(count_rows(f, "shipments"), 2);
}

static void test_value_limit(void **state) {
  fixture *f = *state;
  assert_int_equal(add_l1(f, NULL, 0, 0), TG_OK);
  /* limit USD 1,000,000.00: 50 x 19,999.99 = 999,999.50 fits, leaving 0.50 */
  assert_int_equal(ship(f, "nv-h20", "CN", 50, 1999999, "2025-09-01", "L-1", NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 51, "2025-09-01", "L-1", NULL), TG_EREFUSED);
  assert_string_equal(last_code(f), "value");
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 50, "2025-09-01", "L-1", NULL), TG_OK);
}

static void test_dates(void **state) {
  fixture *f = *state;
  assert_int_equal(add_l1(f, NULL, 0, 0), TG_OK);
  /* US shipments, so the fixture's 2026 TPP cap is not what refuses */
  assert_int_equal(ship(f, "nv-h20", "US", 100, 100, "2025-08-01", NULL, NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-08-14", "L-1", NULL), TG_EREFUSED);
  assert_string_equal(last_code(f), "dates");
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-08-15", "L-1", NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2026-08-14", "L-1", NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2026-08-15", "L-1", NULL), TG_EREFUSED);
  assert_string_equal(last_code(f), "dates");
}

static void test_destination_and_chip(void **state) {
  fixture *f = *state;
  assert_int_equal(add_l1(f, NULL, 0, 0), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "MO", 1, 100, "2025-09-01", "L-1", NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "HK", 1, 100, "2025-09-01", "L-1", NULL), TG_OK); /* HK is CN */
  assert_int_equal(ship(f, "nv-h20", "AE", 1, 100, "2025-09-01", "L-1", NULL), TG_EREFUSED);
  assert_string_equal(last_code(f), "destination");
  assert_int_equal(ship(f, "nv-h200-sxm", "CN", 1, 100, "2025-09-01", "L-1", NULL), TG_EREFUSED);
  assert_string_equal(last_code(f), "chip");
  /* a determination that depends on an unknown fact (amd-mi308x's TPP) */
  assert_int_equal(ship(f, "amd-mi308x", "CN", 1, 100, "2025-09-01", NULL, NULL), TG_EREFUSED);
  assert_string_equal(last_code(f), "undetermined");
  /* a license needed and none named; an unknown license */
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-09-01", NULL, NULL), TG_EREFUSED);
  assert_string_equal(last_code(f), "license_required");
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-09-01", "L-9", NULL), TG_EREFUSED);
  assert_string_equal(last_code(f), "license_unknown");
}

static void test_eccn_license(void **state) {
  fixture *f = *state;
  const char *chips[] = {"3A090"}, *dests[] = {"CN"};
  tg_license_spec sp;
  license_spec(&sp, "E-1", chips, 1, dests, 1, "2025-01-01", "2027-01-01");
  assert_int_equal(tg_license_add(f->s, &sp, "alice", NULL, NULL), TG_OK);
  /* the fixture classifies TPP >= 1000 as 3A090.a, which "3A090" covers */
  assert_int_equal(ship(f, "nv-h200-sxm", "CN", 3, 100, "2025-09-01", "E-1", NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 3, 100, "2025-09-01", "E-1", NULL), TG_OK);
  assert_int_equal(tg_license_add(f->s, &sp, "alice", NULL, NULL), TG_ECONFLICT);
  chips[0] = "no-such-chip";
  sp.number = "E-2";
  assert_int_equal(tg_license_add(f->s, &sp, "alice", NULL, NULL), TG_EINVAL);
  chips[0] = "3A090";
  sp.valid_until = D("2024-01-01");
  assert_int_equal(tg_license_add(f->s, &sp, "alice", NULL, NULL), TG_EINVAL);
  assert_int_equal(tg_license_add(f->s, &sp, "", NULL, NULL), TG_EINVAL);
}

static void test_end_user(void **state) {
  fixture *f = *state;
  const char *users[] = {"Alpha Cloud Ltd"};
  assert_int_equal(add_l1(f, users, 1, 0), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-09-01", "L-1", "alpha cloud ltd "), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-09-01", "L-1", "Beta Compute"), TG_EREFUSED);
  assert_string_equal(last_code(f), "end_user");
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-09-01", "L-1", NO_END_USER), TG_EREFUSED);
  assert_string_equal(last_code(f), "end_user");
  /* no license needed, still no shipment without its end user */
  assert_int_equal(ship(f, "nv-h20", "DE", 1, 100, "2025-09-01", NULL, NO_END_USER), TG_EREFUSED);
  assert_string_equal(last_code(f), "end_user");
}

static void test_revoked(void **state) {
  fixture *f = *state;
  assert_int_equal(add_l1(f, NULL, 0, 0), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-09-01", "L-1", NULL), TG_OK);
  assert_int_equal(tg_license_revoke(f->s, "L-1", "BIS letter", "bob", NULL, NULL), TG_OK);
  assert_int_equal(tg_license_revoke(f->s, "L-1", "again", "bob", NULL, NULL), TG_ECONFLICT);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-09-01", "L-1", NULL), TG_EREFUSED);
  assert_string_equal(last_code(f), "license_revoked");
  assert_int_equal(tg_license_revoke(f->s, "L-9", NULL, "bob", NULL, NULL), TG_ENOTFOUND);
}

/* The cap stated on the license (no rule imposes it in 2025): CN/MO TPP
 * under the license <= 50% of the same chip's US TPP to date. */
static void test_cap_on_license(void **state) {
  fixture *f = *state;
  assert_int_equal(add_l1(f, NULL, 0, 50), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-09-01", "L-1", NULL), TG_EREFUSED);
  assert_string_equal(last_code(f), "tpp_cap");
  assert_int_equal(ship(f, "nv-h20", "US", 20, 100, "2025-09-01", NULL, NULL), TG_OK);
  /* a US shipment dated later does not count for an earlier one */
  assert_int_equal(ship(f, "nv-h20", "US", 100, 100, "2025-12-01", NULL, NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 10, 100, "2025-09-01", "L-1", NULL), TG_OK); /* 50% */
  assert_int_equal(ship(f, "nv-h20", "MO", 1, 100, "2025-09-02", "L-1", NULL), TG_EREFUSED);
  assert_string_equal(last_code(f), "tpp_cap");
  /* another chip's US shipments do not count */
  assert_int_equal(ship(f, "nv-h200-sxm", "US", 1000, 100, "2025-09-01", NULL, NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "MO", 1, 100, "2025-09-02", "L-1", NULL), TG_EREFUSED);
}

/* Issue 10: the cap's sums (units x TPP) are taken in 128 bits.  Rows
 * past the bounds (4e18 units each, as an old database or a hand edit
 * left them) make the US side about 9.5e24 TPP, far past int64: the cap is
 * still decided exactly (a refusal naming the cap, never a failure), and
 * a refused shipment writes nothing. */
static void test_cap_sums_past_int64(void **state) {
  fixture *f = *state;
  const char *chips[] = {"nv-h20"}, *dests[] = {"CN", "MO"};
  tg_license_spec sp;
  license_spec(&sp, "L-BIG", chips, 1, dests, 2, "2025-08-15", "2026-08-14");
  sp.tpp_cap_pct = 50; /* no quantity or value limit: only the cap decides */
  assert_int_equal(tg_license_add(f->s, &sp, "alice", NULL, NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "US", 1, 100, "2025-09-01", NULL, NULL), TG_OK);
  assert_int_equal(tg__store_exec(f->s, "UPDATE shipments SET qty = 4000000000000000000 WHERE dest = 'US'",
                                  NULL),
                   TG_OK);
  /* CN 0 + 1 unit against half of 4e18 US units: within the cap */
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-09-02", "L-BIG", NULL), TG_OK);
  /* CN now 1e6 units at a stored TPP of 9e18 (milli): 9e24, over half of
   * the US total of 9.47e24 (the row keeps within the license's bounds, so
   * only the cap can refuse the next unit) */
  assert_int_equal(tg__store_exec(f->s,
                                  "UPDATE shipments SET qty = 1000000, tpp_milli = 9000000000000000000 "
                                  "WHERE dest = 'CN'",
                                  NULL),
                   TG_OK);
  int64_t before = count_rows(f, "shipments");
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-09-03", "L-BIG", NULL), TG_EREFUSED);
  assert_string_equal(last_code(f), "tpp_cap");
  assert_int_equal(count_rows(f, "shipments"), before);
}

/* A one-unit nv-h20 order to a CN customer on 2025-09-02, drawn on L-1:
 * the item the batch tests repeat. */
static void one_unit_to_cn(fixture *f, tg_order *o, tg_ship_opts *opts) {
  tg_order_init(o);
  o->chip = tg_catalog_find(f->e, "nv-h20");
  o->dest = o->hq = "CN";
  o->qty = 1;
  o->unit_price_cents = 100;
  o->on = D("2025-09-02");
  o->end_user = "Test Customer Ltd";
  tg_ship_opts_init(opts);
  opts->license = "L-1";
}

/* The cap's running totals (tpp_totals) in a group commit: 15 one-unit
 * CN items in one batch against a cap of 50% of 20 US units; each item
 * sees the ones before it, so exactly 10 are recorded and 5 refused; a
 * reversal gives its room back, and a later US shipment widens the cap. */
static void test_cap_in_one_batch(void **state) {
  fixture *f = *state;
  assert_int_equal(add_l1(f, NULL, 0, 50), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "US", 20, 100, "2025-09-01", NULL, NULL), TG_OK);
  tg_order o;
  tg_ship_opts opts;
  one_unit_to_cn(f, &o, &opts);
  tg_ship_item items[15];
  for (size_t i = 0; i < 15; i++) items[i] = (tg_ship_item){.order = &o, .opts = &opts, .actor = "alice"};
  assert_int_equal(tg_ship_batch(f->s, f->e, items, 15, NULL), TG_OK);
  int ok = 0, capped = 0;
  for (size_t i = 0; i < 15; i++) {
    ok += items[i].status == TG_OK;
    capped += items[i].status == TG_EREFUSED && strstr(items[i].json, "\"tpp_cap\"");
    assert_true(items[i].status == TG_OK ? i < 10 : i >= 10); /* in order */
    tg_free(items[i].json);
  }
  assert_int_equal(ok, 10);
  assert_int_equal(capped, 5);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-09-02", "L-1", NULL), TG_EREFUSED);
  assert_int_equal(tg_shipment_reverse(f->s, 3, "entered twice", "bob", NULL, NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-09-02", "L-1", NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-09-02", "L-1", NULL), TG_EREFUSED);
  assert_int_equal(ship(f, "nv-h20", "US", 2, 100, "2025-09-01", NULL, NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-09-02", "L-1", NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2025-09-02", "L-1", NULL), TG_EREFUSED);
  /* audit verify checks the totals against the shipments: none differ,
   * then a total changed behind Tollgate's back is named */
  for (int round = 0; round < 2; round++) {
    if (round)
      assert_int_equal(tg__store_exec(f->s, "UPDATE tpp_totals SET total = '1' WHERE license_id <> 0",
                                      NULL), TG_OK);
    char *js = NULL;
    assert_int_equal(tg_audit_verify(f->s, &js, NULL), TG_OK);
    json_t *v = json_loads(js, 0, NULL), *ob = json_object_get(v, "out_of_bounds");
    assert_int_equal(json_array_size(ob), (size_t)round);
    const char *subject = json_string_value(json_object_get(json_array_get(ob, 0), "subject"));
    if (round) assert_non_null(strstr(subject, "tpp_totals:nv-h20/"));
    json_decref(v);
    tg_free(js);
  }
}

/* The audit chain verifies. */
static void assert_chain_ok(fixture *f) {
  char *js = NULL;
  assert_int_equal(tg_audit_verify(f->s, &js, NULL), TG_OK);
  json_t *v = json_loads(js, 0, NULL);
  assert_true(json_is_true(json_object_get(v, "ok")));
  json_decref(v);
  tg_free(js);
}

/* Late items (tg_ship_batch_late): what a group commit's queue gets while
 * the batch runs.  The first call hands over a shipment and an audit
 * record, asked for no more than late_max; later calls find nothing. */
typedef struct late_src {
  tg_ship_item *items;
  size_t n, calls, max_seen;
} late_src;

static size_t give_late(void *ctx, tg_ship_item **out, size_t max) {
  late_src *l = ctx;
  if (max > l->max_seen) l->max_seen = max;
  size_t got = l->calls++ ? 0 : l->n;
  for (size_t i = 0; i < got && i < max; i++) out[i] = &l->items[i];
  return got < max ? got : max;
}

/* License L-1 and an order of one unit to CN drawing on it. */
static void l1_and_order(fixture *f, tg_order *o, tg_ship_opts *opts) {
  assert_int_equal(add_l1(f, NULL, 0, 0), TG_OK);
  one_unit_to_cn(f, o, opts);
}

/* Two items the caller gives and two that come late share one commit:
 * all four are recorded (the late shipment checked against the license
 * after the first two, drawing on what they left), the chain verifies. */
static void test_late_items(void **state) {
  fixture *f = *state;
  tg_order o;
  tg_ship_opts opts;
  l1_and_order(f, &o, &opts);
  tg_ship_item first[2] = {{.order = &o, .opts = &opts, .actor = "alice"},
                           {.order = &o, .opts = &opts, .actor = "alice"}};
  tg_ship_item late[2] = {{.order = &o, .opts = &opts, .actor = "bob"},
                          {.actor = "carol", .audit_action = "test.note", .audit_subject = "note:y",
                           .audit_content = "{}"}};
  late_src src = {.items = late, .n = 2};
  int64_t before = count_rows(f, "shipments");
  assert_int_equal(tg_ship_batch_late(f->s, f->e, first, 2, give_late, &src, 5, NULL), TG_OK);
  assert_true(src.calls >= 2);     /* asked again after the first round */
  assert_int_equal(src.max_seen, 5);
  for (int i = 0; i < 2; i++) assert_int_equal(first[i].status, TG_OK);
  assert_int_equal(late[0].status, TG_OK);
  assert_int_equal(late[1].status, TG_OK);
  assert_null(late[1].json);
  json_t *j = json_loads(late[0].json, 0, NULL);
  assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "license_remaining"), "qty")),
                   100 - 3);
  json_decref(j);
  for (int i = 0; i < 2; i++) tg_free(first[i].json), tg_free(late[i].json);
  assert_int_equal(count_rows(f, "shipments"), before + 3);
  assert_int_equal(count_where(f, "audit", "action = 'test.note' AND subject = 'note:y'"), 1);
  assert_chain_ok(f);
}

/* A test.note audit record by carol, as a batch item. */
#define NOTE(subject) \
  { .actor = "carol", .audit_action = "test.note", .audit_subject = subject, .audit_content = "{}" }

/* Audit records lead a batch (a transaction that takes no ledger lock)
 * and a shipment comes late: the shipment takes the ledger's lock before
 * its checks, and both are recorded once; the chain verifies. */
static void test_records_then_late_shipment(void **state) {
  fixture *f = *state;
  tg_order o;
  tg_ship_opts opts;
  l1_and_order(f, &o, &opts);
  tg_ship_item first[2] = {NOTE("note:a"), NOTE("note:b")};
  tg_ship_item late[1] = {{.order = &o, .opts = &opts, .actor = "bob"}};
  late_src src = {.items = late, .n = 1};
  int64_t before = count_rows(f, "shipments");
  assert_int_equal(tg_ship_batch_late(f->s, f->e, first, 2, give_late, &src, 4, NULL), TG_OK);
  assert_int_equal(first[0].status, TG_OK);
  assert_int_equal(first[1].status, TG_OK);
  assert_int_equal(late[0].status, TG_OK);
  tg_free(late[0].json);
  assert_int_equal(count_rows(f, "shipments"), before + 1);
  assert_int_equal(count_where(f, "audit", "action = 'test.note'"), 2);
  assert_int_equal(count_where(f, "audit", "action = 'shipment.record'"), 1);
  assert_verify_ok(f);
}

/* PostgreSQL's two locks (store_pg.c): a batch of audit records does not
 * wait for the ledger's lock, which another connection holds through its
 * transaction, but does wait for the chain's (so appends stay serialized):
 * with the chain's lock held elsewhere it runs out of its wait (busy),
 * records nothing, and once the lock is let go it goes in; every record
 * is in the chain once and the chain verifies.  (SQLite has one lock,
 * BEGIN IMMEDIATE's: nothing to separate.) */
static void test_records_beside_ledger_lock(void **state) {
  fixture *f = *state;
  if (!tdb_is_pg()) skip();
  tg_store *other;
  assert_int_equal(tg_store_open(f->e, f->db, &other, NULL), TG_OK);
  tg_store_set_busy_timeout(f->s, 200);
  tg_ship_item rec[2] = {NOTE("note:c"), NOTE("note:d")};
  /* the ledger's lock held elsewhere: the records go in */
  assert_int_equal(tg__store_begin(other, NULL), TG_OK);
  assert_int_equal(tg_ship_batch(f->s, f->e, rec, 2, NULL), TG_OK);
  assert_int_equal(rec[0].status, TG_OK);
  assert_int_equal(rec[1].status, TG_OK);
  /* ... and that transaction appends after them, then commits */
  assert_int_equal(tg__audit_append(other, "dave", "test.note", "note:e", "{}", NULL, NULL), TG_OK);
  assert_int_equal(tg__store_commit(other, NULL), TG_OK);
  /* the chain's lock held elsewhere (an append not committed): busy */
  assert_int_equal(tg__store_begin(other, NULL), TG_OK);
  assert_int_equal(tg__audit_append(other, "dave", "test.note", "note:f", "{}", NULL, NULL), TG_OK);
  tg_ship_item one = NOTE("note:g");
  assert_int_equal(tg_ship_batch(f->s, f->e, &one, 1, NULL), TG_OK); /* the item's answer: */
  assert_int_equal(one.status, TG_EBUSY);
  tg__store_rollback(other);
  one = (tg_ship_item)NOTE("note:g");
  assert_int_equal(tg_ship_batch(f->s, f->e, &one, 1, NULL), TG_OK);
  assert_int_equal(one.status, TG_OK);
  tg_store_close(other);
  assert_int_equal(count_where(f, "audit", "action = 'test.note'"), 4);
  assert_int_equal(count_where(f, "audit", "subject = 'note:f'"), 0);
  assert_verify_ok(f);
}

/* One group commit of 90 items: 80 one-unit CN shipments on L-1 (100
 * units, 30 drawn before) with ten audit records among them.  The batch
 * is written in multi-row INSERTs (64 rows, then the rest): exactly the 70
 * units left are recorded, in order, each answer its own row; the audit
 * records keep their place in the one chain, which verifies.  Then a
 * shipment the database rejects (a trigger) sends the batch down the
 * careful path: only that item fails, the others are recorded. */
static void test_big_mixed_batch(void **state) {
  fixture *f = *state;
  assert_int_equal(add_l1(f, NULL, 0, 0), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 30, 100, "2025-09-01", "L-1", NULL), TG_OK);
  tg_order o, bad;
  tg_ship_opts opts;
  one_unit_to_cn(f, &o, &opts);
  enum { N = 90 };
  tg_ship_item items[N];
  int64_t audits_before = count_where(f, "audit", "action = 'test.note'");
  for (size_t i = 0; i < N; i++)
    items[i] = i % 9 == 4 ? (tg_ship_item){.actor = "carol", .audit_action = "test.note",
                                           .audit_subject = "note:x", .audit_content = "{\"b\": 1, \"a\": 2}"}
                          : (tg_ship_item){.order = &o, .opts = &opts, .actor = "alice"};
  unsigned long redone = f->s->batches_redone;
  assert_int_equal(tg_ship_batch(f->s, f->e, items, N, NULL), TG_OK);
  /* written the fast way (PostgreSQL once refused its multi-row INSERTs,
   * the integers typed as text, and every batch was written again) */
  assert_int_equal(f->s->batches_redone, redone);
  int ok = 0, notes = 0;
  int64_t last_id = 0;
  for (size_t i = 0; i < N; i++) {
    if (items[i].audit_action) {
      assert_int_equal(items[i].status, TG_OK);
      assert_null(items[i].json);
      notes++;
      continue;
    }
    json_t *j = json_loads(items[i].json, 0, NULL);
    if (items[i].status == TG_OK) {
      int64_t id = json_integer_value(json_object_get(j, "id"));
      assert_true(id > last_id); /* each answer its own row, in order */
      last_id = id;
      ok++;
      /* what is left counts every shipment before it, of this batch too */
      assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "license_remaining"), "qty")),
                       100 - 30 - ok);
    } else {
      assert_int_equal(items[i].status, TG_EREFUSED);
      assert_non_null(strstr(items[i].json, "\"quantity\""));
      assert_int_equal(ok, 70); /* refusals only once the units ran out */
    }
    json_decref(j);
    tg_free(items[i].json);
  }
  assert_int_equal(ok, 70);
  assert_int_equal(notes, 10);
  assert_int_equal(count_where(f, "shipments", "license_number = 'L-1'"), 71);
  assert_int_equal(count_where(f, "audit", "action = 'test.note' AND content = '{\"a\":2,\"b\":1}'"),
                   audits_before + 10);
  assert_chain_ok(f);

  /* a row the database refuses: the second try isolates it */
  bool pg = !strcmp(tg__store_backend(f->s), "postgresql");
  assert_int_equal(tg__store_exec(f->s, pg ? "CREATE FUNCTION no_bad() RETURNS trigger AS $$ BEGIN "
                                             "IF NEW.end_user = 'Bad Ltd' THEN RAISE 'no'; END IF; "
                                             "RETURN NEW; END $$ LANGUAGE plpgsql; "
                                             "CREATE TRIGGER no_bad BEFORE INSERT ON shipments FOR EACH "
                                             "ROW EXECUTE FUNCTION no_bad()"
                                           : "CREATE TRIGGER no_bad BEFORE INSERT ON shipments WHEN "
                                             "NEW.end_user = 'Bad Ltd' BEGIN SELECT RAISE(ABORT, 'no'); END",
                                  NULL),
                   TG_OK);
  o.dest = o.hq = "US";
  bad = o;
  bad.end_user = "Bad Ltd";
  tg_ship_item three[3] = {{.order = &o, .actor = "alice"}, {.order = &bad, .actor = "alice"},
                           {.order = &o, .actor = "alice"}};
  int64_t before = count_rows(f, "shipments");
  assert_int_equal(tg_ship_batch(f->s, f->e, three, 3, NULL), TG_OK);
  assert_int_equal(f->s->batches_redone, redone + 1);
  assert_int_equal(three[0].status, TG_OK);
  assert_int_equal(three[1].status, TG_ESTORE);
  assert_null(three[1].json);
  assert_int_equal(three[2].status, TG_OK);
  for (int i = 0; i < 3; i++) tg_free(three[i].json);
  assert_int_equal(count_rows(f, "shipments"), before + 2);
  assert_chain_ok(f);
}

/* The cap from the determination's condition (fixture rule in force from
 * 2026-01-15), without the license stating it. */
static void test_cap_from_rules(void **state) {
  fixture *f = *state;
  assert_int_equal(add_l1(f, NULL, 0, 0), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "US", 9, 100, "2026-01-10", NULL, NULL), TG_OK);
  /* before the rule: no cap, 10 units although the US total is 9 */
  assert_int_equal(ship(f, "nv-h20", "CN", 10, 100, "2026-01-14", "L-1", NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2026-01-15", "L-1", NULL), TG_EREFUSED);
  assert_string_equal(last_code(f), "tpp_cap");
  assert_int_equal(ship(f, "nv-h20", "US", 13, 100, "2026-01-15", NULL, NULL), TG_OK);
  /* US 22 units: CN may reach 11 */
  assert_int_equal(ship(f, "nv-h20", "CN", 2, 100, "2026-01-20", "L-1", NULL), TG_EREFUSED);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 100, "2026-01-20", "L-1", NULL), TG_OK);
}

/* 15 CFR 740.8(a) and BIS's NAC procedure (bis.gov): the exporter waits
 * for BIS's answer and ships on the NAC authorization number; one
 * notification names one consignee, one end user and at most six items. */
static void test_nac_notification(void **state) {
  fixture *f = *state;
  /* no notification named: refused, whatever the delay */
  assert_int_equal(ship_nac(f, "nv-h20", "AE", 1, 100, "2025-09-26", "Falcon DC", NULL), TG_EREFUSED);
  assert_string_equal(last_code(f), "notification");
  const char *items[] = {"nv-h20"};
  tg_nac_spec sp = {.reference = "N-1", .items = items, .nitems = 1, .destination = "AE",
                    .consignee = "Falcon DC", .end_user = "Falcon DC", .submitted = D("2025-09-01")};
  char *js = NULL;
  assert_int_equal(tg_nac_add(f->s, &sp, "alice", &js, NULL), TG_OK);
  tg_free(js);
  assert_int_equal(tg_nac_add(f->s, &sp, "alice", NULL, NULL), TG_ECONFLICT);
  /* seven items are too many */
  const char *seven[] = {"nv-h20", "nv-h20", "nv-h20", "nv-h20", "nv-h20", "nv-h20", "nv-h20"};
  tg_nac_spec big = sp;
  big.reference = "N-7";
  big.items = seven;
  big.nitems = 7;
  assert_int_equal(tg_nac_add(f->s, &big, "alice", NULL, NULL), TG_EINVAL);
  /* submitted 25 days ago but not answered: still refused */
  assert_int_equal(ship_nac(f, "nv-h20", "AE", 1, 100, "2025-09-26", "Falcon DC", "N-1"), TG_EREFUSED);
  assert_non_null(strstr(f->out, "not yet authorized"));
  /* BIS authorizes on 2025-09-10, valid to 2026-09-09 */
  assert_int_equal(tg_nac_decide(f->s, "N-1", "authorized", NULL, D("2025-09-10"), TG_DATE_NONE,
                                 "alice", NULL, NULL), TG_EINVAL); /* no number */
  assert_int_equal(tg_nac_decide(f->s, "N-1", "authorized", "A123456", D("2025-09-10"),
                                 D("2026-09-09"), "alice", &js, NULL), TG_OK);
  assert_non_null(strstr(js, "\"nac_number\": \"A123456\""));
  tg_free(js);
  /* before the authorization, for another end user, elsewhere, after it lapses: refused */
  assert_int_equal(ship_nac(f, "nv-h20", "AE", 1, 100, "2025-09-09", "Falcon DC", "N-1"), TG_EREFUSED);
  assert_int_equal(ship_nac(f, "nv-h20", "AE", 1, 100, "2025-09-26", "Other LLC", "N-1"), TG_EREFUSED);
  assert_int_equal(ship_nac(f, "nv-h20", "AE", 1, 100, "2026-09-10", "Falcon DC", "N-1"), TG_EREFUSED);
  /* on the authorization: recorded, with the date BIS was notified */
  assert_int_equal(ship_nac(f, "nv-h20", "AE", 1, 100, "2025-09-10", "Falcon DC", "N-1"), TG_OK);
  json_t *j = json_loads(f->out, 0, NULL);
  assert_string_equal(json_string_value(json_object_get(j, "verdict")), "license_exception");
  assert_string_equal(json_string_value(json_object_get(j, "exception")), "NAC");
  assert_string_equal(json_string_value(json_object_get(j, "notified_on")), "2025-09-01");
  json_decref(j);
  /* expired: refused again; an expired notification cannot be authorized */
  assert_int_equal(tg_nac_decide(f->s, "N-1", "expired", NULL, D("2025-12-01"), TG_DATE_NONE,
                                 "alice", NULL, NULL), TG_OK);
  assert_int_equal(ship_nac(f, "nv-h20", "AE", 1, 100, "2025-12-02", "Falcon DC", "N-1"), TG_EREFUSED);
  assert_int_equal(tg_nac_decide(f->s, "N-1", "authorized", "A1", D("2025-12-03"), TG_DATE_NONE,
                                 "alice", NULL, NULL), TG_ECONFLICT);
  /* an objection */
  sp.reference = "N-2";
  assert_int_equal(tg_nac_add(f->s, &sp, "alice", NULL, NULL), TG_OK);
  assert_int_equal(tg_nac_decide(f->s, "N-2", "objected", NULL, D("2025-09-20"), TG_DATE_NONE,
                                 "alice", NULL, NULL), TG_OK);
  assert_int_equal(ship_nac(f, "nv-h20", "AE", 1, 100, "2025-09-26", "Falcon DC", "N-2"), TG_EREFUSED);
  assert_non_null(strstr(f->out, "objected"));
  assert_int_equal(tg_nac_decide(f->s, "N-9", "objected", NULL, D("2025-09-20"), TG_DATE_NONE,
                                 "alice", NULL, NULL), TG_ENOTFOUND);
}

/* 15% of 3 x USD 0.33 = 0.1485 -> 0.15 (half up); 15% of 7 x 0.99 = 1.0395
 * -> 1.04; 15% of 1 x 12,000.00 = 1,800.00; 25% from 2026-01-15.  No
 * payment to the US. */
/* The fee of the report's arrangement `name` (its own total), or -1. */
static int64_t arr_fee(json_t *o, const char *name) {
  size_t i;
  json_t *a;
  json_array_foreach(json_object_get(o, "arrangements"), i, a)
    if (!strcmp(json_string_value(json_object_get(a, "arrangement")), name))
      return json_integer_value(json_object_get(a, "fee_cents"));
  return -1;
}

static void test_payments_to_the_cent(void **state) {
  fixture *f = *state;
  assert_int_equal(add_l1(f, NULL, 0, 0), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 3, 33, "2025-09-01", "L-1", NULL), TG_OK);
  assert_int_equal(fee_of_last(f), 15);
  assert_int_equal(ship(f, "nv-h20", "CN", 7, 99, "2025-09-30", "L-1", NULL), TG_OK);
  assert_int_equal(fee_of_last(f), 104);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 1200000, "2025-10-01", "L-1", NULL), TG_OK);
  assert_int_equal(fee_of_last(f), 180000);
  assert_int_equal(ship(f, "nv-h20", "US", 100, 1000, "2025-09-01", NULL, NULL), TG_OK);
  assert_int_equal(fee_of_last(f), 0);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 1999, "2026-01-15", "L-1", NULL), TG_OK);
  assert_int_equal(fee_of_last(f), 500); /* 25% of 19.99 = 4.9975 -> 5.00 */

  tg_shipment_filter flt;
  tg_shipment_filter_init(&flt);
  flt.from = D("2025-07-01");
  flt.to = D("2025-09-30");
  char *js;
  assert_int_equal(tg_fees_json(f->s, &flt, NULL, &js, NULL), TG_OK);
  json_t *o = json_loads(js, 0, NULL);
  /* one arrangement (named by its rule: the fixture rules have no terms);
   * no total across arrangements */
  assert_int_equal(arr_fee(o, "fx.fee15"), 119);
  assert_int_equal(json_array_size(json_object_get(o, "arrangements")), 1);
  assert_null(json_object_get(o, "total_cents"));
  assert_int_equal(json_array_size(json_object_get(o, "rows")), 2);
  json_decref(o);
  tg_free(js);

  /* by quarter over everything: groups add up to the total, rows to groups */
  tg_shipment_filter_init(&flt);
  assert_int_equal(tg_fees_json(f->s, &flt, "quarter", &js, NULL), TG_OK);
  o = json_loads(js, 0, NULL);
  assert_int_equal(arr_fee(o, "fx.fee15"), 15 + 104 + 180000);
  assert_int_equal(arr_fee(o, "fx.fee25"), 500); /* its own total, never added to the 15% */
  assert_int_equal(json_array_size(json_object_get(o, "arrangements")), 2);
  assert_null(json_object_get(o, "total_cents"));
  json_t *g = json_object_get(o, "groups");
  assert_int_equal(json_array_size(g), 3);
  assert_string_equal(json_string_value(json_object_get(json_array_get(g, 0), "key")), "2025Q3");
  assert_int_equal(json_integer_value(json_object_get(json_array_get(g, 0), "fee_cents")), 119);
  assert_int_equal(json_integer_value(json_object_get(json_array_get(g, 1), "fee_cents")), 180000);
  assert_int_equal(json_integer_value(json_object_get(json_array_get(g, 2), "fee_cents")), 500);
  json_decref(o);
  tg_free(js);
  assert_int_equal(tg_fees_json(f->s, &flt, "colour", &js, NULL), TG_EINVAL);
}

/* Payments as records: obligations by arrangement with due dates and
 * status as of the store's clock (2026-01-01), amounts past the bounds and
 * overpayments refused with nothing written, a license's payment to its
 * oldest dues first.  The fixture rules have no terms: 30 days. */
static const char *due_status(fixture *f, int64_t ship_id) {
  tg_dues_filter df;
  tg_dues_filter_init(&df);
  df.shipment = ship_id;
  char *js = NULL;
  assert_int_equal(tg_payment_dues_json(f->s, &df, &js, NULL), TG_OK);
  json_t *o = json_loads(js, 0, NULL);
  tg_free(js);
  static char st[32];
  snprintf(st, sizeof st, "%s", json_string_value(json_object_get(json_array_get(json_object_get(o, "obligations"), 0), "status")));
  json_decref(o);
  return st;
}

static void test_payments_recorded(void **state) {
  fixture *f = *state;
  assert_int_equal(add_l1(f, NULL, 0, 0), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 10, 1000, "2025-09-01", "L-1", NULL), TG_OK); /* owes 15.00, due 10-01 */
  assert_int_equal(ship(f, "nv-h20", "CN", 10, 1000, "2025-12-20", "L-1", NULL), TG_OK); /* owes 15.00, due 2026-01-19 */
  assert_string_equal(due_status(f, 1), "overdue");
  assert_string_equal(due_status(f, 2), "due");
  tg_payment_spec p;
  tg_payment_spec_init(&p);
  p.arrangement = "fx.fee15";
  p.license = "L-1";
  p.reference = "W-1";
  p.paid_on = D("2025-12-31");
  const int64_t bad[] = {0, -1, TG_MAX_LICENSE_VALUE_CENTS + 1, INT64_MAX, INT64_MIN};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    p.amount_cents = bad[i];
    assert_int_equal(tg_payment_add(f->s, &p, "carol", NULL, NULL), TG_EINVAL);
  }
  p.amount_cents = 3001; /* 30.00 is owed */
  char *js = NULL;
  assert_int_equal(tg_payment_add(f->s, &p, "carol", &js, NULL), TG_ECONFLICT);
  assert_null(js);
  p.arrangement = "fx.fee25";
  p.amount_cents = 1;
  assert_int_equal(tg_payment_add(f->s, &p, "carol", NULL, NULL), TG_ENOTFOUND);
  assert_int_equal(count_rows(f, "payments"), 0);
  /* 20.00 on the license: the oldest due (15.00) paid, 5.00 on the next */
  p.arrangement = "fx.fee15";
  p.amount_cents = 2000;
  assert_int_equal(tg_payment_add(f->s, &p, "carol", NULL, NULL), TG_OK);
  assert_string_equal(due_status(f, 1), "paid");
  assert_string_equal(due_status(f, 2), "due");
  p.license = NULL;
  p.shipment = 2;
  p.amount_cents = 1001;
  assert_int_equal(tg_payment_add(f->s, &p, "carol", NULL, NULL), TG_ECONFLICT);
  p.amount_cents = 1000;
  assert_int_equal(tg_payment_add(f->s, &p, "carol", NULL, NULL), TG_OK);
  assert_string_equal(due_status(f, 2), "paid");
  assert_int_equal(count_rows(f, "payments"), 2);
  assert_int_equal(count_where(f, "audit", "action = 'payment.add' AND actor = 'carol'"), 2);
  assert_verify_ok(f);
}

/* With no rule imposing a payment, the license's stated rate applies. */
static void test_payment_from_license(void **state) {
  fixture *f = *state;
  const char *chips[] = {"nv-h20"}, *dests[] = {"CN"};
  tg_license_spec sp;
  license_spec(&sp, "R-1", chips, 1, dests, 1, "2025-01-01", "2027-01-01");
  sp.payment_rate_ppm = 125000; /* 12.5% */
  assert_int_equal(tg_license_add(f->s, &sp, "alice", NULL, NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 3, 333, "2025-07-01", "R-1", NULL), TG_OK);
  assert_int_equal(fee_of_last(f), 125); /* 12.5% of 9.99 = 1.24875 -> 1.25 */
  json_t *j = json_loads(f->out, 0, NULL);
  json_t *fee = json_object_get(j, "fee");
  assert_string_equal(json_string_value(json_object_get(fee, "source")), "license");
  assert_string_equal(json_string_value(json_object_get(fee, "rate")), "12.5%");
  json_decref(j);
}

static void test_correction(void **state) {
  fixture *f = *state;
  assert_int_equal(add_l1(f, NULL, 0, 0), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 100, 1000, "2025-09-01", "L-1", NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 1, 1000, "2025-09-01", "L-1", NULL), TG_EREFUSED);
  assert_int_equal(tg_shipment_reverse(f->s, 1, "wrong quantity", "carol", NULL, NULL), TG_OK);
  assert_int_equal(tg_shipment_reverse(f->s, 1, "again", "carol", NULL, NULL), TG_ECONFLICT);
  assert_int_equal(tg_shipment_reverse(f->s, 2, "reverse a reversal", "carol", NULL, NULL), TG_ECONFLICT);
  assert_int_equal(tg_shipment_reverse(f->s, 99, "none", "carol", NULL, NULL), TG_ENOTFOUND);
  assert_int_equal(tg_shipment_reverse(f->s, 1, "", "carol", NULL, NULL), TG_EINVAL);
  /* the units are back; the payments net to the new shipment's */
  assert_int_equal(ship(f, "nv-h20", "CN", 90, 1000, "2025-09-01", "L-1", NULL), TG_OK);
  tg_shipment_filter flt;
  tg_shipment_filter_init(&flt);
  char *js;
  assert_int_equal(tg_fees_json(f->s, &flt, "license", &js, NULL), TG_OK);
  json_t *o = json_loads(js, 0, NULL);
  assert_int_equal(arr_fee(o, "fx.fee15"), 13500);
  assert_int_equal(json_integer_value(json_object_get(o, "qty")), 90);
  json_decref(o);
  tg_free(js);
  assert_int_equal(count_rows(f, "shipments"), 3);
  assert_verify_ok(f);
}

static void test_listing_and_views(void **state) {
  fixture *f = *state;
  assert_int_equal(add_l1(f, NULL, 0, 0), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 5, 1000, "2025-09-01", "L-1", NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "US", 5, 1000, "2025-10-01", NULL, NULL), TG_OK);
  tg_shipment_filter flt;
  tg_shipment_filter_init(&flt);
  flt.license = "L-1";
  char *js;
  assert_int_equal(tg_shipments_json(f->s, &flt, &js, NULL), TG_OK);
  json_t *o = json_loads(js, 0, NULL);
  assert_int_equal(json_integer_value(json_object_get(o, "count")), 1);
  json_decref(o);
  tg_free(js);
  flt.license = "-";
  flt.from = D("2025-09-15");
  assert_int_equal(tg_shipments_json(f->s, &flt, &js, NULL), TG_OK);
  o = json_loads(js, 0, NULL);
  assert_int_equal(json_integer_value(json_object_get(o, "count")), 1);
  json_decref(o);
  tg_free(js);
  assert_int_equal(tg_license_json(f->s, "L-1", &js, NULL), TG_OK);
  o = json_loads(js, 0, NULL);
  assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "remaining"), "qty")), 95);
  assert_string_equal(json_string_value(json_object_get(json_object_get(o, "remaining"), "value_usd")),
                      "999950.00");
  json_decref(o);
  tg_free(js);
  assert_int_equal(tg_shipment_json(f->s, 1, &js, NULL), TG_OK);
  o = json_loads(js, 0, NULL);
  assert_string_equal(json_string_value(json_object_get(json_object_get(o, "determination"), "verdict")),
                      "license_required");
  assert_string_equal(json_string_value(json_object_get(o, "recorded_by")), "alice");
  json_decref(o);
  tg_free(js);
  assert_int_equal(tg_shipment_json(f->s, 42, &js, NULL), TG_ENOTFOUND);
}

/* The rule sets are recorded once, then again only when they change. */
static void test_rules_recorded(void **state) {
  fixture *f = *state;
  assert_int_equal(ship(f, "nv-h20", "US", 1, 100, "2025-09-01", NULL, NULL), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "US", 1, 100, "2025-09-02", NULL, NULL), TG_OK);
  assert_int_equal(count_where(f, "audit", "subject = 'rules'"), 1);
  assert_int_equal(count_rows(f, "audit"), 3);
  assert_int_equal(tg_audit_append(f->s, "screener", "list.update", "list:test", "{\"entries\": 3}", NULL),
                   TG_OK);
  assert_int_equal(tg_audit_append(f->s, "screener", "x", "shipment:1", "{}", NULL), TG_EINVAL);
  assert_int_equal(tg_audit_append(f->s, "screener", "x", "list:test", "{not json", NULL), TG_EPARSE);
  assert_verify_ok(f);
}

static void test_backup(void **state) {
  fixture *f = *state;
  assert_int_equal(add_l1(f, NULL, 0, 0), TG_OK);
  assert_int_equal(ship(f, "nv-h20", "CN", 5, 1000, "2025-09-01", "L-1", NULL), TG_OK);
  char path[600];
  snprintf(path, sizeof path, "%s/backup.db", f->dir);
  if (tdb_is_pg()) { /* PostgreSQL's own tools back it up; the call says so */
    tg_error err = {0};
    assert_int_equal(tg_store_backup(f->s, path, &err), TG_EINVAL);
    assert_non_null(strstr(err.message, "pg_dump"));
    return;
  }
  assert_int_equal(tg_store_backup(f->s, path, NULL), TG_OK);
  tg_store *b;
  assert_int_equal(tg_store_open(f->e, path, &b, NULL), TG_OK);
  char *js;
  assert_int_equal(tg_audit_verify(b, &js, NULL), TG_OK);
  json_t *o = json_loads(js, 0, NULL);
  assert_int_equal(json_integer_value(json_object_get(o, "records")), 3);
  json_decref(o);
  tg_free(js);
  assert_int_equal(tg_license_json(b, "L-1", NULL, NULL), TG_OK);
  tg_store_close(b);
}

static void test_bad_orders(void **state) {
  fixture *f = *state;
  assert_int_equal(ship(f, "nv-h20", "CN", 0, 100, "2025-09-01", NULL, NULL), TG_EINVAL);
  assert_int_equal(ship(f, "nv-h20", "ZZ", 1, 100, "2025-09-01", NULL, NULL), TG_EINVAL);
  assert_int_equal(ship(f, "nv-h20", "US", 1, -1, "2025-09-01", NULL, NULL), TG_EINVAL);
  assert_int_equal(ship(f, "nv-h20", "US", 1000000000, 1000000000000LL, "2025-09-01", NULL, NULL),
                   TG_EINVAL);
  assert_int_equal(count_rows(f, "shipments"), 0);
  assert_int_equal(count_rows(f, "audit"), 0);
}

int main(void) {
  const struct CMUnitTest t[] = {
      T(test_quantity_limit),     T(test_value_limit),       T(test_dates),
      T(test_destination_and_chip), T(test_eccn_license),    T(test_end_user),
      T(test_revoked),            T(test_cap_on_license),    T(test_cap_from_rules), T(test_cap_sums_past_int64),
      T(test_cap_in_one_batch),
      T(test_big_mixed_batch),
      T(test_late_items),
      T(test_records_then_late_shipment),
      T(test_records_beside_ledger_lock),
      T(test_nac_notification),       T(test_payments_to_the_cent), T(test_payment_from_license),
      T(test_correction),         T(test_payments_recorded),         T(test_listing_and_views), T(test_rules_recorded),
      T(test_backup),             T(test_bad_orders),
  };
  return cmocka_run_group_tests(t, NULL, NULL);
}
