/* logsrc-event.h: filling a LogsrcEvent, and the rules of the field scheme
 * every source shares: a field is never empty, an address splits into ip and
 * port only when it is an IP address, an amount is only ever a plain decimal
 * number, a request target splits into path and query and names the
 * counterparty address.  Internal to engine/logsrc/.
 */
#ifndef DI_LOGSRC_EVENT_H
#define DI_LOGSRC_EVENT_H

#include "logsrc.h"

#include <string.h>

static inline void
logsrc_event_reset(LogsrcEvent *ev, LogsrcSource source)
{
  ev->verdict = LOGSRC_IGNORED;
  ev->source = source;
  ev->no_amount = FALSE;
  ev->has_time = FALSE;
  ev->fields = 0;
}

static inline gboolean
logsrc_event_has(const LogsrcEvent *ev, LogsrcField f)
{
  return (ev->fields >> f) & 1;
}

/* An empty value unsets the field: a field that is set says something. */
static inline void
logsrc_event_set(LogsrcEvent *ev, LogsrcField f, const gchar *p, gsize len)
{
  if (!len)
    {
      ev->fields &= ~(G_GUINT64_CONSTANT(1) << f);
      return;
    }
  ev->value[f].ptr = p;
  ev->value[f].len = len;
  ev->fields |= G_GUINT64_CONSTANT(1) << f;
}

static inline void
logsrc_event_set_str(LogsrcEvent *ev, LogsrcField f, const gchar *s)
{
  logsrc_event_set(ev, f, s, strlen(s));
}

static inline void
logsrc_event_set_span(LogsrcEvent *ev, LogsrcField f, LogsrcSpan v)
{
  logsrc_event_set(ev, f, v.ptr, v.len);
}

static inline void
logsrc_event_unset(LogsrcEvent *ev, LogsrcField f)
{
  ev->fields &= ~(G_GUINT64_CONSTANT(1) << f);
}

/* to = from, when from is set */
static inline void
logsrc_event_copy(LogsrcEvent *ev, LogsrcField to, LogsrcField from)
{
  if (logsrc_event_has(ev, from))
    logsrc_event_set_span(ev, to, ev->value[from]);
}

/* to = from, when from is set and to is not */
static inline void
logsrc_event_fallback(LogsrcEvent *ev, LogsrcField to, LogsrcField from)
{
  if (!logsrc_event_has(ev, to))
    logsrc_event_copy(ev, to, from);
}

/* The verdict for a malformed line: no field at all. */
static inline void
logsrc_event_unparsed(LogsrcEvent *ev, LogsrcSource source)
{
  ev->verdict = LOGSRC_UNPARSED;
  ev->source = source;
  ev->fields = 0;
  ev->no_amount = FALSE;
  ev->has_time = FALSE;
}

static inline void
logsrc_event_parsed(LogsrcEvent *ev, LogsrcSource source)
{
  ev->verdict = LOGSRC_PARSED;
  ev->source = source;
}

/* The control character of the escape \b \f \n \r \t (JSON's and
 * kv-parser()'s); 0 for any other character. */
static inline gchar
logsrc_control_escape(gchar c)
{
  switch (c)
    {
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    default: return 0;
    }
}

/* n bytes of scratch, NULL when it is used up (it is sized so that this
 * cannot happen; a value that would not fit is left out). */
gchar *logsrc_scratch_alloc(LogsrcScratch *scratch, gsize n);

/* Room in scratch for a rewritten copy of *v, when *v holds the byte c
 * (else NULL: *v is used as it is); NULL and *v emptied when there is no
 * room. */
gchar *logsrc_scratch_rewrite(LogsrcScratch *scratch, LogsrcSpan *v, gchar c);

/* side: LOGSRC_SOURCE_ADDRESS or LOGSRC_DESTINATION_ADDRESS.  Sets the
 * side's ip and port when its address is an IPv4 address with an optional
 * port, an IPv6 address, or [IPv6]:port. */
void logsrc_event_endpoint(LogsrcEvent *ev, LogsrcField side);

/* crypto.amount stays only when it is a decimal number (-?D+(.D+)?), without
 * its sign.  With transfer, a transfer without one is flagged no_amount. */
void logsrc_event_amount(LogsrcEvent *ev, gboolean transfer);

/* url.original into url.path and url.query, and from its query (the keys of
 * exchange APIs: address, toAddress, amount, coin, network, ...) or a path
 * segment that is an address, crypto.counterparty.address, crypto.amount,
 * crypto.asset and crypto.chain (url-decoded). */
void logsrc_event_url(LogsrcEvent *ev, LogsrcScratch *scratch);

/* Text predicates the readers share. */
gboolean logsrc_is_ipv4(const gchar *p, gsize len);
gboolean logsrc_is_ipv6(const gchar *p, gsize len);
gboolean logsrc_is_decimal(const gchar *p, gsize len);
gboolean logsrc_span_eq(LogsrcSpan v, const gchar *s);
gboolean logsrc_span_has_prefix(LogsrcSpan v, const gchar *prefix);
/* needle (lower case ASCII) anywhere in v, ignoring ASCII case */
gboolean logsrc_span_contains_ci(LogsrcSpan v, const gchar *needle);
gboolean logsrc_span_contains(LogsrcSpan v, const gchar *needle);

#endif
