/* key.c: printing of normalised keys (and the work counters of key.h). */
#include "key.h"
#include <string.h>

#ifdef DI_WORK_HOOKS
__thread guint64 di_work_counter[DI_WORK_MAX];
#endif

static void
_append_hex(GString *out, const guint8 *bytes, gsize len)
{
  static const gchar digits[] = "0123456789abcdef";
  for (gsize i = 0; i < len; i++)
    {
      g_string_append_c(out, digits[bytes[i] >> 4]);
      g_string_append_c(out, digits[bytes[i] & 15]);
    }
}

static void
_append_ipv6(GString *out, const guint8 *a)
{
  /* RFC 5952: lower case, no leading zeros, the longest run (>= 2) of zero
   * groups as "::", the first such run on a tie, dotted quad for ::ffff:0:0/96. */
  guint16 g[8];
  for (gint i = 0; i < 8; i++)
    g[i] = (a[2 * i] << 8) | a[2 * i + 1];

  gboolean v4_mapped = !g[0] && !g[1] && !g[2] && !g[3] && !g[4] && g[5] == 0xffff;
  gint groups = v4_mapped ? 6 : 8;

  gint best = -1, best_len = 0;
  for (gint i = 0; i < groups;)
    {
      if (g[i])
        {
          i++;
          continue;
        }
      gint j = i;
      while (j < groups && !g[j])
        j++;
      if (j - i > best_len)
        {
          best = i;
          best_len = j - i;
        }
      i = j;
    }
  if (best_len < 2)
    best = -1;

  for (gint i = 0; i < groups; i++)
    {
      if (i == best)
        {
          g_string_append(out, "::");
          i += best_len - 1;
          continue;
        }
      if (i > 0 && i != best + best_len)
        g_string_append_c(out, ':');
      g_string_append_printf(out, "%x", g[i]);
    }
  if (v4_mapped)
    {
      if (best + best_len != 6)
        g_string_append_c(out, ':');
      g_string_append_printf(out, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
    }
}

void
di_key_format_raw(guint8 cls, const guint8 *b, gsize len, GString *out)
{
  switch (cls)
    {
    case DI_KEY_IPV4:
      g_string_append_printf(out, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
      break;
    case DI_KEY_IPV6:
      _append_ipv6(out, b);
      break;
    case DI_KEY_CIDR4:
      g_string_append_printf(out, "%u.%u.%u.%u/%u", b[1], b[2], b[3], b[4], b[0]);
      break;
    case DI_KEY_CIDR6:
      _append_ipv6(out, b + 1);
      g_string_append_printf(out, "/%u", b[0]);
      break;
    case DI_KEY_HASH:
      _append_hex(out, b, len);
      break;
    case DI_KEY_EVM:
      g_string_append(out, "0x");
      _append_hex(out, b, len);
      break;
    default:
      g_string_append_len(out, (const gchar *) b, len);
      break;
    }
}

void
di_key_format(const DiKey *key, GString *out)
{
  di_key_format_raw(key->cls, key->bytes, key->len, out);
}

gboolean
di_key_set_text(DiKey *key, DiKeyClass cls, const gchar *text, gsize len)
{
  if (len == 0 || len > DI_KEY_MAX)
    return FALSE;
  key->cls = cls;
  key->len = len;
  memcpy(key->bytes, text, len);
  return TRUE;
}
