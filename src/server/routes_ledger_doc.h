/* routes_ledger_doc.h - the OpenAPI texts of the ledger routes (schemas of
 * request bodies and answers, query parameters), kept apart from the
 * handlers in routes_ledger.c so each file stays readable. */
#ifndef TG_ROUTES_LEDGER_DOC_H
#define TG_ROUTES_LEDGER_DOC_H

#define TEXTS_SCHEMA(what)                                                                  \
  "{\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"array\", \"maxItems\": 64, \"items\": " \
  "{\"type\": \"string\"}}], \"description\": \"" what "\"}"

#define LICENSE_REQUEST                                                                          \
  "{\"type\": \"object\", \"required\": [\"number\", \"holder\", \"chip\", \"to\", \"from\", "   \
  "\"until\"], \"additionalProperties\": false, \"properties\": {"                               \
  "\"number\": {\"type\": \"string\"}, \"holder\": {\"type\": \"string\"}, "                     \
  "\"chip\": " TEXTS_SCHEMA("catalog chip ids or ECCNs (3A090 covers 3A090.a)") ", "             \
  "\"to\": " TEXTS_SCHEMA("destinations, ISO 3166-1 alpha-2") ", "                               \
  "\"end_user\": " TEXTS_SCHEMA("permitted end users (none = any)") ", "                         \
  "\"qty\": {\"type\": \"integer\", \"minimum\": 0, \"description\": \"unit limit\"}, "          \
  "\"value_usd\": {\"type\": \"number\", \"minimum\": 0, \"description\": \"value limit\"}, "    \
  "\"from\": {\"type\": \"string\", \"format\": \"date\"}, "                                     \
  "\"until\": {\"type\": \"string\", \"format\": \"date\"}, "                                    \
  "\"payment_rate\": {\"oneOf\": [{\"type\": \"string\", \"example\": \"15%\"}, {\"type\": "     \
  "\"number\", \"minimum\": 0, \"maximum\": 100}], \"description\": \"percent of value\"}, "      \
  "\"tpp_cap\": {\"type\": \"integer\", \"minimum\": 0, \"maximum\": 1000, \"description\": "    \
  "\"aggregate-TPP cap to CN/MO as a % of the same chip's US shipments\"}, "                     \
  "\"condition\": " TEXTS_SCHEMA("other conditions, as text") ", "                               \
  "\"notes\": {\"type\": \"string\"}}}"

#define LICENSE_SCHEMA                                                                         \
  "{\"type\": \"object\", \"description\": \"a license as `tollgate license show --json` "     \
  "prints it: number, holder, chips, destinations, end_users, qty_limit, value_limit_usd, "    \
  "valid_from, valid_until, payment_rate, tpp_cap_pct, conditions, notes, status, revoked, " \
  "used, remaining, created_at, created_by (and shipment_ids for one license)\"}"

#define SHIP_SUMMARY                                                                           \
  "Records a shipment (the fields of `tollgate ship`): checks the order, screens its "          \
  "parties, and draws on the named or required license; a refusal is 409 with {\"refused\": " \
  "true, \"reason\", \"code\", \"determination\"} and nothing written"

#define SHIP_REQUEST                                                                            \
  "{\"type\": \"object\", \"required\": [\"chip\", \"to\", \"qty\", \"unit_price\", \"on\", \"end_user\"], " \
  "\"additionalProperties\": false, \"properties\": {\"chip\": {\"type\": \"string\"}, "        \
  "\"to\": {\"type\": \"string\"}, \"hq\": {\"type\": \"string\"}, \"qty\": {\"type\": "         \
  "\"integer\", \"minimum\": 1}, \"unit_price\": {\"type\": \"number\", \"description\": "       \
  "\"USD\"}, \"on\": {\"type\": \"string\", \"format\": \"date\"}, \"end_user\": {\"type\": "    \
  "\"string\"}, \"purchaser\": {\"type\": \"string\"}, \"consignee\": {\"type\": \"string\"}, " \
  "\"license\": {\"type\": \"string\"}, \"notified\": {\"type\": \"string\", \"format\": "       \
  "\"date\", \"description\": \"NAC: the date BIS was notified\"}, \"reference\": {\"type\": "   \
  "\"string\"}, " THRESHOLD_SCHEMA ", \"end_use\": {\"type\": \"string\", \"description\": \"as in POST "              \
  "/v1/checks\"}, "                                                                \
  "\"nac\": {\"type\": \"string\", \"description\": \"NAC: the reference of the "     \
  "notification BIS authorized\"}, \"attest\": {\"type\": \"string\", \"description\": "             \
  "\"certifications, comma-separated: us-available, us-supply, foundry, security, testing\"}}}"

#define QPARAM(name, what)                                                                   \
  "{\"name\": \"" name "\", \"in\": \"query\", \"required\": false, \"description\": \"" what \
  "\", \"schema\": {\"type\": \"string\"}}"

#define PERIOD_PARAMS                                                                   \
  QPARAM("quarter", "e.g. 2025Q3") ", " QPARAM("month", "e.g. 2025-09") ", "            \
  QPARAM("year", "e.g. 2025") ", " QPARAM("from", "first date of export, YYYY-MM-DD") ", " \
  QPARAM("until", "last date of export, YYYY-MM-DD") ", "                               \
  QPARAM("license", "license number; - = shipped under none") ", "                      \
  QPARAM("chip", "chip id") ", " QPARAM("to", "destination") ", "                       \
  QPARAM("end_user", "end user") ", " QPARAM("verdict", "e.g. license_required")

#define SHIPMENT_PARAMS "[" PERIOD_PARAMS ", " PAGE_PARAMS "]"
#define FEES_PARAMS \
  "[" PERIOD_PARAMS ", " QPARAM("by", "group by license, chip, month or quarter") "]"

#define FEES_SCHEMA                                                                           \
  "{\"type\": \"object\", \"description\": \"from, to, shipments, value_cents, value_usd, "   \
  "total_cents, total_usd, groups [{key, shipments, qty, value_cents, value_usd, fee_cents, " \
  "fee_usd}], rows\"}"

#define PAYMENT_REQUEST                                                                          \
  "{\"type\": \"object\", \"required\": [\"arrangement\", \"amount_usd\", \"date\", "        \
  "\"reference\"], \"additionalProperties\": false, \"properties\": {"                           \
  "\"arrangement\": {\"type\": \"string\", \"example\": \"section-232-duty\"}, "                \
  "\"shipment\": {\"type\": \"integer\", \"description\": \"the shipment paid for\"}, "         \
  "\"license\": {\"type\": \"string\", \"description\": \"or the license (oldest dues first)\"}, " \
  "\"amount_usd\": {\"oneOf\": [{\"type\": \"string\", \"example\": \"1234.56\"}, {\"type\": "  \
  "\"integer\"}]}, \"date\": {\"type\": \"string\", \"format\": \"date\"}, "                  \
  "\"reference\": {\"type\": \"string\"}, \"notes\": {\"type\": \"string\"}}}"

#endif
