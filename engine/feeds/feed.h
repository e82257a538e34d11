/* feed.h: what every feed reader shares.
 *
 * A reader turns one file of its format into indicators in a
 * DiSnapshotBuilder.  It never stops at the first problem: it records each as
 * "FILE:LINE: what is wrong" (or a JSON path / XML element where a format has
 * no lines) in the context, so that `dprk-intel check` can list them all.  The
 * loader (feed-loader.h) decides what a broken file means for the snapshot.
 */
#ifndef DI_FEED_H
#define DI_FEED_H

#include "snapshot.h"
#include "normalize.h"

typedef struct _DiFeedPipeline DiFeedPipeline;

/* The limits every reader enforces (docs/feeds.md, "Limits").  Feeds come
 * over the network: none of these is fatal.  A limit hit is reported once per
 * file with its name ("FILE: limit max-line-length (1048576 bytes) hit at line
 * 7: longer lines are skipped"), counted, and what lies beyond it is skipped. */
typedef enum
{
  DI_LIMIT_FILE_SIZE,        /* max-file-size: bytes of a file (after gunzip); a larger file is not read */
  DI_LIMIT_LINE_LENGTH,      /* max-line-length: bytes of a line or CSV record; longer ones are skipped */
  DI_LIMIT_COLUMNS,          /* max-columns: of a CSV record; further columns are not read */
  DI_LIMIT_INDICATORS,       /* max-indicators: loaded from one file; the rest is not loaded */
  DI_LIMIT_MESSAGES,         /* max-messages: errors (and warnings) kept per file; the rest is counted */
  DI_LIMIT_MAX
} DiFeedLimit;

#define DI_FEED_DEFAULT_MAX_FILE_SIZE ((gsize) 512 * 1024 * 1024)
#define DI_FEED_DEFAULT_MAX_LINE_LENGTH ((gsize) 1024 * 1024)
#define DI_FEED_DEFAULT_MAX_COLUMNS 256
#define DI_FEED_DEFAULT_MAX_INDICATORS 10000000
#define DI_FEED_DEFAULT_MAX_MESSAGES 100
/* A CIDR broader than this matches too much to be an indicator (0.0.0.0/0
 * tags every message with an IP); refused unless the option lowers it. */
#define DI_FEED_DEFAULT_MIN_PREFIX_IPV4 8
#define DI_FEED_DEFAULT_MIN_PREFIX_IPV6 32

const gchar *di_feed_limit_name(DiFeedLimit limit);

typedef struct _DiWarninglists DiWarninglists;

/* What the user asked the loader for: dprk-intel() options, tool flags.
 * Start from di_feed_options_init(); the strings are borrowed. */
typedef struct
{
  /* sanctions-programs(): which OFAC entries are loaded.  Words: "dprk"
   * (DPRK, DPRK2, DPRK3, DPRK4, DPRK-NKSPEA), "all", or program names
   * ("CYBER2").  NULL: "dprk" only.  Entries of other programs than the
   * DPRK ones get nexus OTHER and their program. */
  const gchar *const *sanctions_programs;
  /* dprk-feeds(): files, or directories holding them, whose rows are
   * DPRK-linked even without a DPRK actor. */
  const gchar *const *dprk_paths;
  /* warninglists(): MISP warninglist files or directories (a checkout of
   * MISP/misp-warninglists works); NULL or empty: none.  Lists named in
   * warninglists_disabled (by file or directory name, "tranco10k") are not
   * used; "all" turns every list off. */
  const gchar *const *warninglists;
  const gchar *const *warninglists_disabled;
  guint min_prefix_ipv4, min_prefix_ipv6;   /* 0: any CIDR is accepted */
  gsize limits[DI_LIMIT_MAX];
} DiFeedOptions;

void di_feed_options_init(DiFeedOptions *self);
/* A copy that owns its strings (for a loader thread); di_feed_options_free(). */
DiFeedOptions *di_feed_options_copy(const DiFeedOptions *self);
void di_feed_options_free(DiFeedOptions *self);
const DiFeedOptions *di_feed_options_default(void);
/* Whether a sanctions entry listed under these programs (as the list writes
 * them, any case) is to be loaded; *dprk is set when one is a DPRK program. */
gboolean di_feed_options_program_selected(const DiFeedOptions *self, const gchar *const *programs,
                                          gboolean *dprk);
/* DPRK, DPRK2, DPRK3, DPRK4, DPRK-NKSPEA (any case). */
gboolean di_feed_program_is_dprk(const gchar *program);

typedef struct
{
  DiSnapshotBuilder *builder;
  const gchar *filename;
  gint64 now;                /* for valid_until; UNIX seconds */
  GPtrArray *errors;         /* of gchar*, "FILE:LINE: ..." */
  guint loaded;              /* indicators added from this file */
  guint expired;             /* rows skipped because valid_until has passed */
  guint ignored;             /* rows that carry no indicator we know (not errors) */
  /* Third-party feeds carry the odd junk value ("107.183.86" as a url): with
   * lenient_values a bad value is a warning and skipped, not an error that
   * would keep the whole feed out.  Broken structure is always an error. */
  GPtrArray *warnings;       /* of gchar*, "FILE:LINE: ..."; NULL: values are strict */
  guint skipped;             /* bad values skipped as warnings */

  /* Set by the loader; zero in a reader called on its own (the defaults). */
  const DiFeedOptions *options;        /* NULL: di_feed_options_default() */
  const DiWarninglists *warninglists;  /* NULL: nothing is suppressed */
  GPtrArray *suppressions;   /* of gchar*: values a warninglist suppressed, with the list; NULL: not kept */
  GPtrArray *limit_warnings; /* the report's warnings, where limit hits go in strict formats too */
  DiNexus nexus;             /* DI_NEXUS_DPRK: the file is declared DPRK (dprk-feeds(), "# nexus: dprk") */
  gboolean refang;           /* set by readers of hand-kept text (plain lists, CSV): see di_feed_refang() */

  /* What happened, for the report. */
  guint refanged;            /* values written defanged ("hxxp", "[.]") and read refanged */
  guint suppressed;          /* values on a warninglist, not loaded */
  guint limits_hit;          /* times a limit cut something off */
  guint other_programs;      /* sanctions entries of programs not selected (sanctions-programs()) */
  guint n_errors, n_warnings;  /* recorded, whether kept in the lists or not */
  guint32 limits_reported;   /* one bit per DiFeedLimit already reported for this file */
  gboolean changed;          /* the file changed while it was read: the loader reads it again */
  /* NULL, or the values and messages go through it (feed-pipeline.h):
   * di_feed_add() then always returns TRUE, a bad value being reported in
   * its place */
  DiFeedPipeline *pipeline;
} DiFeedContext;

void di_feed_error(DiFeedContext *ctx, gsize line, const gchar *fmt, ...) G_GNUC_PRINTF(3, 4);
/* The same for formats located by path rather than line ("$.objects[3].pattern"). */
void di_feed_error_at(DiFeedContext *ctx, const gchar *where, const gchar *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Normalises value as type (DI_TYPE_NONE: inferred), canonicalises the actor,
 * skips it when expired, and adds it.  Reports a bad value as an error at line
 * (or `where`, when not NULL) and returns FALSE.  On the way: a defanged value
 * is refanged (with ctx->refang), a CIDR broader than the minimum prefix is
 * refused, a value on a warninglist is suppressed (noted, not loaded), the
 * file's declared nexus applies to rows the reader leaves UNKNOWN, and
 * max-indicators is enforced. */
gboolean di_feed_add(DiFeedContext *ctx, gsize line, const gchar *where, DiType type, const gchar *value,
                     gssize len, const DiIndicatorMeta *meta);

/* di_feed_add() after its expiry check, in two halves, for the pipeline
 * (feed-pipeline.c), which runs the first on its threads.
 * di_feed_normalize() refangs value (with refang: *refanged says whether it
 * was defanged) and normalises it, touching no context; FALSE with error set
 * for a bad value.  di_feed_add_normalized() does the rest with what it gave
 * (value as the reader passed it, error NULL or the bad value's message):
 * reports a bad value or a too-broad CIDR, suppresses warninglisted values,
 * enforces max-indicators, applies the declared nexus, adds. */
gboolean di_feed_normalize(gboolean refang, DiType type, const gchar *value, gsize len, DiKey *key, DiType *inferred,
                           gboolean *refanged, GError **error);
gboolean di_feed_add_normalized(DiFeedContext *ctx, gsize line, const gchar *where, DiType type, const gchar *value,
                                gsize len, const DiKey *key, DiType inferred, gboolean refanged, const gchar *error,
                                const DiIndicatorMeta *meta);

/* The pipeline's side of di_feed_add() and of keeping messages (declared
 * here so that feed.c needs no include of feed-pipeline.h): a row after its
 * expiry check, and a message for one of the context's lists with its
 * counter (taken over), both kept in file order. */
void di_feed_pipeline_add(DiFeedPipeline *self, gsize line, const gchar *where, DiType type, const gchar *value,
                          gsize len, const DiIndicatorMeta *meta);
void di_feed_pipeline_message(DiFeedPipeline *self, GPtrArray *list, guint *count, gchar *message);

/* A record a reader hands to the pipeline whole, for one of its threads to
 * split into fields: what it says, or the error to report at its line.
 * The strings point into the record (which the parser may write: it is the
 * pipeline's copy) or into memory that lasts as long as the pipeline. */
typedef struct
{
  gchar *error;              /* owned; NULL: a value to add */
  DiType type;
  const gchar *value;
  DiIndicatorMeta meta;
} DiFeedRecord;
/* Runs on a pipeline thread: it may read the reader's state that no longer
 * changes (the header's columns), never the context. */
typedef void (*DiFeedRecordFunc)(gpointer user_data, gchar *record, gsize len, gsize line, DiFeedRecord *out);
/* What di_feed_add() does with a record's row (or what di_feed_error() does
 * with its error), the record split by parse on a pipeline thread. */
void di_feed_pipeline_add_record(DiFeedPipeline *self, gsize line, const gchar *record, gsize len,
                                 DiFeedRecordFunc parse, gpointer user_data);

/* Records an error the way di_feed_error does, for a file other than
 * ctx->filename (sdn_comments.csv beside sdn.csv). */
void di_feed_error_in(DiFeedContext *ctx, const gchar *path, gsize line, const gchar *fmt, ...) G_GNUC_PRINTF(4, 5);
/* A bad value: a warning, skipped and counted, in a lenient format; an
 * error in a strict one. */
void di_feed_bad_value(DiFeedContext *ctx, gsize line, const gchar *where, const gchar *fmt, ...) G_GNUC_PRINTF(4, 5);
/* A warning (kept in ctx->warnings, else an error). */
void di_feed_warning(DiFeedContext *ctx, gsize line, const gchar *fmt, ...) G_GNUC_PRINTF(3, 4);
/* ... at a place that is no line (a JSON path: "$.objects") */
void di_feed_warning_at(DiFeedContext *ctx, const gchar *where, const gchar *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Reports that limit cut something off at line (0: the file); once per file
 * and limit, but every hit is counted.  what: what was skipped. */
void di_feed_limit_hit(DiFeedContext *ctx, DiFeedLimit limit, gsize line, const gchar *what);
gsize di_feed_limit(const DiFeedContext *ctx, DiFeedLimit limit);

/* Text from a feed made safe to echo: control characters, DEL and bytes
 * that are not UTF-8 as \n, \t, \xNN; at most max bytes of it (0: all),
 * "..." after a cut.  Every message the readers record goes through it. */
gchar *di_feed_escape(const gchar *text, gssize len, gsize max);

/* ctx->filename's whole content, NUL-terminated (a NUL inside is the
 * reader's to report): read, not mapped, so that a feed truncated while it
 * is read cannot crash the process; gunzipped when it is gzip.  A file that
 * changes while it is read sets ctx->changed.  NULL when it cannot be read
 * (an error recorded) or is larger than max-file-size (a limit hit).  Free
 * with g_free. */
gchar *di_feed_contents(DiFeedContext *ctx, gsize *len);
/* The same for a companion file of ctx->filename (sdn_comments.csv). */
gchar *di_feed_contents_of(DiFeedContext *ctx, const gchar *path, gsize *len);

/* The same as a stream, for a file too large to hold (sdn_advanced.xml). */
typedef struct _DiFeedInput DiFeedInput;
DiFeedInput *di_feed_open(DiFeedContext *ctx);
/* Up to n bytes; 0 at the end; -1 on an error (recorded) or the size limit. */
gssize di_feed_input_read(DiFeedInput *input, gchar *buf, gsize n);
/* Sets ctx->changed when the file changed while it was read. */
void di_feed_input_close(DiFeedInput *input);

/* Refangs a value written defanged (hxxp://, hxxps://, [.], (.), [dot],
 * [:], [://], [@]) into out; returns the number of replacements (0: out holds
 * the value unchanged). */
guint di_feed_refang(const gchar *value, gsize len, GString *out);

/* Reads "# nexus: dprk" (and "# actor: NAME") in the comment lines at the
 * top of a text feed: sets ctx->nexus; *actor (when not NULL) gets an
 * allocated copy of the actor named, else NULL. */
void di_feed_read_header(DiFeedContext *ctx, const gchar *data, gsize len, gchar **actor);

/* The actor a file's name names: the longest run of the '_'/'-'-separated
 * words of its stem that the alias table knows ("maltrail_apt_kimsuky.txt"
 * -> "kimsuky", "apt_bluenoroff-defanged.txt" -> "bluenoroff"), allocated;
 * NULL when none. */
gchar *di_feed_actor_from_name(const gchar *path);

/* Parses ISO 8601 ("2025-01-31", "2025-01-31T10:00:00Z", offsets); -1 on error. */
gint64 di_feed_parse_time(const gchar *text);

typedef struct
{
  const gchar *name;                 /* "csv", "stix", "misp", "ofac-csv", "ofac-xml", "plain" */
  /* Does this file look like our format?  head is its first bytes. */
  gboolean (*detect)(const gchar *filename, const gchar *head, gsize head_len);
  /* Reads the whole file into ctx; FALSE when the file could not be read at all. */
  gboolean (*read)(DiFeedContext *ctx);
  /* TRUE for formats we do not write ourselves: see DiFeedContext.warnings. */
  gboolean lenient_values;
} DiFeedFormat;

#endif
