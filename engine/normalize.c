/* normalize.c: the per-type rules that turn indicator text into a DiKey.
 *
 * Feeds call di_normalize() with the type they declare and get strict
 * validation and a user-facing error; the scanner calls the same building
 * blocks (di_parse_ipv4, di_normalize_domain, di_url_parse, the wallet rules
 * in chains/wallet.c) on the tokens it cuts, so that a value from a feed and
 * the same value in a log line always become the same key.
 */
#include "normalize.h"
#include "ascii.h"
#include "chains/base58.h"
#include "chains/wallet.h"
#include <string.h>

#define BIT(t) DI_TYPE_BIT(DI_TYPE_##t)

GQuark
di_normalize_error_quark(void)
{
  return g_quark_from_static_string("di-normalize-error-quark");
}

/* ---- IP addresses -------------------------------------------------------- */

/* Dotted quad, exactly four parts of 1..3 digits, each <= 255, no leading
 * zero (inet_pton's rule: "010" would be octal to some parsers). */
gboolean
di_parse_ipv4(const gchar *text, gsize len, guint8 out[4])
{
  /* four parts of 1..3 digits and three dots: 7..15 characters */
  if (len < 7 || len > 15)
    return FALSE;
  const guchar *p = (const guchar *) text, *end = p + len;
  for (gint part = 0; part < 4; part++)
    {
      if (part > 0)
        {
          if (p == end || *p != '.')
            return FALSE;
          p++;
        }
      guint v = p < end ? (guint) (*p - '0') : 10;
      if (v > 9)
        return FALSE;
      p++;
      if (p < end && (guint) (*p - '0') <= 9)
        {
          if (v == 0)
            return FALSE;   /* a leading zero */
          v = v * 10 + (*p++ - '0');
          if (p < end && (guint) (*p - '0') <= 9)
            v = v * 10 + (*p++ - '0');
        }
      if (v > 255)
        return FALSE;
      out[part] = v;
    }
  return p == end;
}

/* RFC 4291 §2.2: eight groups of 1..4 hex digits, one "::" for a run of
 * zero groups, and an optional dotted quad in the last 32 bits. */
gboolean
di_parse_ipv6(const gchar *text, gsize len, guint8 out[16])
{
  guint16 groups[8];
  gint n = 0, gap = -1;
  gsize i = 0;

  if (len < 2 || len > 45)
    return FALSE;
  if (text[0] == ':')
    {
      if (text[1] != ':')
        return FALSE;
      gap = 0;
      i = 2;
    }
  while (i < len)
    {
      gsize start = i;
      guint v = 0;
      while (i < len && i - start < 4 && g_ascii_isxdigit(text[i]))
        v = (v << 4) | di_hex_digit(text[i++]);
      if (i < len && text[i] == '.')
        {
          if (n > 6 || !di_parse_ipv4(text + start, len - start, out))
            return FALSE;
          groups[n++] = (out[0] << 8) | out[1];
          groups[n++] = (out[2] << 8) | out[3];
          break;
        }
      if (i == start || n == 8)
        return FALSE;
      groups[n++] = v;
      if (i == len)
        break;
      if (text[i++] != ':' || i == len)
        return FALSE;
      if (text[i] == ':')
        {
          if (gap >= 0)
            return FALSE;
          gap = n;
          i++;
        }
    }
  if (gap < 0 ? n != 8 : n > 7)
    return FALSE;

  memset(out, 0, 16);
  gint tail = gap < 0 ? 0 : n - gap;
  for (gint g = 0; g < n - tail; g++)
    {
      out[2 * g] = groups[g] >> 8;
      out[2 * g + 1] = groups[g] & 0xff;
    }
  for (gint g = 0; g < tail; g++)
    {
      gint dst = 8 - tail + g;
      out[2 * dst] = groups[gap + g] >> 8;
      out[2 * dst + 1] = groups[gap + g] & 0xff;
    }
  return TRUE;
}

gboolean
di_parse_hex(const gchar *text, gsize len, guint8 *out)
{
  if (len & 1)
    return FALSE;
  for (gsize i = 0; i < len; i += 2)
    {
      gint hi = di_hex_digit(text[i]), lo = di_hex_digit(text[i + 1]);
      if (hi < 0 || lo < 0)
        return FALSE;
      out[i / 2] = (hi << 4) | lo;
    }
  return TRUE;
}

/* "addr/len", v4 or v6; host bits are masked off.  A bare address is taken
 * as its full-length prefix. */
static gboolean
_parse_cidr(const gchar *text, gsize len, DiKey *key)
{
  const gchar *slash = memchr(text, '/', len);
  gsize addr_len = slash ? (gsize) (slash - text) : len;
  guint8 addr[16];
  guint bits, prefix = 0;

  if (di_parse_ipv4(text, addr_len, addr))
    {
      key->cls = DI_KEY_CIDR4;
      bits = 32;
    }
  else if (di_parse_ipv6(text, addr_len, addr))
    {
      key->cls = DI_KEY_CIDR6;
      bits = 128;
    }
  else
    return FALSE;

  if (!slash)
    prefix = bits;
  else
    {
      gsize digits = len - addr_len - 1;
      if (digits < 1 || digits > 3 || (slash[1] == '0' && digits > 1))
        return FALSE;
      for (gsize i = 1; i <= digits; i++)
        {
          if (!g_ascii_isdigit(slash[i]))
            return FALSE;
          prefix = prefix * 10 + (slash[i] - '0');
        }
      if (prefix > bits)
        return FALSE;
    }

  key->len = 1 + bits / 8;
  key->bytes[0] = prefix;
  for (guint i = 0; i < bits / 8; i++)
    {
      guint keep = prefix >= 8 * (i + 1) ? 8 : (prefix > 8 * i ? prefix - 8 * i : 0);
      key->bytes[1 + i] = addr[i] & (guint8) (0xff00 >> keep);
    }
  return TRUE;
}

/* ---- domains -------------------------------------------------------------- */

/* A host name's characters: the label characters (letters, digits, '-',
 * '_'), the dot, and which of them are letters or upper case. */
enum
{
  D_LABEL = 1 << 0,
  D_ALPHA = 1 << 1,
  D_UPPER = 1 << 2,
  D_HYPHEN = 1 << 3,
  D_DOT = 1 << 4,
};

#define D_UP(c) ((c) >= 'A' && (c) <= 'Z')
#define D_LO(c) ((c) >= 'a' && (c) <= 'z')
#define D_CLS(c) ((D_UP(c) || D_LO(c) ? D_LABEL | D_ALPHA : 0) | (D_UP(c) ? D_UPPER : 0) \
                  | (((c) >= '0' && (c) <= '9') || (c) == '_' ? D_LABEL : 0) \
                  | ((c) == '-' ? D_LABEL | D_HYPHEN : 0) | ((c) == '.' ? D_DOT : 0))
#define D_ROW(b) D_CLS((b) + 0), D_CLS((b) + 1), D_CLS((b) + 2), D_CLS((b) + 3), D_CLS((b) + 4), \
                 D_CLS((b) + 5), D_CLS((b) + 6), D_CLS((b) + 7), D_CLS((b) + 8), D_CLS((b) + 9), \
                 D_CLS((b) + 10), D_CLS((b) + 11), D_CLS((b) + 12), D_CLS((b) + 13), D_CLS((b) + 14), \
                 D_CLS((b) + 15)

static const guint8 domain_class[256] =
{
  D_ROW(0x00), D_ROW(0x10), D_ROW(0x20), D_ROW(0x30), D_ROW(0x40), D_ROW(0x50), D_ROW(0x60), D_ROW(0x70),
};

static inline gboolean
_is_label_char(gchar c)
{
  return (domain_class[(guchar) c] & D_LABEL) != 0;
}

/* The TLD: letters (2..63), or an IDN "xn--" label. */
static gboolean
_valid_tld(const gchar *label, gsize len)
{
  if (len >= 5 && g_ascii_strncasecmp(label, "xn--", 4) == 0)
    return TRUE;
  if (len < 2)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!(domain_class[(guchar) label[i]] & D_ALPHA))
      return FALSE;
  return TRUE;
}

#if defined(__SSE2__)
#include <emmintrin.h>

static gboolean _is_file_extension(const gchar *tld, gsize len);

static inline __m128i
_in_range16(__m128i v, guint8 lo, guint8 hi)
{
  __m128i shifted = _mm_add_epi8(v, _mm_set1_epi8((gchar) (0x80 - lo)));
  return _mm_cmplt_epi8(shifted, _mm_set1_epi8((gchar) (-128 + (hi - lo + 1))));
}

/* The host name rules below for a name of 4..64 bytes, 16 bytes at a time:
 * out holds the name and 16 zero bytes past it; it is lower-cased in place
 * while every byte's class goes into a bit mask (bit i for byte i), and the
 * rules are checked on the masks.  *tld receives where the TLD starts,
 * *mixed_tld whether it has both cases.  (In a name of 64 bytes at most
 * with a dot, no label is longer than 63.) */
static gboolean
_host64(guint8 *out, gsize len, gsize *tld, gboolean *mixed_tld)
{
  guint64 dot = 0, hyphen = 0, alpha = 0, upper = 0, lower = 0, other = 0;
  for (gsize i = 0; i < len; i += 16)
    {
      __m128i v = _mm_loadu_si128((const __m128i *) (out + i));
      __m128i up = _in_range16(v, 'A', 'Z'), lo = _in_range16(v, 'a', 'z');
      __m128i d = _mm_cmpeq_epi8(v, _mm_set1_epi8('.')), hy = _mm_cmpeq_epi8(v, _mm_set1_epi8('-'));
      __m128i label = _mm_or_si128(_mm_or_si128(up, lo), _mm_or_si128(_in_range16(v, '0', '9'),
                                                                      _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
      _mm_storeu_si128((__m128i *) (out + i), _mm_or_si128(v, _mm_and_si128(up, _mm_set1_epi8(0x20))));
#define BITS(m) ((guint64) (guint) _mm_movemask_epi8(m) << i)
      dot |= BITS(d);
      hyphen |= BITS(hy);
      upper |= BITS(up);
      lower |= BITS(lo);
      other |= BITS(_mm_andnot_si128(_mm_or_si128(_mm_or_si128(label, hy), d), _mm_set1_epi8(-1)));
#undef BITS
    }
  guint64 keep = len == 64 ? ~G_GUINT64_CONSTANT(0) : (G_GUINT64_CONSTANT(1) << len) - 1;
  dot &= keep;
  hyphen &= keep;
  other &= keep;
  alpha = (upper | lower) & keep;
  /* the byte before and after each byte: a dot or the name's edge */
  guint64 before = (dot << 1) | 1, after = (dot >> 1) | (G_GUINT64_CONSTANT(1) << (len - 1));
  if (!dot || other || (dot & before) || (hyphen & (before | after)))
    return FALSE;
  gsize label = 64 - __builtin_clzll(dot);   /* past the last dot */
  if (label >= len)
    return FALSE;   /* a second trailing dot: an empty label */
  guint64 in_tld = keep & (~G_GUINT64_CONSTANT(0) << label);
  /* the TLD: letters only (2..), or an IDN label */
  if (!((in_tld & ~alpha) == 0 && len - label >= 2) && !(len - label >= 5 && memcmp(out + label, "xn--", 4) == 0))
    return FALSE;
  *tld = label;
  *mixed_tld = (upper & in_tld) && (lower & in_tld);
  return TRUE;
}
#endif

/* Host name syntax (RFC 1123), relaxed for what DNS logs carry: labels of
 * 1..63 letters, digits, '-' (not first or last) and '_' (service labels
 * such as _dmarc, not in the TLD); at least two labels; 253 characters; one
 * trailing dot (a fully qualified name) dropped.  The name is lower-cased
 * into key as it is validated.  With plausible, also says whether the name
 * is worth reporting in free text (di_domain_is_plausible's rules), from
 * the same pass: the scanner's path. */
static gboolean
_normalize_host(const gchar *text, gsize len, DiKey *key, gboolean *plausible)
{
  if (len && text[len - 1] == '.')
    len--;
  if (len < 4 || len > 253)
    return FALSE;

#if defined(__SSE2__)
  if (len <= 64)
    {
      /* the common case, 16 bytes at a time: copy, then lower-case and
       * check in place (the key has room past 64 bytes, zeroed so that
       * nothing undefined is read) */
      guint8 *out = key->bytes;
      gsize tld;
      gboolean mixed;
      memcpy(out, text, len);
      memset(out + len, 0, 16);
      if (!_host64(out, len, &tld, &mixed))
        return FALSE;
      if (plausible)
        *plausible = !mixed && !_is_file_extension((const gchar *) out + tld, len - tld);
      key->cls = DI_KEY_DOMAIN;
      key->len = len;
      return TRUE;
    }
#endif
  guint8 *out = key->bytes;
  gsize label = 0;
  guint last = 0;     /* the class of the character before */
  guint tld = 0;      /* the classes of the last label's characters, ANDed */
  tld = ~0u;
  for (gsize i = 0; i < len; i++)
    {
      guchar c = text[i];
      guint k = domain_class[c];
      if (G_LIKELY((k & (D_LABEL | D_HYPHEN)) == D_LABEL))
        {
          out[i] = c | ((k & D_UPPER) ? 0x20 : 0);
          tld &= k;
          last = k;
          continue;
        }
      if (k & D_DOT)
        {
          if (i == label || i - label > 63 || (last & D_HYPHEN))
            return FALSE;
          label = i + 1;
          tld = ~0u;
        }
      else if (!(k & D_HYPHEN) || i == label)
        return FALSE;
      else
        tld &= k;
      out[i] = c;
      last = k;
    }
  if (label == 0 || len - label > 63 || (last & D_HYPHEN))
    return FALSE;
  /* the TLD: letters only (2..), or an "xn--" label; the common case from
   * the classes gathered on the way */
  if (!((tld & D_ALPHA) && len - label >= 2) && !_valid_tld(text + label, len - label))
    return FALSE;
  if (plausible)
    *plausible = di_domain_is_plausible(text, len);
  key->cls = DI_KEY_DOMAIN;
  key->len = len;
  return TRUE;
}

gboolean
di_normalize_domain(const gchar *text, gsize len, DiKey *key)
{
  return _normalize_host(text, len, key, NULL);
}

gboolean
di_normalize_domain_in_text(const gchar *text, gsize len, DiKey *key)
{
  gboolean plausible = FALSE;
  return _normalize_host(text, len, key, &plausible) && plausible;
}

/* File extensions that are not delegated TLDs.  Real TLDs that are also
 * extensions (.zip, .mov, .app, .sh, .py, .pl, .rs, .md, .so, .cc, .pub)
 * stay valid: threat feeds list domains under them. */
static const gchar *const file_extensions[] =
{
  "7z", "apk", "asp", "aspx", "bak", "bat", "bin", "bmp", "bz2", "cab", "cfg", "cgi", "class", "cmd",
  "conf", "cpp", "crt", "css", "csv", "dat", "db", "deb", "dll", "dmg", "doc", "docm", "docx", "eml",
  "exe", "gif", "gz", "hta", "htm", "html", "ico", "img", "ini", "iso", "jar", "java", "jpeg", "jpg",
  "js", "json", "jsp", "key", "lnk", "lock", "log", "mp3", "mp4", "msi", "odt", "ogg", "old", "pdf",
  "pem", "php", "pid", "png", "ppt", "pptx", "ps1", "rar", "rpm", "rtf", "scr", "sock", "sql",
  "svg", "swp", "sys", "tar", "tgz", "tmp", "tsv", "txt", "vbs", "wav", "webp", "xls", "xlsm", "xlsx",
  "xml", "yaml", "yml",
};

/* A TLD of up to 8 letters as one integer, lower-cased, zero-padded. */
static guint64
_pack8(const gchar *text, gsize len)
{
  guint64 v = 0;
  for (gsize i = 0; i < 8; i++)
    v = (v << 8) | (i < len ? (guchar) di_ascii_lower(text[i]) : 0);
  return v;
}

/* The file extensions in a small open-addressing table, built once: one
 * probe, where a binary search would mispredict a branch per step. */
#define EXT_SLOTS 256
/* the longest file extension in the list ("class") */
#define EXT_MAX_LEN 5

static inline guint
_ext_slot(guint64 packed)
{
  return (guint) ((packed * G_GUINT64_CONSTANT(0x9e3779b97f4a7c15)) >> 56);
}

static guint64 ext_table[EXT_SLOTS];
static gint ext_table_ready;

static const guint64 *
_extension_table(void)
{
  static gsize ready = 0;
  if (G_LIKELY(g_atomic_int_get(&ext_table_ready)))
    return ext_table;
  if (g_once_init_enter(&ready))
    {
      for (gsize i = 0; i < G_N_ELEMENTS(file_extensions); i++)
        {
          gsize n = strlen(file_extensions[i]);
          g_assert(n <= EXT_MAX_LEN);
          guint64 packed = _pack8(file_extensions[i], n);
          guint slot = _ext_slot(packed);
          while (ext_table[slot])
            slot = (slot + 1) % EXT_SLOTS;
          ext_table[slot] = packed;
        }
      g_atomic_int_set(&ext_table_ready, 1);
      g_once_init_leave(&ready, 1);
    }
  return ext_table;
}

static gboolean
_is_file_extension(const gchar *tld, gsize len)
{
  if (len > EXT_MAX_LEN)
    return FALSE;
  const guint64 *table = _extension_table();
  guint64 packed = _pack8(tld, len);
  for (guint slot = _ext_slot(packed); table[slot]; slot = (slot + 1) % EXT_SLOTS)
    if (table[slot] == packed)
      return TRUE;
  return FALSE;
}

/* The rules that tell a host name from other dotted words in free text,
 * applied on top of di_normalize_domain's syntax:
 *   1. the TLD is not a file extension that is no TLD (report.pdf, app.js);
 *   2. the TLD is not in mixed case (java.lang.String, obj.toString).
 * The scanner adds one rule of context: a dotted name followed by '(' is a
 * method call, not a host. */
gboolean
di_domain_is_plausible(const gchar *text, gsize len)
{
  if (len && text[len - 1] == '.')
    len--;
  gsize tld = len;
  while (tld > 0 && text[tld - 1] != '.')
    tld--;

  gboolean has_lower = FALSE, has_upper = FALSE;
  for (gsize i = tld; i < len; i++)
    {
      has_lower |= D_LO(text[i]);
      has_upper |= D_UP(text[i]);
    }
  return len > tld && !(has_lower && has_upper) && !_is_file_extension(text + tld, len - tld);
}

/* ---- URLs and e-mail addresses -------------------------------------------- */

static gboolean
_url_scheme(const gchar *text, gsize len, gsize *scheme_len)
{
  gsize i = 0;
  if (!len || !g_ascii_isalpha(text[0]))
    return FALSE;
  while (i < len && (g_ascii_isalnum(text[i]) || text[i] == '+' || text[i] == '.' || text[i] == '-'))
    i++;
  if (len - i < 3 || memcmp(text + i, "://", 3) != 0)
    return FALSE;
  *scheme_len = i;
  return TRUE;
}

static gboolean
_url_host(const gchar *host, gsize len, DiType *type)
{
  guint8 addr[16];
  DiKey scratch;

  if (di_parse_ipv4(host, len, addr))
    *type = DI_TYPE_IPV4;
  else if (di_normalize_domain(host, len, &scratch))
    *type = DI_TYPE_DOMAIN;
  else
    {
      /* a one-label host ("localhost", "intranet") is a valid URL host */
      for (gsize i = 0; i < len; i++)
        if (!_is_label_char(host[i]))
          return FALSE;
      *type = DI_TYPE_NONE;
    }
  return len > 0;
}

static gboolean
_append(DiKey *key, const gchar *text, gsize len, gboolean lower)
{
  if (key->len + len > DI_KEY_MAX)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    key->bytes[key->len + i] = lower ? di_ascii_lower(text[i]) : text[i];
  key->len += len;
  return TRUE;
}

/* Whether ":port" (port_len bytes, the colon included) is no port or the
 * scheme's default one, which the normalised form leaves out. */
static gboolean
_default_port(const gchar *scheme, gsize scheme_len, const gchar *port, gsize port_len)
{
  if (port_len <= 1)
    return TRUE;   /* "host:" is the default port too (RFC 3986 §6.2.3) */
  gsize i = 1;
  while (i + 1 < port_len && port[i] == '0')
    i++;
  const gchar *digits = port + i;
  gsize n = port_len - i;
  gboolean web = (scheme_len == 4 && g_ascii_strncasecmp(scheme, "http", 4) == 0)
                 || (scheme_len == 2 && g_ascii_strncasecmp(scheme, "ws", 2) == 0);
  gboolean secure = (scheme_len == 5 && g_ascii_strncasecmp(scheme, "https", 5) == 0)
                    || (scheme_len == 3 && g_ascii_strncasecmp(scheme, "wss", 3) == 0);
  return (web && n == 2 && memcmp(digits, "80", 2) == 0) || (secure && n == 3 && memcmp(digits, "443", 3) == 0);
}

gboolean
di_url_parse(const gchar *text, gsize len, DiUrlParts *parts, DiKey *key)
{
  gsize s;
  if (!_url_scheme(text, len, &s))
    return FALSE;
  for (gsize i = s; i < len; i++)
    if ((guchar) text[i] <= ' ' || text[i] == 0x7f)
      return FALSE;

  gsize auth = s + 3, auth_end = auth;
  while (auth_end < len && text[auth_end] != '/' && text[auth_end] != '?' && text[auth_end] != '#')
    auth_end++;
  gsize host = auth;
  for (gsize i = auth; i < auth_end; i++)
    if (text[i] == '@')
      host = i + 1;

  gsize host_end, port;
  guint8 addr[16];
  parts->host_type = DI_TYPE_NONE;
  if (host < auth_end && text[host] == '[')
    {
      const gchar *close = memchr(text + host, ']', auth_end - host);
      if (!close || !di_parse_ipv6(text + host + 1, close - text - host - 1, addr))
        return FALSE;
      parts->host_off = host + 1;
      parts->host_len = close - text - host - 1;
      parts->host_type = DI_TYPE_IPV6;
      port = host_end = close - text + 1;
    }
  else
    {
      const gchar *colon = memchr(text + host, ':', auth_end - host);
      port = host_end = colon ? (gsize) (colon - text) : auth_end;
      gsize hl = host_end - host;
      if (hl > 1 && text[host + hl - 1] == '.')
        hl--;
      if (!_url_host(text + host, hl, &parts->host_type))
        return FALSE;
      parts->host_off = host;
      parts->host_len = hl;
    }
  if (port < auth_end)
    {
      if (text[port] != ':')
        return FALSE;
      for (gsize i = port + 1; i < auth_end; i++)
        if (!g_ascii_isdigit(text[i]))
          return FALSE;
    }

  parts->scheme_len = s;
  parts->authority_end = auth_end;
  const gchar *hash = memchr(text + auth_end, '#', len - auth_end);
  gsize end = hash ? (gsize) (hash - text) : len;
  key->cls = DI_KEY_URL;
  key->len = 0;
  gboolean v6 = parts->host_type == DI_TYPE_IPV6;
  /* the host_end is past the trailing dot when there was one: it is skipped */
  gboolean ok = _append(key, text, s + 3, TRUE)
                && _append(key, "[", v6, FALSE)
                && _append(key, text + parts->host_off, parts->host_len, TRUE)
                && _append(key, "]", v6, FALSE);
  if (ok && !_default_port(text, s, text + port, auth_end - port))
    ok = _append(key, text + host_end, auth_end - host_end, FALSE);
  if (ok && (auth_end == end || text[auth_end] != '/'))
    ok = _append(key, "/", 1, FALSE);
  return ok && _append(key, text + auth_end, end - auth_end, FALSE);
}

static gboolean
_is_local_char(gchar c)
{
  return g_ascii_isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

gboolean
di_normalize_email(const gchar *text, gsize len, DiKey *key)
{
  const gchar *at = memchr(text, '@', len);
  if (!at)
    return FALSE;
  gsize local = at - text;
  if (local < 1 || local > 64 || text[0] == '.' || text[local - 1] == '.')
    return FALSE;
  for (gsize i = 0; i < local; i++)
    if (!_is_local_char(text[i]))
      return FALSE;
  if (!di_normalize_domain(at + 1, len - local - 1, key))
    return FALSE;

  /* the domain is already lower-case in key; prepend the local part */
  gsize dlen = key->len;
  if (local + 1 + dlen > DI_KEY_MAX)
    return FALSE;
  memmove(key->bytes + local + 1, key->bytes, dlen);
  for (gsize i = 0; i < local; i++)
    key->bytes[i] = di_ascii_lower(text[i]);
  key->bytes[local] = '@';
  key->cls = DI_KEY_EMAIL;
  key->len = local + 1 + dlen;
  return TRUE;
}

/* ---- wallets and hashes ---------------------------------------------------- */

static gboolean
_normalize_hash(const gchar *text, gsize len, gsize want, DiKey *key)
{
  if (len != want || !di_parse_hex(text, len, key->bytes))
    return FALSE;
  key->cls = DI_KEY_HASH;
  key->len = len / 2;
  return TRUE;
}

static gboolean
_normalize_eth(const gchar *text, gsize len, DiKey *key)
{
  gchar prefixed[42];
  if (len == 40)
    {
      /* bare 40 hex: some feeds drop the 0x */
      memcpy(prefixed, "0x", 2);
      memcpy(prefixed + 2, text, 40);
      text = prefixed;
      len = 42;
    }
  if (!di_evm_address_parse(text, len, key->bytes))
    return FALSE;
  key->cls = DI_KEY_EVM;
  key->len = 20;
  return TRUE;
}

/* TRON's hex form, 0x41 + 20 bytes, stored as its base58check text. */
static gboolean
_normalize_trx_hex(const gchar *text, gsize len, DiKey *key)
{
  guint8 payload[21];
  gchar b58[2 * 21 + 9];
  if (len != 42 || !di_parse_hex(text, len, payload) || payload[0] != 0x41)
    return FALSE;
  gsize n = di_base58check_encode(DI_BASE58_BITCOIN, payload, sizeof(payload), b58);
  return di_key_set_text(key, DI_KEY_WALLET, b58, n);
}

static gboolean
_normalize_wallet(DiType type, const gchar *text, gsize len, DiKey *key)
{
  DiTypeMask mask = di_wallet_validate(text, len, key);
  switch (type)
    {
    case DI_TYPE_TRX:
      return (mask & BIT(TRX)) || _normalize_trx_hex(text, len, key);
    case DI_TYPE_BCH:
      /* legacy Bitcoin Cash addresses share Bitcoin's versions */
      return mask & (BIT(BCH) | BIT(BTC));
    case DI_TYPE_BSV:
      /* Bitcoin SV has Bitcoin's base58 versions and no segwit */
      return (mask & BIT(BTC)) && !(text[0] == 'b' || text[0] == 'B');
    case DI_TYPE_SOL:
      return di_wallet_is_base58_key(text, len) && di_key_set_text(key, DI_KEY_WALLET, text, len);
    default:
      return (mask & DI_TYPE_BIT(type)) != 0;
    }
}

/* ---- entry points ----------------------------------------------------------- */

static gboolean
_has(const gchar *text, gsize len, gchar c)
{
  return memchr(text, c, len) != NULL;
}

static gboolean
_all_hex(const gchar *text, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit(text[i]))
      return FALSE;
  return TRUE;
}

static DiType
_lowest_type(DiTypeMask mask)
{
  for (gint t = DI_TYPE_NONE + 1; t < DI_TYPE_MAX; t++)
    if (mask & DI_TYPE_BIT(t))
      return t;
  return DI_TYPE_NONE;
}

/* "host/path" without a scheme, as maltrail writes URL trails */
static gboolean
_is_bare_url(const gchar *text, gsize len)
{
  const gchar *slash = memchr(text, '/', len);
  guint8 addr[4];
  DiKey scratch;
  if (!slash || slash == text)
    return FALSE;
  gsize host = slash - text;
  const gchar *colon = memchr(text, ':', host);
  if (colon)
    host = colon - text;
  return di_parse_ipv4(text, host, addr) || di_normalize_domain(text, host, &scratch);
}

DiType
di_infer_type(const gchar *text, gsize len)
{
  guint8 addr[16];
  DiKey key;

  if (len == 0)
    return DI_TYPE_NONE;
  if (len > 3 && g_strstr_len(text, len, "://"))
    return DI_TYPE_URL;
  if (_has(text, len, '/'))
    return _parse_cidr(text, len, &key) ? DI_TYPE_CIDR : _is_bare_url(text, len) ? DI_TYPE_URL : DI_TYPE_NONE;
  if (di_parse_ipv4(text, len, addr))
    return DI_TYPE_IPV4;
  if (_has(text, len, ':') && (di_parse_ipv6(text, len, addr)
                               || (len > 2 && text[0] == '[' && text[len - 1] == ']'
                                   && di_parse_ipv6(text + 1, len - 2, addr))))
    return DI_TYPE_IPV6;
  if (_has(text, len, '@'))
    return DI_TYPE_EMAIL;
  if (_all_hex(text, len))
    switch (len)
      {
      case 32: return DI_TYPE_MD5;
      case 40: return DI_TYPE_SHA1;
      case 64: return DI_TYPE_SHA256;
      }
  if (len == 42 && text[0] == '0' && text[1] == 'x' && _all_hex(text + 2, 40))
    return DI_TYPE_ETH;   /* even with a bad checksum: the error then says so */
  DiType wallet = _lowest_type(di_wallet_validate(text, len, &key));
  if (wallet != DI_TYPE_NONE)
    return wallet;
  if (di_normalize_domain(text, len, &key) && di_domain_is_plausible(text, len))
    return DI_TYPE_DOMAIN;
  if (di_wallet_is_base58_key(text, len))
    return DI_TYPE_SOL;
  return DI_TYPE_NONE;
}

static gboolean
_normalize_as(DiType *type, const gchar *text, gsize len, DiKey *key)
{
  guint8 *b = key->bytes;
  switch (*type)
    {
    case DI_TYPE_IPV4:
    case DI_TYPE_IPV6:
      if (len > 2 && *type == DI_TYPE_IPV6 && text[0] == '[' && text[len - 1] == ']')
        {
          text++;
          len -= 2;
        }
      if (_has(text, len, '/'))
        {
          *type = DI_TYPE_CIDR;
          return _parse_cidr(text, len, key);
        }
      key->cls = *type == DI_TYPE_IPV4 ? DI_KEY_IPV4 : DI_KEY_IPV6;
      key->len = *type == DI_TYPE_IPV4 ? 4 : 16;
      return *type == DI_TYPE_IPV4 ? di_parse_ipv4(text, len, b) : di_parse_ipv6(text, len, b);
    case DI_TYPE_CIDR:
      return _parse_cidr(text, len, key);
    case DI_TYPE_DOMAIN:
      return di_normalize_domain(text, len, key);
    case DI_TYPE_URL:
      {
        DiUrlParts parts;
        gsize s;
        if (_url_scheme(text, len, &s))
          return di_url_parse(text, len, &parts, key);
        /* a bare "host/path" is read as http */
        gchar buf[DI_KEY_MAX];
        if (len + 7 > sizeof(buf) || !_is_bare_url(text, len))
          return FALSE;
        memcpy(buf, "http://", 7);
        memcpy(buf + 7, text, len);
        return di_url_parse(buf, len + 7, &parts, key);
      }
    case DI_TYPE_EMAIL:
      return di_normalize_email(text, len, key);
    case DI_TYPE_MD5:
      return _normalize_hash(text, len, 32, key);
    case DI_TYPE_SHA1:
      return _normalize_hash(text, len, 40, key);
    case DI_TYPE_SHA256:
      return _normalize_hash(text, len, 64, key);
    case DI_TYPE_ETH:
      return _normalize_eth(text, len, key);
    default:
      return di_type_is_wallet(*type) && _normalize_wallet(*type, text, len, key);
    }
}

/* The noun after the type name in an error; NULL when the name says it all. */
static const gchar *
_noun(DiType type)
{
  switch (type)
    {
    case DI_TYPE_DOMAIN:
    case DI_TYPE_URL:
    case DI_TYPE_CIDR:
      return NULL;
    case DI_TYPE_MD5:
    case DI_TYPE_SHA1:
    case DI_TYPE_SHA256:
      return "hash";
    default:
      return "address";
    }
}

/* The value as it appears in an error: at most 100 bytes, escaped. */
static gchar *
_shown(const gchar *text, gsize len)
{
  gchar *cut = g_strndup(text, MIN(len, 100));
  gchar *escaped = g_strescape(cut, NULL);
  g_free(cut);
  if (len <= 100)
    return escaped;
  gchar *more = g_strconcat(escaped, "...", NULL);
  g_free(escaped);
  return more;
}

gboolean
di_normalize(DiType type, const gchar *text, gsize len, DiKey *key, DiType *inferred, GError **error)
{
  DiType t = type != DI_TYPE_NONE ? type : di_infer_type(text, len);
  gboolean ok = t != DI_TYPE_NONE && len <= DI_KEY_MAX && _normalize_as(&t, text, len, key);

  if (inferred)
    *inferred = t;
  if (ok)
    return TRUE;

  gchar *shown = _shown(text, len);
  if (len == 0)
    g_set_error(error, DI_NORMALIZE_ERROR, 0, "empty indicator");
  else if (t == DI_TYPE_NONE)
    g_set_error(error, DI_NORMALIZE_ERROR, 0, "cannot tell the type of '%s'", shown);
  else if (t == DI_TYPE_ETH && len == 42 && _all_hex(text + 2, 40))
    g_set_error(error, DI_NORMALIZE_ERROR, 0, "invalid eth address '%s' (EIP-55 checksum mismatch)", shown);
  else if (!_noun(t))
    g_set_error(error, DI_NORMALIZE_ERROR, 0, "invalid %s '%s'", di_type_name(t), shown);
  else
    g_set_error(error, DI_NORMALIZE_ERROR, 0, "invalid %s %s '%s'", di_type_name(t), _noun(t), shown);
  g_free(shown);
  return FALSE;
}
