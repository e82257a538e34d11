/* feed-formats.h: every feed reader the loader knows, in detection order. */
#ifndef DI_FEED_FORMATS_H
#define DI_FEED_FORMATS_H

#include "feed.h"

struct json_object;

extern const DiFeedFormat di_feed_format_csv;
extern const DiFeedFormat di_feed_format_stix;
extern const DiFeedFormat di_feed_format_misp;
extern const DiFeedFormat di_feed_format_ofac_csv;
extern const DiFeedFormat di_feed_format_ofac_comments;
extern const DiFeedFormat di_feed_format_ofac_xml;
extern const DiFeedFormat di_feed_format_plain;
extern const DiFeedFormat di_feed_format_ioc_csv;

/* NULL-terminated, most specific format first: detection takes the first
 * whose detect() says yes. */
extern const DiFeedFormat *const di_feed_formats[];

/* Helpers shared by several readers (JSON and actors: feed-stix.c; assets:
 * feed-ofac.c). */

/* Parses ctx->filename as one JSON document.  On a syntax error or a
 * truncated file, records "FILE:LINE: ..." (with the column) and returns NULL. */
struct json_object *di_feed_read_json(DiFeedContext *ctx);

/* obj[key] when it is a string / an array, else NULL (also for obj NULL). */
const gchar *di_json_string(struct json_object *obj, const gchar *key);
struct json_object *di_json_array(struct json_object *obj, const gchar *key);

/* Adds a wallet address that a feed declares as `asset` (an asset code or
 * symbol: XBT, ETH, USDT, TRX ...; NULL or unknown: inferred).  A value that
 * is not valid for the declared asset but is valid as another type (OFAC lists
 * a TRON address under XBT) is loaded as that type and counted in *retyped
 * (may be NULL) instead of being reported. */
gboolean di_feed_add_asset(DiFeedContext *ctx, gsize line, const gchar *where, const gchar *asset,
                           const gchar *value, gssize len, const DiIndicatorMeta *meta, guint *retyped);

/* The nexus and program of a sanctions entry listed under programs (as the
 * list writes them; NULL or empty: none) whose name is actor: sets
 * meta->program (to *program_text, allocated, for the caller to free) and
 * meta->nexus.  TRUE when the entry is to be loaded: one of its programs is
 * selected (sanctions-programs(), by default the DPRK ones) or the alias
 * table knows its name as a DPRK actor. */
gboolean di_feed_sanctions_meta(DiFeedContext *ctx, const gchar *const *programs, const gchar *actor,
                                DiIndicatorMeta *meta, gchar **program_text);

/* Whether a JSON head holds `"key": "value"` (value NULL: any value) -- a
 * cheap look for detect(), not a parse. */
gboolean di_feed_json_has(const gchar *head, const gchar *key, const gchar *value);

/* A `url` value that is a bare host (STIX url:value, MISP url attributes):
 * an IP address is that address, *type set to ipv4/ipv6 (C2 lists write
 * them so); a domain is http://domain/, not the whole domain, which would
 * match far more.  Returns the value to load (g_free), or NULL when the
 * value has a scheme or a path, or is no host ("igfxtray.exe"). */
gchar *di_feed_bare_host_url(const gchar *value, gsize len, DiType *type);

/* TRUE when the alias table knows name (di_actor_canonical maps it). */
gboolean di_feed_actor_known(const gchar *name);

#endif
