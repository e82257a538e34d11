/* scanner-test-util.h: what the scanner, normaliser and chain tests share:
 * reading the reference vectors from tests/data at test time, and collecting
 * the scanner's tokens into an array that assertions can walk. */
#ifndef DI_SCANNER_TEST_UTIL_H
#define DI_SCANNER_TEST_UTIL_H

#include "scanner.h"
#include "normalize.h"
#include "chains/wallet.h"
#include <criterion/criterion.h>
#include <json.h>
#include <string.h>

#define BIT(t) DI_TYPE_BIT(DI_TYPE_##t)

/* A JSON file under tests/data; the test fails when it is missing. */
static inline json_object *
data_json(const gchar *relpath)
{
  gchar *path = g_build_filename(DI_TESTDATA_DIR, relpath, NULL);
  json_object *obj = json_object_from_file(path);
  cr_assert_not_null(obj, "cannot read %s", path);
  g_free(path);
  return obj;
}

/* The non-empty lines of a text file under tests/data, NULL-terminated. */
static inline gchar **
data_lines(const gchar *relpath)
{
  gchar *path = g_build_filename(DI_TESTDATA_DIR, relpath, NULL);
  gchar *text = NULL;
  cr_assert(g_file_get_contents(path, &text, NULL, NULL), "cannot read %s", path);
  gchar **lines = g_strsplit(text, "\n", -1);
  gint o = 0;
  for (gint i = 0; lines[i]; i++)
    {
      g_strstrip(lines[i]);
      if (*lines[i])
        lines[o++] = lines[i];
      else
        g_free(lines[i]);
    }
  lines[o] = NULL;
  g_free(text);
  g_free(path);
  return lines;
}

static inline json_object *
jget(json_object *obj, const gchar *key)
{
  json_object *v = NULL;
  cr_assert(json_object_object_get_ex(obj, key, &v), "no key %s in vector file", key);
  return v;
}

static inline const gchar *
jstr(json_object *obj)
{
  return json_object_get_string(obj);
}

/* A token as the tests see it: the normalised value as text. */
typedef struct
{
  DiTypeMask types;
  gsize offset, length;
  gchar value[DI_KEY_MAX * 3];
} TestToken;

typedef struct
{
  TestToken tokens[64];
  guint n;
  guint stop_after;   /* 0 = never stop */
} TestTokens;

static inline gboolean
_collect_token(const DiToken *token, gpointer user_data)
{
  TestTokens *out = user_data;
  if (out->n < G_N_ELEMENTS(out->tokens))
    {
      TestToken *t = &out->tokens[out->n];
      GString *s = g_string_new(NULL);
      di_key_format(&token->key, s);
      t->types = token->types;
      t->offset = token->offset;
      t->length = token->length;
      g_strlcpy(t->value, s->str, sizeof(t->value));
      g_string_free(s, TRUE);
    }
  out->n++;
  return !(out->stop_after && out->n >= out->stop_after);
}

static inline void
scan_text(const gchar *text, guint flags, TestTokens *out)
{
  memset(out, 0, sizeof(*out));
  di_scan(text, strlen(text), flags, _collect_token, out);
}

/* The first token whose mask has all of `types` and whose value is `value`. */
static inline const TestToken *
find_token(const TestTokens *tokens, DiTypeMask types, const gchar *value)
{
  for (guint i = 0; i < MIN(tokens->n, G_N_ELEMENTS(tokens->tokens)); i++)
    if ((tokens->tokens[i].types & types) == types && strcmp(tokens->tokens[i].value, value) == 0)
      return &tokens->tokens[i];
  return NULL;
}

/* How many tokens carry any of `types`. */
static inline guint
count_tokens(const TestTokens *tokens, DiTypeMask types)
{
  guint n = 0;
  for (guint i = 0; i < MIN(tokens->n, G_N_ELEMENTS(tokens->tokens)); i++)
    n += (tokens->tokens[i].types & types) != 0;
  return n;
}

/* Normalises with a declared type and returns the canonical text, or NULL
 * (the error message in *message when not NULL). */
static inline gchar *
normalized(DiType type, const gchar *text, DiType *inferred, gchar **message)
{
  DiKey key;
  GError *error = NULL;
  if (!di_normalize(type, text, strlen(text), &key, inferred, &error))
    {
      if (message)
        *message = g_strdup(error->message);
      g_error_free(error);
      return NULL;
    }
  GString *s = g_string_new(NULL);
  di_key_format(&key, s);
  return g_string_free(s, FALSE);
}

static inline DiTypeMask
wallet_mask(const gchar *text)
{
  DiKey key;
  return di_wallet_validate(text, strlen(text), &key);
}

#endif
