/* scanner.c: one pass over arbitrary text, cutting it into indicator tokens.
 *
 * The text is split into chunks: maximal runs of word characters (letters,
 * digits, '_') and the joiners . : @ + % - that hold host names, addresses
 * and e-mails together.  The hot loop (_scan_loop) classifies the text 64
 * bytes at a time into bit masks with SSE2 or AVX2 and skips, without a
 * branch per chunk, every chunk that cannot hold an indicator: most log
 * words are short and plain (the shortest token reported on its own, a
 * bech32 address, has 14 characters).  Which chunks may, and whether they
 * hold a mark that some structure needs, comes from the same masks for a
 * whole block at once.  A chunk with a mark (but a plain dotted quad, read
 * from the masks) goes to _scan_chunk, which walks its words and tries, at
 * each word, only what the next character allows (a URL before "://", an
 * IPv6 address before ':', a host or e-mail before '.', '-' or '@'), else
 * the word on its own (hashes, wallet addresses).  Checksums run only on
 * tokens of the right length and alphabet.
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
 * characters, letters, '.', ':'), bit i for byte base + i.  A
 * chunk is handed on only when it can hold something:
 *   - to _scan_chunk when it holds a mark that some structure needs: a
 *     letter after a '.' (a domain's TLD, and so an e-mail's, whose domain
 *     must be a name), "::" (IPv6), a ':' before "//" (a URL), the ':' of
 *     "bitcoincash:" before a word, a third '.' (IPv4) or a sixth ':' (IPv6
 *     without "::") after a word character;
 *   - else to _words when it holds a run of MIN_WORD word characters (a hash
 *     or an address on its own).
 * Everything else (time stamps, decimals, "key: value", short words) can
 * hold no indicator and is skipped without a branch per chunk: which chunks
 * hold a mark is found for all chunks of a block at once, by addition.
 * Adding a mark's bit to the chunk mask carries through the rest of its
 * chunk and sets the bit just past the chunk's end, so (chunk + marks) &
 * ~chunk has a bit at the end of every chunk that holds a mark.  Counting
 * works the same way: (chunk + dots) & dots is every dot of a chunk but its
 * first, and done twice, every dot from the third on.
 *
 * No chunk crosses a block edge: the chunk that reaches a block's top is
 * left to the next block, which starts where that chunk starts (a block
 * moves on by 32 bytes or more, two at a time: linear).  So a block needs
 * nothing of the one before, and a mark's pair is always inside one block.
 * A chunk of 64 bytes or more fills a block on its own: it is handed to
 * _scan_chunk whole, as the reference walk does (hashes of 64 hex digits
 * with their "0x", long names; rare in logs).
 *
 * "Letter" in the masks means a word character that is no digit (so '_'
 * too): a mark that a letter makes ('.' before one, ':' after one) only
 * decides that a chunk is looked at, and a superset of the chunks worth a
 * look finds the same tokens.
 */

typedef struct
{
  guint64 chunk, word, letter, dot, colon;
} DiMasks;

typedef void (*DiClassifyFunc)(const guint8 *s, DiMasks *m);

#define FINDER static inline __attribute__((always_inline))

static inline __attribute__((always_inline)) void
_classify64_scalar(const guint8 *s, DiMasks *m)
{
  guint64 chunk = 0, word = 0, digit = 0, dot = 0, colon = 0;
  for (gint i = 0; i < 64; i++)
    {
      guint16 c = CLASS(s[i]);
      guint64 bit = G_GUINT64_CONSTANT(1) << i;
      chunk |= (c & C_CHUNK) ? bit : 0;
      word |= (c & C_WORD) ? bit : 0;
      digit |= (c & C_DIGIT) ? bit : 0;
      dot |= s[i] == '.' ? bit : 0;
      colon |= s[i] == ':' ? bit : 0;
    }
  *m = (DiMasks) { chunk, word, word & ~digit, dot, colon };
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

static inline __attribute__((always_inline)) void
_classify64_sse2(const guint8 *s, DiMasks *m)
{
  guint64 chunk = 0, word = 0, digit = 0, dot = 0, colon = 0;
  for (gint i = 0; i < 4; i++)
    {
      __m128i v = _mm_loadu_si128((const __m128i *) (s + 16 * i));
      __m128i g = _in_range(v, '0', '9');
      __m128i w = _mm_or_si128(_mm_or_si128(_in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z'), g),
                               _eq(v, '_'));
      __m128i d = _eq(v, '.'), c = _eq(v, ':'), t = _eq(v, '@');
      __m128i j = _mm_or_si128(_mm_or_si128(_eq(v, '-'), _mm_or_si128(d, c)),
                               _mm_or_si128(t, _mm_or_si128(_eq(v, '+'), _eq(v, '%'))));
      gint shift = 16 * i;
      chunk |= (guint64) (guint) _mm_movemask_epi8(_mm_or_si128(w, j)) << shift;
      word |= (guint64) (guint) _mm_movemask_epi8(w) << shift;
      digit |= (guint64) (guint) _mm_movemask_epi8(g) << shift;
      dot |= (guint64) (guint) _mm_movemask_epi8(d) << shift;
      colon |= (guint64) (guint) _mm_movemask_epi8(c) << shift;
    }
  *m = (DiMasks) { chunk, word, word & ~digit, dot, colon };
}
#endif

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define DI_HAVE_AVX2 1
#include <immintrin.h>

/* the finder's own copy for AVX2 CPUs (all of which have BMI1 and popcnt) */
#define AVX2_FINDER __attribute__((target("avx2,bmi,popcnt")))

/* AVX2 classifies a byte with two table lookups, one by its low nibble and
 * one by its high nibble, ANDed (a class whose bytes are a product of
 * nibble sets gets one bit; the word characters are four such classes):
 * bit 0 digits (high 3, low 0-9), bit 1 A-O a-o (4 and 6, 1-15), bit 2 P-Z
 * p-z (5 and 7, 0-10), bit 3 '_' (5, 15), bit 4 '%' '+' '-' (2: 5, 11, 13),
 * bit 5 ':' (3, 10), bit 6 '@' (4, 0), bit 7 '.' (2, 14).  Bytes >= 0x80
 * have high nibbles no entry names: no class.  A mask is then one shift
 * (moving the class bit to the top of the byte) and a movemask.  Fewer
 * instructions than a range compare per class, and few enough constants
 * to stay in registers. */
#define NIB_DIGIT 0x01
#define NIB_AO 0x02
#define NIB_PZ 0x04
#define NIB_UNDER 0x08
#define NIB_JOIN 0x10
#define NIB_COLON 0x20
#define NIB_AT 0x40
#define NIB_DOT 0x80
#define NIB_LO_1_9 (NIB_DIGIT | NIB_AO | NIB_PZ)
#define NIB_LO_TABLE \
  NIB_DIGIT | NIB_PZ | NIB_AT, NIB_LO_1_9, NIB_LO_1_9, NIB_LO_1_9, NIB_LO_1_9, NIB_LO_1_9 | NIB_JOIN, NIB_LO_1_9, \
  NIB_LO_1_9, NIB_LO_1_9, NIB_LO_1_9, NIB_AO | NIB_PZ | NIB_COLON, NIB_AO | NIB_JOIN, NIB_AO, NIB_AO | NIB_JOIN, \
  NIB_AO | NIB_DOT, NIB_AO | NIB_UNDER
#define NIB_HI_TABLE \
  0, 0, NIB_JOIN | NIB_DOT, NIB_DIGIT | NIB_COLON, NIB_AO | NIB_AT, NIB_PZ | NIB_UNDER, NIB_AO, NIB_PZ, \
  0, 0, 0, 0, 0, 0, 0, 0

/* One half of a block: the masks' 32 bits, the first two inverted (no
 * chunk character, no word character: what the compare gives). */
static inline __attribute__((always_inline, target("avx2"))) void
_classify32_avx2(const guint8 *s, guint32 out[5])
{
  const __m256i lo_table = _mm256_setr_epi8(NIB_LO_TABLE, NIB_LO_TABLE);
  const __m256i hi_table = _mm256_setr_epi8(NIB_HI_TABLE, NIB_HI_TABLE);
  const __m256i low4 = _mm256_set1_epi8(0x0f), zero = _mm256_setzero_si256();
  __m256i v = _mm256_loadu_si256((const __m256i *) s);
  __m256i c = _mm256_and_si256(_mm256_shuffle_epi8(lo_table, _mm256_and_si256(v, low4)),
                               _mm256_shuffle_epi8(hi_table, _mm256_and_si256(_mm256_srli_epi16(v, 4), low4)));
  /* the word bits are the low four: low4 doubles as their mask */
  out[0] = _mm256_movemask_epi8(_mm256_cmpeq_epi8(c, zero));
  out[1] = _mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(c, low4), zero));
  out[2] = _mm256_movemask_epi8(_mm256_slli_epi16(c, 7));
  out[3] = _mm256_movemask_epi8(c);
  out[4] = _mm256_movemask_epi8(_mm256_slli_epi16(c, 2));
}

static inline __attribute__((always_inline, target("avx2"))) void
_classify64_avx2(const guint8 *s, DiMasks *m)
{
  guint32 lo[5], hi[5];
  _classify32_avx2(s, lo);
  _classify32_avx2(s + 32, hi);
#define JOIN64(k) ((guint64) lo[k] | (guint64) hi[k] << 32)
  guint64 word = ~JOIN64(1);
  *m = (DiMasks) { ~JOIN64(0), word, word & ~JOIN64(2), JOIN64(3), JOIN64(4) };
#undef JOIN64
}
#endif

/* Which scanner runs, chosen once.  DI_SCANNER_ISA=scalar, sse2 or avx2
 * forces one (the tests run every variant); DI_SCANNER_ISA=reference runs
 * no finder at all and walks every chunk (see _scan_reference): the tests
 * hold the finder to it. */
typedef enum
{
  DI_ISA_UNKNOWN,
  DI_ISA_SCALAR,
  DI_ISA_SSE2,
  DI_ISA_AVX2,
  DI_ISA_REFERENCE,
} DiIsa;

static DiIsa
_pick_isa_once(void)
{
  const gchar *isa = g_getenv("DI_SCANNER_ISA");
  if (isa && strcmp(isa, "scalar") == 0)
    return DI_ISA_SCALAR;
  if (isa && strcmp(isa, "reference") == 0)
    return DI_ISA_REFERENCE;
#ifdef DI_HAVE_AVX2
  if ((!isa || strcmp(isa, "avx2") == 0) && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi")
      && __builtin_cpu_supports("popcnt"))
    return DI_ISA_AVX2;
#endif
#if defined(__SSE2__)
  return DI_ISA_SSE2;
#else
  return DI_ISA_SCALAR;
#endif
}

static DiIsa
_pick_isa(void)
{
  static gint picked = DI_ISA_UNKNOWN;
  gint isa = g_atomic_int_get(&picked);
  if (G_UNLIKELY(isa == DI_ISA_UNKNOWN))
    {
      isa = _pick_isa_once();
      g_atomic_int_set(&picked, isa);
    }
  return isa;
}

/* The masks of the text's last, short block text[base, len): the 64 bytes
 * that end the text, shifted (no read past the end, and no copy: a wide
 * load of freshly copied bytes stalls on store forwarding), or for a text
 * shorter than 64 bytes a copy padded with zero bytes (no class). */
FINDER void
_classify_tail(const gchar *text, gsize len, gsize base, DiMasks *m, DiClassifyFunc classify)
{
  const guint8 *t = (const guint8 *) text;
  if (len >= 64)
    {
      guint shift = base - (len - 64);
      classify(t + len - 64, m);
      m->chunk >>= shift;
      m->word >>= shift;
      m->letter >>= shift;
      m->dot >>= shift;
      m->colon >>= shift;
      return;
    }
  guint8 tail[64];
  memset(tail, 0, sizeof(tail));
  memcpy(tail, t + base, len - base);
  classify(tail, m);
}

/* Of the candidates for a scheme's ':' (bit i for base + i), those that
 * "//" follows (within the text). */
static guint64
_scheme_marks(const gchar *t, gsize len, gsize base, guint64 colons)
{
  guint64 marks = 0;
  for (; colons; colons &= colons - 1)
    {
      gsize c = base + __builtin_ctzll(colons);
      if (c + 2 < len && t[c + 1] == '/' && t[c + 2] == '/')
        marks |= colons & -colons;
    }
  return marks;
}

/* Of the word characters after a ':' (bit i for base + i), those whose
 * ':' ends "bitcoincash". */
static guint64
_cashaddr_marks(const gchar *t, gsize base, guint64 after_colon)
{
  guint64 marks = 0;
  for (; after_colon; after_colon &= after_colon - 1)
    {
      gsize w = base + __builtin_ctzll(after_colon);
      if (w >= 12 && _letters_nocase(t + w - 12, "bitcoincash", 11))
        marks |= after_colon & -after_colon;
    }
  return marks;
}

/* Of `marks` (all chunk characters), the n-th of every chunk and those
 * after it: (chunk + marks) & marks drops the first of each chunk, n - 1
 * times.  The carry out of the block's top chunk is lost: that chunk is
 * the next block's. */
FINDER guint64
_nth_on(guint64 chunk, guint64 marks, guint n)
{
  if (marks)
#pragma GCC unroll 8
    for (guint k = 0; k + 1 < n; k++)
      marks &= chunk + marks;
  return marks;
}

/* The ends of the block's chunks worth a look, bit i for a chunk that ends
 * before base + i; *structure: those of them that hold a mark. */
FINDER guint64
_chunk_ends(const DiMasks *m, const gchar *t, gsize len, gsize base, guint64 *structure)
{
  guint64 chunk = m->chunk, word = m->word, letter = m->letter, dot = m->dot, colon = m->colon;
  guint64 word_left = word << 1;

  /* the marks, each on a chunk character of its pair; a scheme's ':' (a
   * URL's "scheme://") follows a letter, and two bytes that are no chunk
   * characters follow it (beyond the block's top: unknown): those few
   * candidates are checked */
  guint64 gaps = ~chunk, letter_colon = colon & (letter << 1);
  guint64 marks = (letter & (dot << 1)) | (colon & (colon << 1));
  guint64 schemes = letter_colon & (((gaps >> 1) & (gaps >> 2)) | (G_GUINT64_CONSTANT(3) << 62));
  if (G_UNLIKELY(schemes))
    marks |= _scheme_marks(t, len, base, schemes);
  /* a dotted quad has three dots after a word character, an IPv6 address
   * without "::" six such colons (a run of dots, "Loading...", has none) */
  marks |= _nth_on(chunk, dot & word_left, 3) | _nth_on(chunk, colon & word_left, 6);

  /* where a run of MIN_WORD (14) word characters ends: runs of 2, 4, 8,
   * then 8 and the 8 that ends 6 before */
  guint64 run2 = word & word_left;
  guint64 run4 = run2 & (run2 << 2);
  guint64 run8 = run4 & (run4 << 4);
  guint64 run14 = run8 & (run8 << 6);

  /* "bitcoincash:" before a word: a word character after a ':' that ends
   * a run of 11 (8, and the 4 that ends 7 before), checked */
  guint64 after_cash = word & ((colon & ((run8 & (run4 << 7)) << 1)) << 1);
  if (G_UNLIKELY(after_cash))
    marks |= _cashaddr_marks(t, base, after_cash);

  *structure = (chunk + marks) & ~chunk;
  return *structure | ((chunk + run14) & ~chunk);
}

/* Hands the chunk [cs, ce) on (with a mark to _scan_chunk, else its words to
 * _words) unless scanning went past it already (p: where scanning goes on);
 * returns where scanning goes on.  A URL's authority can end inside a
 * chunk: its rest, from p, is then handed on when the part would be (what
 * _scan_chunk can find in a part of a chunk needs a mark or a long word
 * inside that part). */
static __attribute__((noinline)) gsize
_take_chunk(DiScan *sc, gsize cs, gsize ce, gboolean structure, gsize p)
{
  if (ce <= p)
    return p;
  cs = MAX(cs, p);
  gsize next = ce;
  if (structure)
    next = _scan_chunk(sc, cs, ce);
  else
    _words(sc, cs, ce);
  return MAX(next, ce);
}

/* The chunk in bits [lo, hi) of the block at base when it is digits and
 * three dots, as most dotted quads stand in logs: its address emitted from
 * the masks, without a walk, and TRUE.  FALSE for any other shape and when
 * a part breaks di_parse_ipv4's rules (1 to 3 digits, no leading zero, at
 * most 255): the chunk is then walked as any other, which gives the same
 * tokens (_scan_chunk finds such a chunk's address and nothing else). */
static gboolean
_dotted_quad(DiScan *sc, const DiMasks *m, gsize base, guint lo, guint hi)
{
  guint n = hi - lo;
  if (n < 7 || n > 15)
    return FALSE;
  guint64 range = ((G_GUINT64_CONSTANT(1) << n) - 1) << lo;
  guint64 digits = m->word & ~m->letter, dots = m->dot & range;
  guint64 two = dots & (dots - 1), three = two & (two - 1);
  /* only digits and dots, digits at both ends, no dots side by side, and
   * exactly three dots */
  if ((range & ~(digits | dots)) | (dots & (dots << 1)) | (~digits & ((G_GUINT64_CONSTANT(1) << lo) | (G_GUINT64_CONSTANT(1) << (hi - 1))))
      | (three & (three - 1)) || !three)
    return FALSE;

  const gchar *t = sc->text + base;
  guint ends[4] = { __builtin_ctzll(dots), __builtin_ctzll(two), __builtin_ctzll(three), hi };
  guint start = lo, bad = 0;
  DiKey *key = KEY(sc);
  for (gint k = 0; k < 4; k++)
    {
      /* the part's last three digits, those before its start counting 0 */
      guint e = ends[k], len = e - start, two_digits = len >= 2, three_digits = len >= 3;
      guint v = (guint) (t[e - 1] - '0') + 10 * two_digits * (guint) (t[e - 1 - two_digits] - '0')
                + 100 * three_digits * (guint) (t[e - 1 - 2 * three_digits] - '0');
      bad |= (len > 3) | (two_digits & (t[start] == '0')) | (v > 255);
      key->bytes[k] = v;
      start = e + 1;
    }
  if (bad)
    return FALSE;
  DI_WORK(DI_WORK_VISIT, n);
  key->cls = DI_KEY_IPV4;
  key->len = 4;
  _emit(sc, DI_TYPE_BIT(DI_TYPE_IPV4), base + lo, n);
  return TRUE;
}

/* Hands on the block's chunks whose ends are in `ends` (see _chunk_ends);
 * returns where scanning goes on, or G_MAXSIZE when the scan stopped. */
static __attribute__((noinline)) gsize
_take_chunks(DiScan *sc, const DiMasks *m, guint64 ends, guint64 structure, gsize base, gsize p)
{
  for (; ends; ends &= ends - 1)
    {
      guint i = __builtin_ctzll(ends);
      /* the chunk starts after the last gap before its end, or at base */
      guint64 gaps = ~m->chunk & ((G_GUINT64_CONSTANT(1) << i) - 1);
      gsize cs = gaps ? base + 64 - __builtin_clzll(gaps) : base;
      if (base + i <= p)
        continue;
      cs = MAX(cs, p);
      if ((structure >> i) & 1 && _dotted_quad(sc, m, base, cs - base, i))
        p = base + i;
      else
        p = _take_chunk(sc, cs, base + i, (structure >> i) & 1, p);
      if (sc->stopped)
        return G_MAXSIZE;
    }
  return p;
}

static inline guint64
_shift_in(guint64 mask, guint64 prev, guint k)
{
  return (mask << k) | (prev >> (64 - k));
}

/* A chunk that starts at `from` and fills the block there: where it ends,
 * and whether it holds a mark (*structure) or a long word (*long_word),
 * the same tests as _chunk_ends made block by block.  The chunk is one, so
 * its pairs and runs continue across block edges by shifting in the
 * previous block's top bits, and its counts are sums (up to what the tests
 * need: popcount is an instruction on AVX2 CPUs, a few on the others). */
FINDER gsize
_long_chunk(const gchar *t, gsize len, gsize from, gboolean *structure, gboolean *long_word, DiClassifyFunc classify)
{
  guint64 prev_dot = 0, prev_colon = 0, prev_word = 0, prev_run2 = 0, prev_run4 = 0, prev_run8 = 0;
  guint64 marks = 0, runs = 0;
  guint dots = 0, colons = 0;
  gsize base = from, end = len;
  for (; base < len; base += 64)
    {
      DiMasks m;
      if (base + 64 <= len)
        classify((const guint8 *) t + base, &m);
      else
        _classify_tail(t, len, base, &m, classify);
      DI_WORK(DI_WORK_VISIT, 64);
      guint64 gaps = ~m.chunk, inside = gaps ? (gaps & -gaps) - 1 : ~G_GUINT64_CONSTANT(0);
      guint64 word = m.word & inside, dot = m.dot & inside, colon = m.colon & inside;
      guint64 word_left = _shift_in(word, prev_word, 1);
      guint64 run2 = word & word_left;
      guint64 run4 = run2 & _shift_in(run2, prev_run2, 2);
      guint64 run8 = run4 & _shift_in(run4, prev_run4, 4);
      runs |= run8 & _shift_in(run8, prev_run8, 6);
      if (!marks)
        {
          marks = (m.letter & inside & _shift_in(dot, prev_dot, 1)) | (colon & _shift_in(colon, prev_colon, 1));
          guint64 cash = word & _shift_in(colon & _shift_in(run8 & _shift_in(run4, prev_run4, 7), prev_run8, 1),
                                          prev_colon, 1);
          if (cash)
            marks |= _cashaddr_marks(t, base, cash);
          dots = MIN(dots + __builtin_popcountll(dot & word_left), 3);
          colons = MIN(colons + __builtin_popcountll(colon & word_left), 6);
          marks |= (dots >= 3) | (colons >= 6);
        }
      if (gaps)
        {
          end = base + __builtin_ctzll(gaps);
          break;
        }
      prev_dot = dot;
      prev_colon = colon;
      prev_word = word;
      prev_run2 = run2;
      prev_run4 = run4;
      prev_run8 = run8;
    }
  /* "scheme://": the chunk ends at the ':' before "//" */
  gboolean scheme = t[end - 1] == ':' && end + 1 < len && t[end] == '/' && t[end + 1] == '/';
  *structure = marks || scheme;
  *long_word = runs != 0;
  return end;
}

/* The hot loop, inlined into one copy per classifier. */
FINDER void
_scan_loop(DiScan *sc, DiClassifyFunc classify)
{
  const gchar *t = sc->text;
  gsize len = sc->len, p = 0, base = 0;
  DiMasks m;
  guint64 structure, ends;
  while (base + 64 <= len)
    {
      classify((const guint8 *) t + base, &m);
      DI_WORK(DI_WORK_VISIT, 64);
      if (G_UNLIKELY(m.chunk == ~G_GUINT64_CONSTANT(0)))
        {
          gboolean mark, long_word;
          gsize ce = _long_chunk(t, len, base, &mark, &long_word, classify);
          if (mark || long_word)
            {
              p = _take_chunk(sc, base, ce, mark, p);
              if (sc->stopped)
                return;
            }
          base = MAX(p, ce);
          continue;
        }
      /* the next block starts at the chunk that reaches this one's top, or
       * past this block when none does */
      gsize next = base + 64 - __builtin_clzll(~m.chunk);
      ends = _chunk_ends(&m, t, len, base, &structure);
      if (G_UNLIKELY(ends))
        {
          /* a copy, so that m stays in registers on the way without chunks */
          DiMasks held = m;
          p = _take_chunks(sc, &held, ends, structure, base, p);
          if (p == G_MAXSIZE)
            return;
        }
      base = MAX(next, p);
    }
  if (base < len)
    {
      /* the last block, shorter: no chunk reaches past its top */
      _classify_tail(t, len, base, &m, classify);
      DI_WORK(DI_WORK_VISIT, 64);
      ends = _chunk_ends(&m, t, len, base, &structure);
      if (ends)
        _take_chunks(sc, &m, ends, structure, base, p);
    }
}

#ifdef DI_HAVE_AVX2
static AVX2_FINDER void
_scan_avx2(DiScan *sc)
{
  _scan_loop(sc, _classify64_avx2);
}
#endif

#if defined(__SSE2__)
static void
_scan_sse2(DiScan *sc)
{
  _scan_loop(sc, _classify64_sse2);
}
#endif

static void
_scan_scalar(DiScan *sc)
{
  _scan_loop(sc, _classify64_scalar);
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

  switch (_pick_isa())
    {
#ifdef DI_HAVE_AVX2
    case DI_ISA_AVX2:
      _scan_avx2(&sc);
      break;
#endif
#if defined(__SSE2__)
    case DI_ISA_SSE2:
      _scan_sse2(&sc);
      break;
#endif
    case DI_ISA_REFERENCE:
      _scan_reference(&sc);
      break;
    default:
      _scan_scalar(&sc);
      break;
    }
}
