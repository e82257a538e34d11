/* scanner.c: one pass over arbitrary text, cutting it into indicator tokens.
 *
 * The text is split into chunks: maximal runs of word characters (letters,
 * digits, '_') and the joiners . : @ + % - that hold host names, addresses
 * and e-mails together.  The hot loop (_next_chunk) classifies the text 64
 * bytes at a time into bit masks with SSE2 or AVX2 and skips, without a
 * branch per byte, every chunk that cannot hold an indicator: most log
 * words are short and plain (the shortest token reported on its own, a
 * bech32 address, has 14 characters).  A chunk that may is summarized from
 * the same masks (which structures its marks allow) and only then handed to
 * _scan_chunk, which walks its words and tries, at each word, only what the
 * next character allows (a URL before "://", an IPv6 address before ':', a
 * host or e-mail before '.', '-' or '@'), else the word on its own (hashes,
 * wallet addresses).  Checksums run only on tokens of the right length and
 * alphabet.
 *
 * Every handler consumes what it scanned, and every forward scan that could
 * be repeated from the next word is bounded (IPv6 to 45 characters, an
 * e-mail local part to 64), so hostile input costs linear time.  Nothing is
 * allocated: the token and its key live in the DiScan on the stack.
 *
 * Token boundaries: a word is the maximal run of [A-Za-z0-9_], so a base58
 * or hex run glued to other letters or digits is never an address or hash.
 * Bytes >= 0x80 are separators: an address after a non-ASCII colon
 * ("地址：1A1z...") is still found.
 */
#include "scanner.h"
#include "normalize.h"
#include "ascii.h"
#include "chains/wallet.h"
#include "chains/bech32.h"
#include <string.h>

/* ---- the character-class table ------------------------------------------- */

enum
{
  C_WORD = 1 << 0,     /* [A-Za-z0-9_] */
  C_ALPHA = 1 << 1,
  C_DIGIT = 1 << 2,
  C_HEX = 1 << 3,
  C_B58 = 1 << 4,      /* the Bitcoin base58 alphabet */
  C_B32 = 1 << 5,      /* the bech32 charset, either case */
  C_JOIN = 1 << 6,     /* . : @ + % - */
  C_CHUNK = 1 << 7,    /* C_WORD | C_JOIN */
  C_HOST = 1 << 8,     /* C_WORD . - */
  C_LOCAL = 1 << 9,    /* C_HOST + % : an e-mail local part */
  C_IP6 = 1 << 10,     /* hex : . */
  C_URL = 1 << 11,     /* may appear inside a URL */
};

#define IS_UP(c) ((c) >= 'A' && (c) <= 'Z')
#define IS_LO(c) ((c) >= 'a' && (c) <= 'z')
#define IS_DI(c) ((c) >= '0' && (c) <= '9')
#define IS_AL(c) (IS_UP(c) || IS_LO(c))
#define IS_HEX(c) (IS_DI(c) || ((c) >= 'a' && (c) <= 'f') || ((c) >= 'A' && (c) <= 'F'))
#define IS_B58(c) ((IS_DI(c) && (c) != '0') || (IS_AL(c) && (c) != 'O' && (c) != 'I' && (c) != 'l'))
#define IS_B32(c) ((IS_DI(c) && (c) != '1') \
                   || (IS_AL(c) && ((c) | 0x20) != 'b' && ((c) | 0x20) != 'i' && ((c) | 0x20) != 'o'))
#define IS_WORD(c) (IS_AL(c) || IS_DI(c) || (c) == '_')
#define IS_JOIN(c) ((c) == '.' || (c) == ':' || (c) == '@' || (c) == '+' || (c) == '%' || (c) == '-')
#define IS_HOST(c) (IS_WORD(c) || (c) == '.' || (c) == '-')
#define IS_LOCAL(c) (IS_HOST(c) || (c) == '+' || (c) == '%')
#define IS_IP6(c) (IS_HEX(c) || (c) == ':' || (c) == '.')
#define IS_URL(c) ((c) > 0x20 && (c) < 0x7f && (c) != '"' && (c) != '\'' && (c) != '<' && (c) != '>' \
                   && (c) != '\\' && (c) != '^' && (c) != '`' && (c) != '{' && (c) != '|' && (c) != '}')

#define CLS(c) ((IS_WORD(c) ? C_WORD | C_CHUNK | C_HOST | C_LOCAL : 0) | (IS_AL(c) ? C_ALPHA : 0) \
                | (IS_DI(c) ? C_DIGIT : 0) | (IS_HEX(c) ? C_HEX | C_IP6 : 0) | (IS_B58(c) ? C_B58 : 0) \
                | (IS_B32(c) ? C_B32 : 0) | (IS_JOIN(c) ? C_JOIN | C_CHUNK : 0) | (IS_HOST(c) ? C_HOST : 0) \
                | (IS_LOCAL(c) ? C_LOCAL : 0) | (IS_IP6(c) ? C_IP6 : 0) | (IS_URL(c) ? C_URL : 0))
#define ROW(b) CLS((b) + 0), CLS((b) + 1), CLS((b) + 2), CLS((b) + 3), CLS((b) + 4), CLS((b) + 5), \
               CLS((b) + 6), CLS((b) + 7), CLS((b) + 8), CLS((b) + 9), CLS((b) + 10), CLS((b) + 11), \
               CLS((b) + 12), CLS((b) + 13), CLS((b) + 14), CLS((b) + 15)

static const guint16 char_class[256] =
{
  ROW(0x00), ROW(0x10), ROW(0x20), ROW(0x30), ROW(0x40), ROW(0x50), ROW(0x60), ROW(0x70),
  /* bytes >= 0x80 (UTF-8) have no class: they separate tokens */
};

#define CLASS(c) char_class[(guint8) (c)]

/* Whether t starts with the letters of lower (either case): a letter with
 * 0x20 set is its lower case, and no other byte becomes a letter so. */
static inline gboolean
_letters_nocase(const gchar *t, const gchar *lower, gsize n)
{
  guint8 diff = 0;
  for (gsize i = 0; i < n; i++)
    diff |= ((guint8) t[i] | 0x20) ^ (guint8) lower[i];
  return diff == 0;
}

/* the shortest token reported on its own: a bech32 address, bc1 + 11 */
#define MIN_WORD 14
#define MAX_IPV6_TEXT 45
#define MAX_LOCAL_PART 64
#define MAX_URLS_PER_RUN 4

/* ---- scanner state and emission -------------------------------------------- */

typedef struct
{
  const gchar *text;
  gsize len;
  guint flags;
  DiTokenFunc func;
  gpointer user_data;
  gboolean stopped;
  /* The last run of URL characters measured, [url_run_start, url_run_end):
   * a URL starting inside it ends where it ends, so no run is measured
   * twice.  What trimming its end needs, found once per run (_url_run):
   * where its last character that is never trimmed is, and the last ')'
   * and ']' after it (each + 1, 0 for none); and, found as URL starts
   * move right, the first '(' and '[' at or after url_open_from.  The
   * URLs this run may still parse, and their bytes (its length and 512):
   * nested URLs ("a://a://...") share their tails, and parsing (and
   * looking up) each would be quadratic; real text nests two or three
   * (an archive's link to a URL with a redirect in its query). */
  gsize url_run_start, url_run_end;
  gsize url_last_plain, url_last_paren, url_last_bracket;
  gsize url_open_from, url_open_paren, url_open_bracket;
  gsize url_budget;
  guint url_parses;
  /* the last run of e-mail local-part characters measured */
  gsize local_run_start, local_run_end;
  /* the last '@' (+ 1) whose domain was judged, where the domain ends
   * (email_de, and email_dn without trailing dots) and the verdict: every
   * local part before one '@' shares its domain */
  gsize email_at, email_de, email_dn;
  gboolean email_ok;
  DiToken token;
} DiScan;

#define KEY(sc) (&(sc)->token.key)

static void
_emit_flagged(DiScan *sc, DiTypeMask types, gsize offset, gsize length, guint flags)
{
  if (sc->stopped)
    return;
  sc->token.types = types;
  sc->token.flags = flags;
  sc->token.offset = offset;
  sc->token.length = length;
  if (!sc->func(&sc->token, sc->user_data))
    sc->stopped = TRUE;
}

static inline void
_emit(DiScan *sc, DiTypeMask types, gsize offset, gsize length)
{
  _emit_flagged(sc, types, offset, length, 0);
}

static inline gboolean
_is(const DiScan *sc, gsize i, guint16 cls)
{
  return i < sc->len && (CLASS(sc->text[i]) & cls);
}

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The end of the run of word characters (or, with host, of host name
 * characters: word . -) that starts at i, up to len: 16 bytes at a step where SSE2 is
 * there, the table for the last bytes of the text. */
static inline gsize
_span_measure(const DiScan *sc, gsize i, gsize len, gboolean host)
{
  const gchar *t = sc->text;
#if defined(__SSE2__)
  while (i + 16 <= len)
    {
      __m128i v = _mm_loadu_si128((const __m128i *) (t + i));
      __m128i l = _mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8((gchar) (0x80 - 'a')));
      __m128i d = _mm_add_epi8(v, _mm_set1_epi8((gchar) (0x80 - '0')));
      __m128i w = _mm_or_si128(_mm_cmplt_epi8(l, _mm_set1_epi8(-128 + 26)), _mm_cmplt_epi8(d, _mm_set1_epi8(-128 + 10)));
      w = _mm_or_si128(w, _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
      if (host)
        w = _mm_or_si128(w, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')), _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))));
      guint stop = ~(guint) _mm_movemask_epi8(w) & 0xffff;
      if (stop)
        return i + __builtin_ctz(stop);
      i += 16;
    }
#endif
  guint16 cls = host ? C_HOST : C_WORD;
  while (i < len && (CLASS(t[i]) & cls))
    i++;
  return i;
}

static inline gsize
_span(const DiScan *sc, gsize i, gsize len, gboolean host)
{
  /* a run of one or no character (a joiner after a joiner, the '@' after a
   * local part, "a@a@a@") needs no vector set-up */
  guint16 cls = host ? C_HOST : C_WORD;
  if (i >= len || !(CLASS(sc->text[i]) & cls))
    return i;
  if (i + 1 >= len || !(CLASS(sc->text[i + 1]) & cls))
    return i + 1;
  gsize end = _span_measure(sc, i, len, host);
  DI_WORK(DI_WORK_VISIT, end - i + 1);
  return end;
}

/* The classes that all of text[from, to) share. */
static inline guint16
_all(const DiScan *sc, gsize from, gsize to)
{
  DI_WORK(DI_WORK_VISIT, to - from);
  guint16 all = 0xffff;
  for (gsize i = from; i < to; i++)
    all &= CLASS(sc->text[i]);
  return all;
}

/* ---- words on their own: hashes and wallet addresses ------------------------- */

static void
_hash(DiScan *sc, gsize q, gsize n)
{
  static const DiTypeMask by_len[] = { [16] = DI_TYPE_BIT(DI_TYPE_MD5), [20] = DI_TYPE_BIT(DI_TYPE_SHA1),
                                       [32] = DI_TYPE_BIT(DI_TYPE_SHA256) };
  DiKey *key = KEY(sc);
  di_parse_hex(sc->text + q, n, key->bytes);
  key->cls = DI_KEY_HASH;
  key->len = n / 2;
  _emit(sc, by_len[n / 2], q, n);
}

/* bc1... and ltc1... (segwit, up to 90 characters) or bnb1... (42): the
 * length of the prefix, 0 for none.  n >= MIN_WORD. */
static inline gsize
_bech32_prefix(const gchar *w, gsize n)
{
  if (n <= 90 && (w[0] | 0x20) == 'b' && (w[1] | 0x20) == 'c' && w[2] == '1')
    return 3;
  if (n <= 90 && (w[0] | 0x20) == 'l' && (w[1] | 0x20) == 't' && (w[2] | 0x20) == 'c' && w[3] == '1')
    return 4;
  if (n == 42 && (w[0] | 0x20) == 'b' && (w[1] | 0x20) == 'n' && (w[2] | 0x20) == 'b' && w[3] == '1')
    return 4;
  return 0;
}

/* A CashAddr without its prefix: q... or p..., 42 or 61 characters. */
static inline gboolean
_cashaddr_shaped(const gchar *w, gsize n, guint16 all)
{
  return (n == 42 || n == 61) && (all & C_B32) && ((w[0] | 0x20) == 'q' || (w[0] | 0x20) == 'p');
}

static gboolean
_wallet_shaped(const gchar *w, gsize n, guint16 all)
{
  if ((all & C_B58) && ((n >= 25 && n <= 36) || n == 95 || n == 106))
    return TRUE;
  return _bech32_prefix(w, n) || _cashaddr_shaped(w, n, all);
}

/* Whether _word can make anything of a word of n characters: a hash
 * (32, 40, 64), a wallet address (25..44, 61, 95, 106; bc1/ltc1 up to 90)
 * or a base58 key (32..44).  Other words are not looked at further. */
static inline gboolean
_word_viable(const gchar *w, gsize n)
{
  if (n < MIN_WORD)
    return FALSE;
  if ((n >= 25 && n <= 44) || n == 61 || n == 64 || n == 95 || n == 106)
    return TRUE;
  return _bech32_prefix(w, n) != 0;
}

static gboolean
_one_case(const gchar *w, gsize n)
{
  gboolean lower = FALSE, upper = FALSE;
  for (gsize i = 0; i < n; i++)
    {
      lower |= IS_LO(w[i]);
      upper |= IS_UP(w[i]);
    }
  return !(lower && upper);
}

/* DI_SCAN_LOOKUP_ONLY: the key a wallet-shaped word has if it is valid,
 * without a checksum (scanner.h says why that is exact). */
static void
_wallet_candidates(DiScan *sc, gsize q, gsize n, guint16 all)
{
  const gchar *w = sc->text + q;
  DiKey *key = KEY(sc);
  gsize p = _bech32_prefix(w, n);
  gboolean cash = _cashaddr_shaped(w, n, all);
  DI_WORK(DI_WORK_VISIT, n);
  if ((p || cash) && (_all(sc, q + p, q + n) & C_B32) && _one_case(w, n))
    {
      /* bech32 and CashAddr are lower-cased; CashAddr keeps its prefix */
      gsize at = cash ? sizeof(DI_CASHADDR_PREFIX ":") - 1 : 0;
      memcpy(key->bytes, DI_CASHADDR_PREFIX ":", at);
      for (gsize i = 0; i < n; i++)
        key->bytes[at + i] = di_ascii_lower(w[i]);
      key->cls = DI_KEY_WALLET;
      key->len = at + n;
      _emit(sc, 0, q, n);
    }
  if ((all & C_B58) && ((n >= 25 && n <= 44) || n == 95 || n == 106))
    {
      /* base58check, Monero and Solana keys: the text itself */
      di_key_set_text(key, DI_KEY_WALLET, w, n);
      _emit(sc, 0, q, n);
    }
}

/* `0x` + 40 hex: the account's 20 bytes whatever the case.  Looked up
 * without its checksum; reported (DI_SCAN_DEFAULT) with its checksum
 * checked, and flagged when mixed case breaks it. */
static void
_evm(DiScan *sc, gsize q)
{
  DiKey *key = KEY(sc);
  gboolean lookup = (sc->flags & DI_SCAN_LOOKUP_ONLY) != 0;
  DiEvmForm form = di_evm_address_read(sc->text + q, 42, key->bytes, !lookup);
  if (form == DI_EVM_NOT_AN_ADDRESS)
    return;
  key->cls = DI_KEY_EVM;
  key->len = 20;
  if (lookup)
    _emit(sc, 0, q, 42);
  else
    _emit_flagged(sc, DI_TYPE_BIT(DI_TYPE_ETH), q, 42,
                  form == DI_EVM_CHECKSUM_INVALID ? DI_TOKEN_CHECKSUM_INVALID : 0);
}

/* A word of n characters whose classes all share `all`. */
static void
_word(DiScan *sc, gsize q, gsize n, guint16 all)
{
  const gchar *w = sc->text + q;
  if (n < MIN_WORD)
    return;

  /* hex of a digest's length; an all-decimal run is a number, not a hash */
  if ((n == 32 || n == 40 || n == 64) && (all & C_HEX) && !(all & C_DIGIT))
    _hash(sc, q, n);

  if (n == 42 && w[0] == '0' && w[1] == 'x')
    _evm(sc, q);
  else if (sc->flags & DI_SCAN_LOOKUP_ONLY)
    _wallet_candidates(sc, q, n, all);
  else if (_wallet_shaped(w, n, all))
    {
      DI_WORK(DI_WORK_VISIT, n);
      DiTypeMask types = di_wallet_validate(w, n, KEY(sc));
      if (types)
        _emit(sc, types, q, n);
    }
}

/* The bits of text[i, i + 16) that are no word character, bit k for byte
 * i + k, and every bit from `to` on. */
static inline guint
_nonword16(const DiScan *sc, gsize i, gsize to)
{
  const gchar *t = sc->text + i;
  guint m = 0;
#if defined(__SSE2__)
  if (i + 16 <= sc->len)
    {
      __m128i v = _mm_loadu_si128((const __m128i *) t);
      __m128i l = _mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8((gchar) (0x80 - 'a')));
      __m128i d = _mm_add_epi8(v, _mm_set1_epi8((gchar) (0x80 - '0')));
      __m128i w = _mm_or_si128(_mm_cmplt_epi8(l, _mm_set1_epi8(-128 + 26)), _mm_cmplt_epi8(d, _mm_set1_epi8(-128 + 10)));
      w = _mm_or_si128(w, _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
      m = ~(guint) _mm_movemask_epi8(w) & 0xffff;
    }
  else
#endif
    for (gsize k = 0; k < 16 && i + k < sc->len; k++)
      m |= (CLASS(t[k]) & C_WORD) ? 0 : 1u << k;
  if (to - i < 16)
    m |= 0xffffu << (to - i);
  return m;
}

/* Every word of [from, to) on its own; no structure is tried again there.
 * Only words of MIN_WORD characters can be anything, and spans handed
 * here are mostly short words between joiners ("1.1.1.1-1.1.1.1-..."): the
 * span is walked 16 bytes at a time, and only the gaps between its
 * non-word bytes are looked at. */
static __attribute__((noinline)) void
_words_long(DiScan *sc, gsize from, gsize to)
{
  DI_WORK(DI_WORK_VISIT, to - from);
  gsize start = from;   /* where the current run of word characters began */
  for (gsize i = from; i < to; i += 16)
    {
      for (guint m = _nonword16(sc, i, to); m; m &= m - 1)
        {
          gsize end = i + __builtin_ctz(m);
          if (end >= to)
            break;
          if (_word_viable(sc->text + start, end - start))
            _word(sc, start, end - start, _all(sc, start, end));
          start = end + 1;
        }
    }
  if (start < to && _word_viable(sc->text + start, to - start))
    _word(sc, start, to - start, _all(sc, start, to));
}

static inline void
_words(DiScan *sc, gsize from, gsize to)
{
  /* no word in a span that short can be anything on its own */
  if (to - from >= MIN_WORD)
    _words_long(sc, from, to);
}

/* ---- IP addresses and host names -------------------------------------------- */

static gboolean
_emit_ipv4(DiScan *sc, gsize q, gsize n)
{
  DiKey *key = KEY(sc);
  DI_WORK(DI_WORK_VISIT, n);
  if (!di_parse_ipv4(sc->text + q, n, key->bytes))
    return FALSE;
  key->cls = DI_KEY_IPV4;
  key->len = 4;
  _emit(sc, DI_TYPE_BIT(DI_TYPE_IPV4), q, n);
  return TRUE;
}

static gboolean
_emit_ipv6(DiScan *sc, gsize q, gsize n)
{
  DiKey *key = KEY(sc);
  DI_WORK(DI_WORK_VISIT, n);
  if (!di_parse_ipv6(sc->text + q, n, key->bytes))
    return FALSE;
  key->cls = DI_KEY_IPV6;
  key->len = 16;
  _emit(sc, DI_TYPE_BIT(DI_TYPE_IPV6), q, n);
  return TRUE;
}

static gboolean
_emit_domain(DiScan *sc, gsize q, gsize n)
{
  DI_WORK(DI_WORK_VISIT, MIN(n, 254));
  if (!di_normalize_domain(sc->text + q, n, KEY(sc)))
    return FALSE;
  _emit(sc, DI_TYPE_BIT(DI_TYPE_DOMAIN), q, n);
  return TRUE;
}

/* A name worth reporting as a domain in free text (see di_domain_is_plausible),
 * and not a method call such as "os.path.join(".  The syntax first: it
 * rejects most dotted words that are no names at once. */
static gboolean
_try_domain(DiScan *sc, gsize q, gsize n)
{
  if (q + n < sc->len && sc->text[q + n] == '(')
    return FALSE;
  DI_WORK(DI_WORK_VISIT, MIN(n, 254));
  if (!di_normalize_domain_in_text(sc->text + q, n, KEY(sc)))
    return FALSE;
  _emit(sc, DI_TYPE_BIT(DI_TYPE_DOMAIN), q, n);
  return TRUE;
}

/* In a span that is neither a host nor an IPv4 address, addresses joined by
 * hyphens ("10.0.0.1-10.0.0.9", "host-10.0.0.1") are still addresses. */
static void
_hyphen_ipv4(DiScan *sc, gsize from, gsize to)
{
  gsize seg = from;
  DI_WORK(DI_WORK_VISIT, to - from);
  for (gsize i = from; i <= to; i++)
    if (i == to || sc->text[i] == '-')
      {
        if (i - seg >= 7 && i - seg <= 15 && IS_DI(sc->text[seg]))
          _emit_ipv4(sc, seg, i - seg);
        seg = i + 1;
      }
}

/* The '@' at `at` (text[at - 1] a local-part character): whether what
 * follows is an e-mail domain worth reporting.  Judged once per '@' and
 * remembered, since every local part that reaches this '@' ("a+b+c@...")
 * shares the domain: *de receives where the domain's run of host
 * characters ends, *dn its length without trailing dots. */
static gboolean
_email_domain(DiScan *sc, gsize at, gsize *de, gsize *dn)
{
  if (sc->email_at != at + 1)
    {
      /* at least 4 characters: looked at one by one before a span */
      gsize d = at + 1, e = d;
      while (e < d + 4 && _is(sc, e, C_HOST))
        e++;
      if (e == d + 4)
        e = _span(sc, e, sc->len, TRUE);
      gsize n = e - d;
      while (n && sc->text[d + n - 1] == '.')
        n--;
      /* the cheap tests of di_normalize_domain first: at least 4
       * characters and a dot */
      sc->email_at = at + 1;
      sc->email_de = e;
      sc->email_dn = n;
      sc->email_ok = _is(sc, d, C_WORD) && sc->text[at - 1] != '.' && n >= 4 && memchr(sc->text + d, '.', n)
                     && di_domain_is_plausible(sc->text + d, n);
      DI_WORK(DI_WORK_VISIT, n);
    }
  *de = sc->email_de;
  *dn = sc->email_dn;
  return sc->email_ok;
}

static gsize
_email(DiScan *sc, gsize q, gsize at)
{
  gsize de, dn, d = at + 1;
  if (!_email_domain(sc, at, &de, &dn))
    return 0;
  DI_WORK(DI_WORK_VISIT, d + dn - q);
  if (!di_normalize_email(sc->text + q, d + dn - q, KEY(sc)))
    {
      /* the local part is valid here: the domain is not */
      sc->email_ok = FALSE;
      return 0;
    }
  _emit(sc, DI_TYPE_BIT(DI_TYPE_EMAIL), q, d + dn - q);
  _emit_domain(sc, d, dn);
  return de;
}

/* The end of the run of local-part characters (host characters, '+' and
 * '%') from i, measured once per run: a local part of many parts would
 * otherwise be measured again from each of them. */
static gsize
_local_end(DiScan *sc, gsize i)
{
  if (i < sc->local_run_start || i >= sc->local_run_end)
    {
      gsize e = i;
      while (_is(sc, e, C_LOCAL))
        e++;
      DI_WORK(DI_WORK_VISIT, e - i + 1);
      sc->local_run_start = i;
      sc->local_run_end = e;
      if (e == i)
        return i;
    }
  return sc->local_run_end;
}

/* At a word followed by '.', '-', '@', '+' or '%': an e-mail, an IPv4
 * address or a domain; else the words of the span on their own. */
static gsize
_host_span(DiScan *sc, gsize q, gsize we)
{
  /* text[q, we) is a word, and word characters are host characters */
  gsize he = _span(sc, we, sc->len, TRUE);

  if (he < sc->len && (sc->text[he] == '@' || sc->text[he] == '+' || sc->text[he] == '%'))
    {
      /* a local part of at most MAX_LOCAL_PART characters, then '@' */
      gsize le = _local_end(sc, he);
      if (le - q <= MAX_LOCAL_PART && le < sc->len && sc->text[le] == '@')
        {
          gsize end = _email(sc, q, le);
          if (end)
            return end;
        }
      if (sc->text[he] == '@')
        {
          /* a local part is not a host name */
          _words(sc, q, he);
          return he;
        }
    }

  gsize n = he - q;
  while (n && sc->text[q + n - 1] == '.')
    n--;
  DI_WORK(DI_WORK_VISIT, n);
  /* the word is mostly followed by the span's first dot */
  if ((sc->text[we] == '.' && we + 1 < q + n) || memchr(sc->text + q, '.', n))
    {
      if (IS_DI(sc->text[q + n - 1]) ? _emit_ipv4(sc, q, n) : _try_domain(sc, q, n))
        return he;
      _hyphen_ipv4(sc, q, q + n);
    }
  _words(sc, q, he);
  return he;
}

/* At a short hex word followed by ':', or at "::". */
static gsize
_ipv6(DiScan *sc, gsize q)
{
  gsize e = q;
  while (e - q <= MAX_IPV6_TEXT && _is(sc, e, C_IP6))
    e++;
  DI_WORK(DI_WORK_VISIT, e - q + 1);

  if (e - q <= MAX_IPV6_TEXT && !_is(sc, e, C_WORD))
    {
      gsize end = e;
      while (end > q && sc->text[end - 1] == '.')
        end--;
      /* "fe80::1: refused", "2001:db8::: up": the last colon is punctuation
       * when the address does not parse with it */
      if (end - q > 2 && (_emit_ipv6(sc, q, end - q)
                          || (sc->text[end - 1] == ':' && _emit_ipv6(sc, q, --end - q))))
        return end;
      /* "::ffff:10.0.0.1:443": after an embedded dotted quad, which ends an
       * address, a ':' starts a port */
      gsize port = end;
      while (port > q && sc->text[port - 1] != '.')
        port--;
      while (port > q && port < end && sc->text[port] != ':')
        port++;
      if (port > q && port < end && _emit_ipv6(sc, q, port - q))
        return port;
      _words(sc, q, e);
      return e;
    }

  /* too long, or it runs into a word: not an address.  Consume the words
   * before the last one, so that no scan starts twice at the same place. */
  gsize last = e;
  while (last > q && (CLASS(sc->text[last - 1]) & C_WORD))
    last--;
  _words(sc, q, last);
  return last;
}

/* ---- URLs and CashAddr prefixes --------------------------------------------- */

/* What trims a URL's end: punctuation that ends the sentence around it. */
static inline gboolean
_url_trimmed(gchar c)
{
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '*' || c == ')' || c == ']';
}

/* Measures the run of URL characters from `from` and what trimming its end
 * needs (see DiScan), once per run. */
static void
_url_run(DiScan *sc, gsize from)
{
  const gchar *t = sc->text;
  gsize e = from;
  while (_is(sc, e, C_URL))
    e++;
  sc->url_run_start = from;
  sc->url_run_end = e;
  sc->url_last_paren = sc->url_last_bracket = 0;
  gsize i = e;
  while (i > from && _url_trimmed(t[i - 1]))
    {
      if (t[i - 1] == ')' && !sc->url_last_paren)
        sc->url_last_paren = i;
      if (t[i - 1] == ']' && !sc->url_last_bracket)
        sc->url_last_bracket = i;
      i--;
    }
  sc->url_last_plain = i > from ? i : 0;
  /* not searched yet (0 lies before every authority, which follows "://") */
  sc->url_open_from = from;
  sc->url_open_paren = sc->url_open_bracket = 0;
  sc->url_budget = (e - from) + 512;
  sc->url_parses = MAX_URLS_PER_RUN;
  DI_WORK(DI_WORK_VISIT, (e - from) + (e - i) + 1);
}

/* The first c at or after from in the URL run, *cached (the run's end for
 * none) kept from a search at or before from: as URL starts move right,
 * each byte is searched once. */
static gsize
_url_next(DiScan *sc, gsize from, gsize *cached, gchar c)
{
  if (*cached < from || from < sc->url_open_from)
    {
      const gchar *hit = memchr(sc->text + from, c, sc->url_run_end - from);
      DI_WORK(DI_WORK_VISIT, (hit ? (gsize) (hit - sc->text) : sc->url_run_end) - from + 1);
      *cached = hit ? (gsize) (hit - sc->text) : sc->url_run_end;
    }
  return *cached;
}

/* Where a URL whose authority starts at `from` ends: at the end of the run
 * of URL characters, less the punctuation that ends a sentence, and less a
 * closing bracket unless the URL opened one.  Trimming one character at a
 * time (and searching for the '(' of each ')') from every URL start of a
 * run would be cubic on "a://a://...)))"; instead, the end is the last
 * character that stays: the last one never trimmed, or the last ')' (']')
 * when a '(' ('[') lies between `from` and it.  Constant time per start. */
static gsize
_url_end(DiScan *sc, gsize from)
{
  if (from < sc->url_run_start || from >= sc->url_run_end)
    _url_run(sc, from);

  /* the '(' or '[' is looked for only when a ')' or ']' could be kept */
  gsize e = MAX(from, sc->url_last_plain);
  if (sc->url_last_paren > e && _url_next(sc, from, &sc->url_open_paren, '(') + 1 < sc->url_last_paren)
    e = sc->url_last_paren;
  if (sc->url_last_bracket > e && _url_next(sc, from, &sc->url_open_bracket, '[') + 1 < sc->url_last_bracket)
    e = sc->url_last_bracket;
  sc->url_open_from = from;
  return e;
}

/* At a scheme word followed by "://"; 0 when no URL starts here. */
static gsize
_url(DiScan *sc, gsize q, gsize we)
{
  gsize auth = we + 3;
  gsize e = _url_end(sc, auth);
  DiUrlParts parts;
  /* a URL longer than a key is not reported (its host still is, as a
   * domain in the text), nor one past the run's budget; parsing is linear
   * in the URL's length */
  if (e == auth || e - q > DI_KEY_MAX || e - q > sc->url_budget || !sc->url_parses)
    return 0;
  sc->url_budget -= e - q;
  sc->url_parses--;
  DI_WORK(DI_WORK_VISIT, e - q);
  if (!di_url_parse(sc->text + q, e - q, &parts, KEY(sc)))
    return 0;
  _emit(sc, DI_TYPE_BIT(DI_TYPE_URL), q, e - q);

  gsize h = q + parts.host_off;
  if (parts.host_type == DI_TYPE_IPV4)
    _emit_ipv4(sc, h, parts.host_len);
  else if (parts.host_type == DI_TYPE_IPV6)
    _emit_ipv6(sc, h, parts.host_len);
  else if (parts.host_type == DI_TYPE_DOMAIN)
    _emit_domain(sc, h, parts.host_len);
  /* the path and query are scanned like any text */
  return q + parts.authority_end;
}

/* At "bitcoincash" followed by ':': the prefixed CashAddr form.  Looked up
 * (DI_SCAN_LOOKUP_ONLY) as its lower-case text without its checksum, like
 * the unprefixed form (_wallet_candidates). */
static gsize
_cashaddr(DiScan *sc, gsize q, gsize we)
{
  gsize e = we + 1;
  while (_is(sc, e, C_WORD))
    e++;
  DI_WORK(DI_WORK_VISIT, e - q);
  if (sc->flags & DI_SCAN_LOOKUP_ONLY)
    {
      if (e - q > DI_KEY_MAX || e == we + 1 || !(_all(sc, we + 1, e) & C_B32) || !_one_case(sc->text + q, e - q))
        return 0;
      DiKey *key = KEY(sc);
      for (gsize i = q; i < e; i++)
        key->bytes[i - q] = di_ascii_lower(sc->text[i]);
      key->cls = DI_KEY_WALLET;
      key->len = e - q;
      _emit(sc, 0, q, e - q);
      return e;
    }
  if (e == we + 1 || !(_all(sc, we + 1, e) & C_B32))
    return 0;
  DiTypeMask types = di_wallet_validate(sc->text + q, e - q, KEY(sc));
  if (!(types & DI_TYPE_BIT(DI_TYPE_BCH)))
    return 0;
  _emit(sc, types, q, e - q);
  return e;
}

/* ---- chunks ------------------------------------------------------------------- */

/* At the start of a word: what the character after it allows. */
static gsize
_at_word(DiScan *sc, gsize q)
{
  const gchar *t = sc->text;
  gsize we = _span(sc, q, sc->len, FALSE);
  if (we == sc->len)
    {
      if (_word_viable(t + q, we - q))
        _word(sc, q, we - q, _all(sc, q, we));
      return we;
    }

  gsize next = 0;
  switch (t[we])
    {
    case ':':
      if (we + 2 < sc->len && t[we + 1] == '/' && t[we + 2] == '/' && (_all(sc, q, we) & C_ALPHA))
        next = _url(sc, q, we);
      else if (we - q == 11 && _letters_nocase(t + q, "bitcoincash", 11))
        next = _cashaddr(sc, q, we);
      else if (we - q <= 4 && (_all(sc, q, we) & C_HEX))
        next = _ipv6(sc, q);
      break;
    case '.':
    case '-':
    case '@':
    case '+':
    case '%':
      next = _host_span(sc, q, we);
      break;
    }
  if (next)
    return next;
  if (_word_viable(t + q, we - q))
    _word(sc, q, we - q, _all(sc, q, we));
  return we;
}

/* Walks one chunk; returns where scanning goes on (past the chunk, or
 * inside a URL's path). */
static __attribute__((noinline)) gsize
_scan_chunk(DiScan *sc, gsize q, gsize ce)
{
  const gchar *t = sc->text;
  while (q < ce && !sc->stopped)
    {
      if (CLASS(t[q]) & C_WORD)
        q = _at_word(sc, q);
      else if (t[q] == ':' && q + 1 < sc->len && t[q + 1] == ':' && (q == 0 || !(CLASS(t[q - 1]) & (C_IP6 | C_WORD))))
        q = _ipv6(sc, q);
      else
        q++;
    }
  return q;
}

/* ---- the hot loop: finding the chunks worth a look ---------------------------
 *
 * The text is classified 64 bytes at a time into bit masks (chunk and word
 * characters, letters, '.', ':', '@', '/').  A chunk is worth a look when it
 * holds one of
 *   - a run of MIN_WORD word characters (a hash or an address), found with
 *     shifted ANDs of the mask (2, 4, 8, then 14 in a row);
 *   - a '.' or an '@' between two word characters (host names, IPv4, e-mails);
 *   - a ':' between word characters or before "//" (IPv6, CashAddr, URLs);
 *   - two ':' in a row (IPv6 with "::").
 * '-', '+' and '%' only join: a chunk with none of the above cannot hold an
 * indicator.  The previous block's masks carry runs and neighbours across
 * the block edge.  Everything up to the first such bit is skipped without a
 * branch per byte, and the chunk's bounds come from the same masks.
 *
 * Such a chunk is then summarized as a whole (_take_chunk): time
 * stamps, version numbers and "key: value" get this far, and one test
 * spares them a try at every structure.
 */

typedef struct
{
  guint64 chunk, word, alpha, dot, colon, at, slash;
} DiMasks;

typedef void (*DiClassifyFunc)(const guint8 *s, DiMasks *m);

#define FINDER static inline __attribute__((always_inline))

typedef struct
{
  const gchar *text;
  gsize len;
  DiClassifyFunc classify;
  gsize base;             /* the classified block: text[base, base + 64) */
  gboolean loaded;
  DiMasks m, prev_m;      /* this block's masks; the previous block's when contiguous */
  gboolean has_prev;
  guint64 interesting;    /* where chunks worth a look are, in the block */
  guint64 long_runs, prev_long_runs;   /* ends of MIN_WORD-long word runs */
  guint64 run[4];         /* word chars, 2-, 4-, 8-runs of the block, for the next one */
} DiFinder;

static void
_classify64_scalar(const guint8 *s, DiMasks *m)
{
  memset(m, 0, sizeof(*m));
  for (gint i = 0; i < 64; i++)
    {
      guint16 c = CLASS(s[i]);
      guint64 bit = G_GUINT64_CONSTANT(1) << i;
      m->chunk |= (c & C_CHUNK) ? bit : 0;
      m->word |= (c & C_WORD) ? bit : 0;
      m->alpha |= (c & C_ALPHA) ? bit : 0;
      m->dot |= s[i] == '.' ? bit : 0;
      m->colon |= s[i] == ':' ? bit : 0;
      m->at |= s[i] == '@' ? bit : 0;
      m->slash |= s[i] == '/' ? bit : 0;
    }
}

#if defined(__SSE2__)
#include <emmintrin.h>

static inline __m128i
_in_range(__m128i v, guint8 lo, guint8 hi)
{
  __m128i shifted = _mm_add_epi8(v, _mm_set1_epi8((gchar) (0x80 - lo)));
  return _mm_cmplt_epi8(shifted, _mm_set1_epi8((gchar) (-128 + (hi - lo + 1))));
}

static inline __m128i
_eq(__m128i v, gchar c)
{
  return _mm_cmpeq_epi8(v, _mm_set1_epi8(c));
}

static void
_classify64_sse2(const guint8 *s, DiMasks *m)
{
  guint64 chunk = 0, word = 0, alpha = 0, dot = 0, colon = 0, at = 0, slash = 0;
  for (gint i = 0; i < 4; i++)
    {
      __m128i v = _mm_loadu_si128((const __m128i *) (s + 16 * i));
      __m128i a = _in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z');
      __m128i w = _mm_or_si128(_mm_or_si128(a, _in_range(v, '0', '9')), _eq(v, '_'));
      __m128i d = _eq(v, '.'), c = _eq(v, ':'), t = _eq(v, '@');
      __m128i j = _mm_or_si128(_mm_or_si128(_eq(v, '-'), _mm_or_si128(d, c)),
                               _mm_or_si128(t, _mm_or_si128(_eq(v, '+'), _eq(v, '%'))));
      gint shift = 16 * i;
      chunk |= (guint64) (guint) _mm_movemask_epi8(_mm_or_si128(w, j)) << shift;
      word |= (guint64) (guint) _mm_movemask_epi8(w) << shift;
      alpha |= (guint64) (guint) _mm_movemask_epi8(a) << shift;
      dot |= (guint64) (guint) _mm_movemask_epi8(d) << shift;
      colon |= (guint64) (guint) _mm_movemask_epi8(c) << shift;
      at |= (guint64) (guint) _mm_movemask_epi8(t) << shift;
      slash |= (guint64) (guint) _mm_movemask_epi8(_eq(v, '/')) << shift;
    }
  *m = (DiMasks) { chunk, word, alpha, dot, colon, at, slash };
}
#endif

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define DI_HAVE_AVX2 1
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))
/* the finder's own copy for AVX2 CPUs (all of which have popcnt and BMI1) */
#define AVX2_FINDER __attribute__((target("avx2,popcnt,bmi")))

static inline AVX2 __m256i
_in_range32(__m256i v, guint8 lo, guint8 hi)
{
  __m256i shifted = _mm256_add_epi8(v, _mm256_set1_epi8((gchar) (0x80 - lo)));
  return _mm256_cmpgt_epi8(_mm256_set1_epi8((gchar) (-128 + (hi - lo + 1))), shifted);
}

static inline AVX2 __m256i
_eq32(__m256i v, gchar c)
{
  return _mm256_cmpeq_epi8(v, _mm256_set1_epi8(c));
}

/* One half (32 bytes) of a block: the seven masks' 32 bits. */
static inline __attribute__((always_inline)) AVX2 void
_classify32_avx2(const guint8 *s, guint32 out[7])
{
  __m256i v = _mm256_loadu_si256((const __m256i *) s);
  __m256i a = _in_range32(_mm256_or_si256(v, _mm256_set1_epi8(0x20)), 'a', 'z');
  __m256i w = _mm256_or_si256(_mm256_or_si256(a, _in_range32(v, '0', '9')), _eq32(v, '_'));
  __m256i d = _eq32(v, '.'), c = _eq32(v, ':'), t = _eq32(v, '@');
  __m256i j = _mm256_or_si256(_mm256_or_si256(_eq32(v, '-'), _mm256_or_si256(d, c)),
                              _mm256_or_si256(t, _mm256_or_si256(_eq32(v, '+'), _eq32(v, '%'))));
  out[0] = _mm256_movemask_epi8(_mm256_or_si256(w, j));
  out[1] = _mm256_movemask_epi8(w);
  out[2] = _mm256_movemask_epi8(a);
  out[3] = _mm256_movemask_epi8(d);
  out[4] = _mm256_movemask_epi8(c);
  out[5] = _mm256_movemask_epi8(t);
  out[6] = _mm256_movemask_epi8(_eq32(v, '/'));
}

static inline __attribute__((always_inline)) AVX2 void
_classify64_avx2(const guint8 *s, DiMasks *m)
{
  guint32 lo[7], hi[7];
  _classify32_avx2(s, lo);
  _classify32_avx2(s + 32, hi);
#define JOIN64(k) ((guint64) lo[k] | (guint64) hi[k] << 32)
  *m = (DiMasks) { JOIN64(0), JOIN64(1), JOIN64(2), JOIN64(3), JOIN64(4), JOIN64(5), JOIN64(6) };
#undef JOIN64
}
#endif

/* DI_SCANNER_ISA=reference: no finder at all, every chunk walked (see
 * _scan_reference); the tests hold the finder to it. */
static void
_classify64_reference(const guint8 *s, DiMasks *m)
{
  _classify64_scalar(s, m);
}

/* The widest classifier this CPU runs, chosen once.  DI_SCANNER_ISA=scalar,
 * sse2 or avx2 forces one (the tests run every variant). */
static DiClassifyFunc
_pick_classifier_once(void)
{
  const gchar *isa = g_getenv("DI_SCANNER_ISA");
  if (isa && strcmp(isa, "scalar") == 0)
    return _classify64_scalar;
  if (isa && strcmp(isa, "reference") == 0)
    return _classify64_reference;
#ifdef DI_HAVE_AVX2
  if ((!isa || strcmp(isa, "avx2") == 0) && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt")
      && __builtin_cpu_supports("bmi"))
    return _classify64_avx2;
#endif
#if defined(__SSE2__)
  return _classify64_sse2;
#else
  return _classify64_scalar;
#endif
}

static DiClassifyFunc
_pick_classifier(void)
{
  static gpointer picked = NULL;
  gpointer f = g_atomic_pointer_get(&picked);
  if (!f)
    {
      f = (gpointer) _pick_classifier_once();
      g_atomic_pointer_set(&picked, f);
    }
  return (DiClassifyFunc) f;
}

static inline guint64
_shift_in(guint64 mask, guint64 prev, guint k)
{
  return (mask << k) | (prev >> (64 - k));
}

/* The masks of text[base, base + 64), with no bit past the text's end.  The
 * last block of a text of 64 bytes or more is classified as the 64 bytes
 * that end the text, shifted: no read past the end, and no copy (a wide
 * load of freshly copied bytes stalls on store forwarding). */
FINDER void
_classify_at(const DiFinder *f, gsize base, DiMasks *m, DiClassifyFunc classify)
{
  const guint8 *t = (const guint8 *) f->text;
  if (base + 64 <= f->len)
    {
      classify(t + base, m);
      return;
    }
  if (f->len >= 64)
    {
      guint shift = base - (f->len - 64);
      classify(t + f->len - 64, m);
      m->chunk >>= shift;
      m->word >>= shift;
      m->alpha >>= shift;
      m->dot >>= shift;
      m->colon >>= shift;
      m->at >>= shift;
      m->slash >>= shift;
      return;
    }
  /* a short text: zero bytes are no chunk characters */
  guint8 tail[64];
  memset(tail, 0, sizeof(tail));
  memcpy(tail, t + base, f->len - base);
  classify(tail, m);
}

/* Classifies text[base, base + 64); `contiguous` when it follows the block
 * classified last, so that runs and neighbours continue across the edge. */
FINDER void
_finder_load(DiFinder *f, gsize base, gboolean contiguous, DiClassifyFunc classify)
{
  guint64 prev[4] = { 0, 0, 0, 0 }, prev_colon = 0;
  f->has_prev = contiguous;
  if (contiguous)
    {
      memcpy(prev, f->run, sizeof(prev));
      prev_colon = f->m.colon;
      f->prev_m = f->m;
      f->prev_long_runs = f->long_runs;
    }
  _classify_at(f, base, &f->m, classify);
  DI_WORK(DI_WORK_VISIT, 64);
  const DiMasks *m = &f->m;

  f->run[0] = m->word;
  f->run[1] = f->run[0] & _shift_in(f->run[0], prev[0], 1);
  f->run[2] = f->run[1] & _shift_in(f->run[1], prev[1], 2);
  f->run[3] = f->run[2] & _shift_in(f->run[2], prev[2], 4);
  /* a run of 14 ending at i: the 8-runs ending at i and at i - 6 */
  f->long_runs = f->run[3] & _shift_in(f->run[3], prev[3], 6);

  /* the neighbours: left from the previous block, right from the next byte */
  guint64 word_left = _shift_in(m->word, prev[0], 1), colon_left = _shift_in(m->colon, prev_colon, 1);
  guint64 word_right = m->word >> 1, colon_right = m->colon >> 1, slash_right = m->slash >> 1;
  if (base + 64 < f->len)
    {
      gchar next = f->text[base + 64];
      guint64 top = G_GUINT64_CONSTANT(1) << 63;
      word_right |= (CLASS(next) & C_WORD) ? top : 0;
      colon_right |= next == ':' ? top : 0;
      slash_right |= next == '/' ? top : 0;
    }
  /* a ':' counts in "::", in "scheme://" and between words (IPv6 groups,
   * "bitcoincash:q..."), not before a space ("key: value") */
  f->interesting = f->long_runs | (m->dot & word_left & word_right) | (m->at & word_left & word_right)
                   | (m->colon & ((word_left & (word_right | slash_right)) | colon_left | colon_right));
  f->base = base;
  f->loaded = TRUE;
}

static inline gboolean
_is_cashaddr_colon(const gchar *t, gsize cs, gsize i)
{
  return i >= cs + 11 && (t[i - 11] | 0x20) == 'b' && _letters_nocase(t + i - 11, "bitcoincash", 11);
}

/* What a chunk holds, gathered block by block: each structure needs a mark
 * (a URL its "://", an IPv6 address "::" or six colons, an e-mail an '@'
 * after its local part, an IPv4 address three dots, a domain a letter after
 * a dot, a CashAddr its "bitcoincash:"), and a standalone word MIN_WORD
 * characters. */
typedef struct
{
  guint colons, dots;
  gboolean structure, long_word;
} DiChunkSummary;

/* Bits set in a mask, counted up to cap (the summary needs 3 dots and 6
 * colons at most), branch-free and without the popcnt instruction, which is
 * not assumed. */
FINDER guint
_count_upto(guint64 x, guint cap, gboolean popcnt)
{
  if (popcnt)
    return MIN((guint) __builtin_popcountll(x), cap);
  guint n = 0;
  for (guint i = 0; i < cap; i++)
    {
      n += x != 0;
      x &= x - 1;
    }
  return n;
}

/* Adds the part [from, to) of a chunk starting at cs, inside the block of
 * masks m at base. */
FINDER void
_summarize(DiChunkSummary *sum, const gchar *t, const DiMasks *m, guint64 long_runs, gsize base, gsize cs,
           gsize from, gsize to, gboolean popcnt)
{
  guint lo = from - base, hi = to - base;
  guint64 range = (hi == 64 ? ~G_GUINT64_CONSTANT(0) : (G_GUINT64_CONSTANT(1) << hi) - 1)
                  & (~G_GUINT64_CONSTANT(0) << lo);
  guint64 colons = m->colon & range, dots = m->dot & range;
  guint64 ats = m->at & range & ~(from == cs ? G_GUINT64_CONSTANT(1) << lo : 0);

  gboolean structure = (colons & (colons << 1)) || (dots & (m->alpha >> 1)) || ats;
  /* the marks that straddle the block edge */
  if (from > cs && ((t[from - 1] == ':' && t[from] == ':') || (t[from - 1] == '.' && IS_AL(t[from]))))
    structure = TRUE;
  for (guint64 c = structure ? 0 : colons; c; c &= c - 1)
    structure |= _is_cashaddr_colon(t, cs, base + __builtin_ctzll(c));

  sum->structure |= structure;
  if (colons)
    sum->colons += _count_upto(colons, 6, popcnt);
  sum->dots += _count_upto(dots, 3, popcnt);
  sum->long_word |= (long_runs & range) != 0;
}

/* The byte-wise form, for the rare chunk that starts more than a block
 * before the byte that made it interesting. */
static void
_summarize_bytes(DiChunkSummary *sum, const gchar *t, gsize cs, gsize ce)
{
  guint run = 0, max_run = 0;
  DI_WORK(DI_WORK_VISIT, ce - cs);
  for (gsize i = cs; i < ce; i++)
    {
      if (CLASS(t[i]) & C_WORD)
        {
          run++;
          continue;
        }
      max_run = MAX(max_run, run);
      run = 0;
      switch (t[i])
        {
        case ':':
          sum->colons++;
          sum->structure |= (i > cs && t[i - 1] == ':') || _is_cashaddr_colon(t, cs, i);
          break;
        case '@':
          sum->structure |= i > cs;
          break;
        case '.':
          sum->dots++;
          sum->structure |= i + 1 < ce && IS_AL(t[i + 1]);
          break;
        }
    }
  sum->long_word = MAX(max_run, run) >= MIN_WORD;
}

/* The chunk around the interesting byte x and what it holds.  Its start
 * comes from this block's or the previous block's masks; its end may lie
 * blocks ahead, and the finder moves there, summarizing on the way. */
FINDER void
_take_chunk(DiFinder *f, gsize from, gsize x, gsize *cs, gsize *ce, DiChunkSummary *sum,
            DiClassifyFunc classify, gboolean popcnt)
{
  const gchar *t = f->text;
  guint64 gaps_before = ~f->m.chunk & ((G_GUINT64_CONSTANT(1) << (x - f->base)) - 1);
  gsize s;

  memset(sum, 0, sizeof(*sum));
  if (gaps_before)
    s = f->base + 64 - __builtin_clzll(gaps_before);
  else if (f->has_prev && ~f->prev_m.chunk)
    s = f->base - __builtin_clzll(~f->prev_m.chunk);
  else
    {
      for (s = f->base; s > from && (CLASS(t[s - 1]) & C_CHUNK); s--)
        ;
      DI_WORK(DI_WORK_VISIT, f->base - s);
    }
  s = MAX(s, from);
  *cs = s;

  /* from the masks when the start is in this block or the one before */
  gboolean masks = s >= f->base || (f->has_prev && s >= f->base - 64);
  if (masks && s < f->base)
    _summarize(sum, t, &f->prev_m, f->prev_long_runs, f->base - 64, s, s, f->base, popcnt);

  for (;;)
    {
      guint64 gaps_after = ~f->m.chunk & (~G_GUINT64_CONSTANT(0) << (x - f->base));
      gsize e = gaps_after ? f->base + __builtin_ctzll(gaps_after) : MIN(f->base + 64, f->len);
      if (masks)
        _summarize(sum, t, &f->m, f->long_runs, f->base, s, MAX(s, f->base), e, popcnt);
      if (gaps_after || f->base + 64 >= f->len)
        {
          *ce = e;
          break;
        }
      _finder_load(f, f->base + 64, TRUE, classify);
      x = f->base;
    }
  if (!masks)
    _summarize_bytes(sum, t, *cs, *ce);
}

/* The next chunk worth a look at or after *p; *structure says whether it
 * can hold more than standalone words, *long_word whether it has a word
 * long enough to be one. */
FINDER gboolean
_next_chunk(DiFinder *f, gsize *p, gsize *cs, gsize *ce, gboolean *structure, gboolean *long_word,
            DiClassifyFunc classify, gboolean popcnt)
{
  const gchar *t = f->text;
  gsize pos = *p;
  if (pos >= f->len)
    return FALSE;
  if (!f->loaded || pos < f->base || pos >= f->base + 64)
    _finder_load(f, pos, FALSE, classify);

  for (;;)
    {
      guint64 m = f->interesting & (~G_GUINT64_CONSTANT(0) << (pos - f->base));
      if (m)
        {
          DiChunkSummary sum;
          gsize x = f->base + __builtin_ctzll(m);
          _take_chunk(f, *p, x, cs, ce, &sum, classify, popcnt);
          /* x is a chunk character, so the chunk ends past it: the scan
           * always moves on, whatever the masks say */
          *ce = MAX(*ce, x + 1);
          /* "scheme://": the chunk ends at the ':' before "//" */
          gboolean scheme = t[*ce - 1] == ':' && *ce + 1 < f->len && t[*ce] == '/' && t[*ce + 1] == '/';
          *structure = sum.structure || sum.colons >= 6 || sum.dots >= 3 || scheme;
          *long_word = sum.long_word;
          *p = *ce;
          return TRUE;
        }
      gsize next = f->base + 64;
      if (next >= f->len)
        {
          *p = f->len;
          return FALSE;
        }
      _finder_load(f, next, TRUE, classify);
      pos = next;
    }
}

/* The hot loop, inlined into one copy per classifier. */
FINDER void
_scan_loop(DiScan *sc, DiFinder *finder, DiClassifyFunc classify, gboolean popcnt)
{
  gsize p = 0, cs, ce;
  gboolean structure, long_word;
  while (!sc->stopped && _next_chunk(finder, &p, &cs, &ce, &structure, &long_word, classify, popcnt))
    {
      gsize next = ce;
      if (structure)
        next = _scan_chunk(sc, cs, ce);
      else if (long_word)
        _words(sc, cs, ce);
      p = MAX(next, ce);
    }
}

#ifdef DI_HAVE_AVX2
static AVX2_FINDER void
_scan_avx2(DiScan *sc, DiFinder *finder)
{
  _scan_loop(sc, finder, _classify64_avx2, TRUE);
}
#endif

static void
_scan_any(DiScan *sc, DiFinder *finder)
{
  _scan_loop(sc, finder, finder->classify, FALSE);
}

/* What the finder must agree with: every maximal chunk handed to
 * _scan_chunk, none skipped.  Slow; only the tests use it. */
static void
_scan_reference(DiScan *sc)
{
  gsize p = 0;
  while (p < sc->len && !sc->stopped)
    {
      if (!(CLASS(sc->text[p]) & C_CHUNK))
        {
          p++;
          continue;
        }
      gsize ce = p;
      while (ce < sc->len && (CLASS(sc->text[ce]) & C_CHUNK))
        ce++;
      gsize next = _scan_chunk(sc, p, ce);
      p = MAX(next, ce);
    }
}

void
di_scan(const gchar *text, gsize len, guint flags, DiTokenFunc func, gpointer user_data)
{
  DiScan sc;
  sc.text = text;
  sc.len = len;
  sc.flags = flags;
  sc.func = func;
  sc.user_data = user_data;
  sc.stopped = FALSE;
  sc.url_run_start = sc.url_run_end = 0;
  sc.local_run_start = sc.local_run_end = 0;
  sc.email_at = 0;

  /* only these fields are read before being written: no memset of the rest */
  DiFinder finder;
  finder.text = text;
  finder.len = len;
  finder.classify = _pick_classifier();
  finder.loaded = FALSE;
  if (G_UNLIKELY(finder.classify == _classify64_reference))
    {
      _scan_reference(&sc);
      return;
    }
#ifdef DI_HAVE_AVX2
  if (finder.classify == _classify64_avx2)
    {
      _scan_avx2(&sc, &finder);
      return;
    }
#endif
  _scan_any(&sc, &finder);
}
