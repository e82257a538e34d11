/* normalize.h: turn the text of an indicator into its DiKey, validating it.
 *
 * Feed readers call di_normalize() with the type the feed declares (or
 * DI_TYPE_NONE to infer it); the scanner uses the same per-type rules, so a
 * value loaded from a feed and the same value found in a log line always end
 * up as the same key.
 */
#ifndef DI_NORMALIZE_H
#define DI_NORMALIZE_H

#include "key.h"

#define DI_NORMALIZE_ERROR di_normalize_error_quark()
GQuark di_normalize_error_quark(void);

/* Validates text as `type` and fills key.  With DI_TYPE_NONE the type is
 * inferred (di_infer_type) and stored in *inferred.  On failure returns FALSE
 * with an error such as "invalid ipv4 address '999.1.2.3'". */
gboolean di_normalize(DiType type, const gchar *text, gsize len, DiKey *key, DiType *inferred, GError **error);

/* The type a bare value most likely has, DI_TYPE_NONE when none fits. */
DiType di_infer_type(const gchar *text, gsize len);

/* Building blocks shared with the scanner. */
gboolean di_parse_ipv4(const gchar *text, gsize len, guint8 out[4]);
gboolean di_parse_ipv6(const gchar *text, gsize len, guint8 out[16]);
gboolean di_parse_hex(const gchar *text, gsize len, guint8 *out);
gboolean di_normalize_domain(const gchar *text, gsize len, DiKey *key);

/* Additions for the scanner (engine/scanner.c).  *inferred, when not NULL,
 * always receives the type the key was built for: an ipv4 or ipv6 value
 * written with a /prefix becomes a cidr. */

/* Syntax is not enough to tell a host name from a file name or a field path
 * in free text: this says whether a syntactically valid domain (already
 * lower-cased or not) is worth reporting.  See normalize.c for the rules. */
gboolean di_domain_is_plausible(const gchar *text, gsize len);

/* di_normalize_domain and di_domain_is_plausible in one pass: a name found
 * in free text, normalised into key when it is worth reporting. */
gboolean di_normalize_domain_in_text(const gchar *text, gsize len, DiKey *key);

/* local@domain: a local part of letters, digits and . _ % + - (64 at
 * most), a domain as di_normalize_domain takes it; lower-cased. */
gboolean di_normalize_email(const gchar *text, gsize len, DiKey *key);

/* Where the parts of a URL are, as di_url_parse found them. */
typedef struct
{
  gsize scheme_len;
  gsize host_off, host_len;   /* without brackets or trailing dot */
  DiType host_type;           /* DI_TYPE_IPV4, _IPV6, _DOMAIN, or _NONE (one-label host) */
  gsize authority_end;        /* where the path, query or fragment starts */
} DiUrlParts;

/* Parses a whole URL with a scheme ("http://host:port/path?query") and
 * fills key with its normalised text: scheme and host lower-cased, the
 * host's trailing dot, the user info, the scheme's default port (80 for
 * http and ws, 443 for https and wss) and the fragment dropped, an empty
 * path written "/", the path and query as they are.  The snapshot matches
 * such keys across http/https and by path prefix (di_snapshot_find). */
gboolean di_url_parse(const gchar *text, gsize len, DiUrlParts *parts, DiKey *key);

#endif
