/* hostile-shapes.c: the adversarial log lines that bench-hostile times and
 * test-linear counts the work of (see hostile-shapes.h).
 *
 * A shape is one or two templates: the line is the first template repeated
 * over its first half and the second over the rest (or the first over the
 * whole line).  In a template, "{Xn}" stands for n random characters of
 * class X: h lower hex, H hex with both cases, 5 base58, b bech32, B
 * bech32 upper case, a lower-case letter, d digit.  "{{" is a literal '{'.
 */
#include "hostile-shapes.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const gchar *
_class_chars(gchar cls)
{
  switch (cls)
    {
    case 'h': return "0123456789abcdef";
    case 'H': return "0123456789abcdefABCDEF";
    case '5': return "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    case 'b': return "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    case 'B': return "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";
    case 'a': return "abcdefghijklmnopqrstuvwxyz";
    default: return "0123456789";
    }
}

/* Appends one copy of a template. */
static void
_expand(GString *out, const gchar *t, GRand *r)
{
  for (const gchar *p = t; *p; p++)
    {
      if (p[0] == '{' && p[1] == '{')
        {
          g_string_append_c(out, '{');
          p++;
          continue;
        }
      if (p[0] != '{')
        {
          g_string_append_c(out, *p);
          continue;
        }
      gchar cls = p[1];
      gchar *end;
      gulong n = strtoul(p + 2, &end, 10);
      const gchar *chars = _class_chars(cls);
      gsize k = strlen(chars);
      gsize at = out->len;
      for (gulong i = 0; i < n; i++)
        g_string_append_c(out, chars[g_rand_int_range(r, 0, k)]);
      if (cls == 'H' && n >= 2)
        {
          /* both cases for sure: a mixed-case EVM word needs its checksum */
          out->str[at] = 'a';
          out->str[at + 1] = 'B';
        }
      p = end;   /* at the '}' */
    }
}

static void
_fill(GString *out, const gchar *t, gsize until, GRand *r)
{
  if (!*t)
    {
      g_string_set_size(out, until);   /* "" stands for NUL bytes */
      return;
    }
  while (out->len < until)
    _expand(out, t, r);
  g_string_truncate(out, until);
}

GString *
di_hostile_line(const DiHostileShape *s, gsize n)
{
  GRand *r = g_rand_new_with_seed(7);
  GString *out = g_string_sized_new(n + 1);
  if (s->second)
    {
      _fill(out, s->first, n / 2, r);
      _fill(out, s->second, n, r);
    }
  else
    _fill(out, s->first, n, r);
  g_rand_free(r);
  return out;
}

static GPtrArray *shapes;

static void
_add(const gchar *name, const gchar *first, const gchar *second)
{
  DiHostileShape *s = g_new0(DiHostileShape, 1);
  s->name = g_strdup(name);
  s->first = g_strdup(first);
  s->second = g_strdup(second);
  g_ptr_array_add(shapes, s);
}

/* the strings the templates are built from, freed at the end */
static GPtrArray *scratch;

static const gchar *
_repeat(const gchar *unit, guint n)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < n; i++)
    g_string_append(s, unit);
  gchar *r = g_string_free(s, FALSE);
  g_ptr_array_add(scratch, r);
  return r;
}

/* printf into a scratch string */
static const gchar *
_fmt(const gchar *format, ...) G_GNUC_PRINTF(1, 2);

static const gchar *
_fmt(const gchar *format, ...)
{
  va_list ap;
  va_start(ap, format);
  gchar *r = g_strdup_vprintf(format, ap);
  va_end(ap);
  g_ptr_array_add(scratch, r);
  return r;
}

static void
_shape_free(gpointer p)
{
  DiHostileShape *s = p;
  g_free(s->name);
  g_free(s->first);
  g_free(s->second);
  g_free(s);
}

GPtrArray *
di_hostile_shapes(void)
{
  shapes = g_ptr_array_new_with_free_func(_shape_free);
  scratch = g_ptr_array_new_with_free_func(g_free);

  /* URL starts before what the trimming of a URL's end looks at */
  static const gchar *schemes[] = { "a://", "http://", "https://x.com/", "a://(", "a://[" };
  static const gchar *enders[] = { ")", "]", ".", ",", ";", ":", "!", "?", "*", "(", "[", "/", "a" };
  for (gsize i = 0; i < G_N_ELEMENTS(schemes); i++)
    for (gsize j = 0; j < G_N_ELEMENTS(enders); j++)
      {
        _add(_fmt("url: '%s'... then '%s'...", schemes[i], enders[j]), schemes[i], enders[j]);
      }
  _add("url: 'http://a/(' then ')'", "http://a/(", ")");
  _add("url: 'a://a.b/' words", "a://a.b/{a3} ", NULL);
  _add("url: 1000 bytes of '/a' segments", _fmt("http://a.com%s ", _repeat("/a", 500)), NULL);
  _add("url: 1000 slashes", _fmt("http://a.com/%s ", _repeat("/", 1000)), NULL);
  _add("url: 'http://a.com/a/b/c/d/e/f/g/h' ", "http://a.com/a/b/c/d/e/f/g/h ", NULL);
  _add("url: maximal (1024) with query", "https://evil.example.com/{a500}?{a500}q ", NULL);
  _add("url: 'bitcoincash:'", "bitcoincash:", NULL);

  /* e-mail local parts of many parts, before long domains */
  static const gchar joiners[] = ".+%-_";
  for (gsize i = 0; i < sizeof(joiners) - 1; i++)
    {
      gchar unit[3] = { 'a', joiners[i], 0 };
      const gchar *local = _repeat(unit, 31);
      _add(_fmt("email: 'a%c' x31 '@' long domain", joiners[i]), _fmt("%sa@%scom ", local, _repeat("b.", 120)), NULL);
      _add(_fmt("email: 'a%c' x31 '@' one long label", joiners[i]), _fmt("%sa@%s ", local, _repeat("b", 2000)),
           NULL);
    }
  _add("email: 'a@a@a@'", "a@", NULL);
  _add("email: 'a.b@'", "a.b@", NULL);
  _add("email: 'x@y.'", "x@y.", NULL);
  _add("email: maximal (64 + 253)", "{a64}@{a60}.{a60}.{a60}.{a60}.com ", NULL);

  /* names and addresses */
  _add("domain: 253 chars of one-letter labels", _fmt("%scom ", _repeat("a.", 125)), NULL);
  _add("domain: 253 chars of 63-letter labels", "{a63}.{a63}.{a63}.{a59}.com ", NULL);
  _add("domain: 'a.a.a.' run", "a.", NULL);
  _add("domain: 'a-a-a-' run", "a-", NULL);
  _add("ipv4: '1.1.1.1-' run", "1.1.1.1-", NULL);
  _add("ipv4: '255.255.255.255 '", "255.255.255.255 ", NULL);
  _add("ipv4: '1.' run", "1.", NULL);
  _add("ipv6: 'ffff:' run", "ffff:", NULL);
  _add("ipv6: '::' run", "::", NULL);
  _add("ipv6: 'a::' run", "a::", NULL);
  _add("ipv6: maximal (45)", "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255 ", NULL);
  _add("ipv6: '::ffff:1.2.3.4 '", "::ffff:1.2.3.4 ", NULL);
  _add("ipv6: '1:' run", "1:", NULL);
  _add("ipv6: 'a:' run", "a:", NULL);
  _add("ipv4: '1.2.3.4.' run", "1.2.3.4.", NULL);
  _add("domain: 'a+' run", "a+", NULL);
  _add("domain: 'a%' run", "a%", NULL);
  _add("url: 'http://a' run", "http://a", NULL);

  /* maximal-length tokens of every type */
  _add("evm: mixed-case '0x' words", "0x{H40} ", NULL);
  _add("evm: lower-case '0x' words", "0x{h40} ", NULL);
  _add("bech32: 'bc1' + 86", "bc1{b86} ", NULL);
  _add("bech32: 'BC1' + 86", "BC1{B86} ", NULL);
  _add("bech32: 'ltc1' + 86", "ltc1{b86} ", NULL);
  _add("bech32: 'bnb1' + 38", "bnb1{b38} ", NULL);
  _add("cashaddr: 'q' + 41", "q{b41} ", NULL);
  _add("cashaddr: 'bitcoincash:q' + 41", "bitcoincash:q{b41} ", NULL);
  _add("base58: 34 chars from '1'", "1{534} ", NULL);
  _add("base58: 36 chars from 'r'", "r{536} ", NULL);
  _add("base58: 44 chars", "{544} ", NULL);
  _add("base58: 95 chars from '4' (xmr)", "4{594} ", NULL);
  _add("base58: 106 chars from '4' (xmr)", "4{5105} ", NULL);
  _add("hash: 64 hex", "{h64} ", NULL);
  _add("hash: 32 hex joined by '.'", "{h32}.", NULL);
  _add("word: 90 letters", "{a90} ", NULL);

  /* long runs of every character class */
  static const gchar *runs[] = { "a", "1", "f", "_", ".", ":", "@", "+", "%", "-", "/", " ", "(", ")", "[", "]", "{{",
                                 "\"", "\xff", "", "a_", "1A1z", "-.", ".:@+%-" };
  for (gsize i = 0; i < G_N_ELEMENTS(runs); i++)
    _add(_fmt("run: '%s'", *runs[i] == '\xff' ? "\\xff" : *runs[i] ? runs[i] : "\\0"), runs[i], NULL);
  g_ptr_array_free(scratch, TRUE);
  return shapes;
}
