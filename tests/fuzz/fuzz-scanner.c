/* fuzz-scanner.c: libFuzzer target for the scanner, the matcher and the
 * normaliser.
 *
 * Any input must be scanned and matched without a crash, a hang or a read
 * out of bounds (ASan watches), every token must lie inside the input, and
 * every token the scanner types must normalise, from its own text, to the
 * same key: the scanner and the feed path may never disagree on a value.
 * The input is scanned as `extract` scans (DI_SCAN_DEFAULT) and matched as
 * the parser matches (di_match_text against a snapshot of every type), and
 * normalised as each declared type, as a feed row would be.
 *
 * The engine is built with its work counters (-DDI_WORK_HOOKS, key.h): an
 * input whose work is not bounded by a constant per byte aborts, so a slow
 * input is a finding whatever the machine's speed (libFuzzer's -timeout
 * catches the rest).  Built and run briefly by run-fuzz-scanner.sh (clang
 * -fsanitize=fuzzer); tests/fuzz/README.md has the command for long runs.
 */
#include "scanner.h"
#include "matcher.h"
#include "normalize.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* work per byte of input, and a constant for short inputs; bench-hostile's
 * shapes stay well under these (test-linear holds them to tighter bounds) */
#define VISIT_PER_BYTE 24
#define HASH_PER_BYTE 8
#define PROBE_PER_BYTE 4
#define WORK_CONSTANT 8192

typedef struct
{
  const gchar *text;
  gsize len;
} FuzzInput;

static void
_fail(const FuzzInput *in, const DiToken *token, DiType type, const gchar *what)
{
  fprintf(stderr, "fuzz-scanner: %s: type %s, token at %zu+%zu: '%.*s'\n", what, di_type_name(type), token->offset,
          token->length, (int) MIN(token->length, 200), in->text + token->offset);
  abort();
}

static gboolean
_check_token(const DiToken *token, gpointer user_data)
{
  const FuzzInput *in = user_data;
  if (token->offset > in->len || token->length > in->len - token->offset || token->key.len > DI_KEY_MAX)
    _fail(in, token, DI_TYPE_NONE, "token out of bounds");

  /* an EVM address flagged for its broken checksum is the account of its
   * one-case form */
  gchar lower[DI_KEY_MAX];
  const gchar *text = in->text + token->offset;
  if (token->flags & DI_TOKEN_CHECKSUM_INVALID)
    {
      if (token->length > sizeof(lower))
        _fail(in, token, DI_TYPE_ETH, "a flagged token longer than a key");
      for (gsize i = 0; i < token->length; i++)
        lower[i] = g_ascii_tolower(text[i]);
      text = lower;
    }
  for (gint t = DI_TYPE_NONE + 1; t < DI_TYPE_MAX; t++)
    {
      if (!(token->types & DI_TYPE_BIT(t)))
        continue;
      DiKey key;
      DiType inferred;
      if (!di_normalize(t, text, token->length, &key, &inferred, NULL))
        _fail(in, token, t, "the scanner's token does not normalise");
      if (key.cls != token->key.cls || key.len != token->key.len || memcmp(key.bytes, token->key.bytes, key.len) != 0)
        _fail(in, token, t, "the scanner and the normaliser disagree on the key");
    }
  return TRUE;
}

/* One indicator of every kind of lookup: exact, CIDR, domain parents, URL
 * prefixes, wallets looked up without their checksums. */
static DiSnapshot *
_snapshot(void)
{
  static const gchar *const rows[][2] =
  {
    { "ipv4", "185.142.236.226" }, { "cidr", "10.0.0.0/8" }, { "cidr", "2001:db8::/32" },
    { "domain", "example.com" }, { "url", "http://a.example/a/" }, { "email", "ops@example.com" },
    { "eth", "0x098B716B8Aaf21512996dC57EB0615e2383E2f96" }, { "btc", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa" },
    { "btc", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4" },
    { "bch", "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a" },
    { "bnb", "bnb136ns6lfw4zs5hg4n85vdthaad7hq5m4gtkgf23" },
    { "sha256", "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c" },
  };
  DiSnapshotBuilder *b = di_snapshot_builder_new();
  for (gsize i = 0; i < G_N_ELEMENTS(rows); i++)
    {
      DiKey key;
      DiType type = di_type_from_name(rows[i][0]);
      if (!di_normalize(type, rows[i][1], strlen(rows[i][1]), &key, &type, NULL))
        abort();
      di_snapshot_builder_add(b, type, &key, NULL);
    }
  return di_snapshot_builder_finish(b);
}

static void
_check_work(const FuzzInput *in, const gchar *path)
{
  guint64 limit[DI_WORK_MAX] =
  {
    [DI_WORK_VISIT] = VISIT_PER_BYTE * in->len + WORK_CONSTANT,
    [DI_WORK_CHECKSUM] = in->len / 12 + 1,
    [DI_WORK_HASH] = HASH_PER_BYTE * in->len + WORK_CONSTANT,
    [DI_WORK_PROBE] = PROBE_PER_BYTE * in->len + WORK_CONSTANT,
  };
  static const gchar *names[DI_WORK_MAX] = { "visited", "checksums", "hashed", "probes" };
  for (gint k = 0; k < DI_WORK_MAX; k++)
    if (di_work_counter[k] > limit[k])
      {
        fprintf(stderr, "fuzz-scanner: %s: %" G_GUINT64_FORMAT " %s for %zu bytes (limit %" G_GUINT64_FORMAT ")\n",
                path, di_work_counter[k], names[k], in->len, limit[k]);
        abort();
      }
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
  static DiSnapshot *snap;
  if (!snap)
    snap = _snapshot();

  FuzzInput in = { (const gchar *) data, size };
  memset(di_work_counter, 0, sizeof(di_work_counter));
  di_scan(in.text, in.len, DI_SCAN_DEFAULT, _check_token, &in);
  _check_work(&in, "scan");

  memset(di_work_counter, 0, sizeof(di_work_counter));
  DiMatchSet set;
  di_match_set_init(&set);
  di_match_text(snap, in.text, in.len, 0, 0, &set);
  _check_work(&in, "match");
  if (di_work_counter[DI_WORK_CHECKSUM] != 0)
    {
      fprintf(stderr, "fuzz-scanner: matching computed a checksum\n");
      abort();
    }
  for (guint i = 0; i < set.n; i++)
    if (set.matches[i].atomic_off > in.len || set.matches[i].atomic_len > in.len - set.matches[i].atomic_off)
      abort();
  di_match_set_clear(&set);

  if (size <= 2 * DI_KEY_MAX)
    for (gint t = DI_TYPE_NONE; t < DI_TYPE_MAX; t++)
      {
        DiKey key;
        DiType inferred;
        GError *error = NULL;
        if (!di_normalize(t, in.text, in.len, &key, &inferred, &error))
          {
            if (!error || !error->message[0])
              abort();
            g_error_free(error);
          }
        else if (key.len > DI_KEY_MAX || key.len == 0)
          abort();
      }
  return 0;
}
