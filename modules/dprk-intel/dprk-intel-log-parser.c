/* dprk-intel-log-parser.c: the dprk-intel-log-parser() object (see the
 * header): options, init (the reader, the handles, the tags) and the
 * per-message path.
 *
 * Per message: one call into the engine, then a log_msg_set_value() per
 * field found with handles resolved at init.  A line the source does not
 * recognise costs the engine's trial and nothing else: the message is not
 * even made writable.  Decoded values go to a stack buffer, or for long
 * lines to a syslog-ng scratch buffer (reused per thread): no allocation
 * per message.
 */
#include "dprk-intel-log-parser.h"

#include "logsrc/logsrc-reader.h"

#include "logmsg/tags.h"
#include "messages.h"
#include "scratch-buffers.h"
#include "template/templates.h"

#include <string.h>

#define DEFAULT_PREFIX ".dprk.log."
/* lines up to about 1 KiB decode on the stack */
#define STACK_SCRATCH 4096

typedef struct _DprkIntelLogParser
{
  LogParser super;
  LogsrcSource source;
  gchar *prefix;
  gchar *keys[LOGSRC_KEY_COUNT];

  /* built at init */
  LogsrcReader *reader;
  NVHandle handles[LOGSRC_FIELD_COUNT];
  LogTagId unparsed_tags[LOGSRC_SOURCE_COUNT];
  LogTagId no_amount_tags[LOGSRC_SOURCE_COUNT];
} DprkIntelLogParser;

const gchar *
dprk_intel_log_parser_source_names(void)
{
  return "exchange, accesslog, cloudtrail, fireblocks, bitgo, bitcoind, geth, wallet, auto";
}

gboolean
dprk_intel_log_parser_set_source(LogParser *s, const gchar *name)
{
  DprkIntelLogParser *self = (DprkIntelLogParser *) s;

  return logsrc_source_by_name(name, &self->source);
}

void
dprk_intel_log_parser_set_prefix(LogParser *s, const gchar *prefix)
{
  DprkIntelLogParser *self = (DprkIntelLogParser *) s;

  g_free(self->prefix);
  self->prefix = g_strdup(prefix);
}

gboolean
dprk_intel_log_parser_set_key(LogParser *s, const gchar *option, const gchar *key)
{
  DprkIntelLogParser *self = (DprkIntelLogParser *) s;
  LogsrcKeyOption k;

  if (!logsrc_key_option_by_name(option, &k))
    return FALSE;
  g_free(self->keys[k]);
  self->keys[k] = key && key[0] ? g_strdup(key) : NULL;
  return TRUE;
}

static gchar *
_tag_name(const gchar *kind, LogsrcSource source)
{
  return g_strdup_printf("dprk.%s.%s", kind, logsrc_source_name(source));
}

/* The tag ids of the sources the parser covers (log_tags_get_by_name()
 * registers a tag the first time; it takes a lock, so not per message). */
static void
_resolve_tags(DprkIntelLogParser *self)
{
  for (gint src = 0; src < LOGSRC_SOURCE_COUNT; src++)
    {
      if (!logsrc_source_covers(self->source, src))
        continue;
      g_autofree gchar *unparsed = _tag_name("unparsed", src);
      self->unparsed_tags[src] = log_tags_get_by_name(unparsed);
      if (logsrc_source_tags_no_amount(src))
        {
          g_autofree gchar *no_amount = _tag_name("no_amount", src);
          self->no_amount_tags[src] = log_tags_get_by_name(no_amount);
        }
    }
}

void
dprk_intel_log_parser_register_tags(LogParser *s)
{
  _resolve_tags((DprkIntelLogParser *) s);
}

static void
_resolve_handles(DprkIntelLogParser *self)
{
  GString *name = g_string_sized_new(64);

  for (gint f = 0; f < LOGSRC_FIELD_COUNT; f++)
    {
      g_string_assign(name, self->prefix);
      g_string_append(name, logsrc_field_name(f));
      self->handles[f] = log_msg_get_value_handle(name->str);
    }
  g_string_free(name, TRUE);
}

/* template("${MESSAGE}") (what the SCL blocks pass on by default) is read
 * without formatting it: LogParser then hands MESSAGE over as it is. */
static void
_drop_trivial_template(DprkIntelLogParser *self)
{
  LogTemplate *t = self->super.template;

  if (t && log_template_is_trivial(t) && t->compiled_template
      && log_template_get_trivial_value_handle(t) == LM_V_MESSAGE)
    log_parser_set_template(&self->super, NULL);
}

static gboolean
_init(LogPipe *s)
{
  DprkIntelLogParser *self = (DprkIntelLogParser *) s;

  if (!log_parser_init_method(s))
    return FALSE;
  _drop_trivial_template(self);
  _resolve_handles(self);
  _resolve_tags(self);
  logsrc_reader_free(self->reader);
  self->reader = logsrc_reader_new(self->source, (const gchar *const *) self->keys);
  return TRUE;
}

static gboolean
_deinit(LogPipe *s)
{
  DprkIntelLogParser *self = (DprkIntelLogParser *) s;

  logsrc_reader_free(self->reader);
  self->reader = NULL;
  return log_parser_deinit_method(s);
}

static void
_write(const DprkIntelLogParser *self, const LogsrcEvent *ev, LogMessage *msg)
{
  if (ev->verdict == LOGSRC_UNPARSED)
    {
      log_msg_set_tag_by_id(msg, self->unparsed_tags[ev->source]);
      return;
    }
  for (guint64 set = ev->fields; set; set &= set - 1)
    {
      gint f = __builtin_ctzll(set);
      log_msg_set_value(msg, self->handles[f], ev->value[f].ptr, ev->value[f].len);
    }
  if (ev->no_amount)
    log_msg_set_tag_by_id(msg, self->no_amount_tags[ev->source]);
  if (ev->has_time)
    {
      /* as apache-accesslog-parser()'s date-parser() did */
      msg->timestamps[LM_TS_STAMP].ut_sec = ev->time_sec;
      msg->timestamps[LM_TS_STAMP].ut_usec = 0;
      msg->timestamps[LM_TS_STAMP].ut_gmtoff = ev->time_gmtoff;
    }
}

static gboolean
_process(LogParser *s, LogMessage **pmsg, const LogPathOptions *path_options, const gchar *input, gsize input_len)
{
  DprkIntelLogParser *self = (DprkIntelLogParser *) s;
  gchar stack[STACK_SCRATCH];
  LogsrcScratch scratch = { stack, sizeof(stack), 0 };
  ScratchBuffersMarker marker;
  gboolean marked = FALSE;
  LogsrcEvent ev;

  gsize need = logsrc_scratch_size(input_len);
  if (need > sizeof(stack))
    {
      GString *buf = scratch_buffers_alloc_and_mark(&marker);
      g_string_set_size(buf, need);
      scratch = (LogsrcScratch) { buf->str, need, 0 };
      marked = TRUE;
    }

  logsrc_reader_read(self->reader, input, input_len, &scratch, &ev);
  if (ev.verdict != LOGSRC_IGNORED)
    _write(self, &ev, log_msg_make_writable(pmsg, path_options));

  if (marked)
    scratch_buffers_reclaim_marked(marker);
  return TRUE;
}

static LogPipe *_clone(LogPipe *s);

static void
_free(LogPipe *s)
{
  DprkIntelLogParser *self = (DprkIntelLogParser *) s;

  logsrc_reader_free(self->reader);
  g_free(self->prefix);
  for (gint i = 0; i < LOGSRC_KEY_COUNT; i++)
    g_free(self->keys[i]);
  log_parser_free_method(s);
}

LogParser *
dprk_intel_log_parser_new(GlobalConfig *cfg)
{
  DprkIntelLogParser *self = g_new0(DprkIntelLogParser, 1);

  log_parser_init_instance(&self->super, cfg);
  self->super.super.init = _init;
  self->super.super.deinit = _deinit;
  self->super.super.clone = _clone;
  self->super.super.free_fn = _free;
  self->super.process = _process;
  self->source = LOGSRC_AUTO;
  self->prefix = g_strdup(DEFAULT_PREFIX);
  return &self->super;
}

static LogPipe *
_clone(LogPipe *s)
{
  DprkIntelLogParser *self = (DprkIntelLogParser *) s;
  DprkIntelLogParser *cloned = (DprkIntelLogParser *) dprk_intel_log_parser_new(s->cfg);

  cloned->source = self->source;
  dprk_intel_log_parser_set_prefix(&cloned->super, self->prefix);
  for (gint i = 0; i < LOGSRC_KEY_COUNT; i++)
    cloned->keys[i] = g_strdup(self->keys[i]);
  log_parser_set_template(&cloned->super, log_template_ref(self->super.template));
  return &cloned->super.super;
}
