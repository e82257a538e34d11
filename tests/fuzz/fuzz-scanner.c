/* fuzz-scanner.c: libFuzzer target for the scanner and the normaliser.
 *
 * Any input must be scanned without a crash, a hang or a read out of
 * bounds (ASan watches), every token must lie inside the input, and every
 * token the scanner types must normalise, from its own text, to the same
 * key: the scanner and the feed path may never disagree on a value.  The
 * input is also normalised as each declared type, as a feed row would be.
 *
 * Built and run briefly by run-fuzz-scanner.sh (clang -fsanitize=fuzzer).
 */
#include "scanner.h"
#include "normalize.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

  for (gint t = DI_TYPE_NONE + 1; t < DI_TYPE_MAX; t++)
    {
      if (!(token->types & DI_TYPE_BIT(t)))
        continue;
      DiKey key;
      DiType inferred;
      if (!di_normalize(t, in->text + token->offset, token->length, &key, &inferred, NULL))
        _fail(in, token, t, "the scanner's token does not normalise");
      if (key.cls != token->key.cls || key.len != token->key.len || memcmp(key.bytes, token->key.bytes, key.len) != 0)
        _fail(in, token, t, "the scanner and the normaliser disagree on the key");
    }
  return TRUE;
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
  FuzzInput in = { (const gchar *) data, size };
  di_scan(in.text, in.len, DI_SCAN_LOOKUP_ONLY, _check_token, &in);

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
