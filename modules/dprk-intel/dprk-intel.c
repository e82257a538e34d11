/* dprk-intel.c: the dprk-intel() parser object: its lifecycle, its persist
 * names and its timer.
 *
 * The syslog-ng glue does what the engine cannot and nothing more; each job
 * is an object in a file pair of its own, and the parser only holds them
 * together and hands each what it needs:
 *
 *   dprk-intel-options.c          the options, the grammar's setters and checks
 *   dprk-intel-processor.c        per message: fields() to the matcher, the report back
 *   dprk-intel-aggregator.c       per message in mode(aggregate): a relay's matches to incidents
 *   dprk-intel-database.c         database(): load, keep across reloads, reload-interval()
 *   dprk-intel-incident-tracker.c incidents: record, summaries, state file
 *   dprk-intel-stats.c            the stats counters
 *   dprk-intel-loaded-set.c, -snapshot-holder.c, -feed-watch.c, -incidents.c:
 *                                 the pieces those objects are built from
 *   dprk-intel-parser.c, -grammar.ym, -plugin.c: the config grammar, the module
 *
 * They include one another in layers, never in a circle, and none of them
 * includes the parser: the pieces and the options at the bottom, then the
 * stats, then the database and the incident tracker, then the processor
 * and the aggregator, then this file.
 *
 * mode(scan), the default, loads the feeds and scans (an edge, or a single
 * node); mode(aggregate) loads nothing and hands every message to the
 * aggregator, which groups the matches relays made (a central node,
 * docs/deployment.md).
 *
 * Threads: init/deinit/clone/free and the timer run in the main thread;
 * init/deinit with the workers stopped.  process() runs in many workers at
 * once and only reads (the current set comes through the holder, see
 * dprk-intel-snapshot-holder.h; the incident table has its own lock).
 *
 * The timer (one iv_timer per parser instance, main thread only) does all
 * the time-driven work, by calling the tick() of the incident tracker
 * (close timed-out incidents and forward their summaries, publish the
 * incident counters, have the state file written) and, for the parser that
 * loads, of the database (with reload-interval(), watch the feed files and
 * install a set that a loader thread built).  It runs at least every
 * second, earlier when the next incident deadline or feed look is earlier,
 * and every 100 ms while a loader or saver thread runs.  Workers never touch
 * it: a match can only set a deadline at least incident-timeout() (>= 1 s)
 * ahead, and the timer is never more than a second away.
 */
#include "dprk-intel.h"
#include "dprk-intel-snapshot-holder.h"
#include "dprk-intel-database.h"
#include "dprk-intel-incident-tracker.h"
#include "dprk-intel-processor.h"
#include "dprk-intel-aggregator.h"
#include "dprk-intel-stats.h"

#include "cfg.h"
#include "cfg-tree.h"
#include "messages.h"

#include <iv.h>

#define DPRK_INTEL_TICK_US G_USEC_PER_SEC
/* while a loader or saver thread runs */
#define DPRK_INTEL_THREAD_POLL_US (100 * 1000)
#define DPRK_INTEL_MIN_TICK_US 1000

typedef struct _DprkIntelParser
{
  LogParser super;
  DprkIntelOptions options;        /* as the grammar set them */
  DprkIntelStats stats;

  /* a clone shares its original's holder; only the original has a
   * database, which loads into it, persists and watches the feeds */
  DprkIntelSnapshotHolder *holder;
  DprkIntelDatabase *database;     /* NULL in a clone */
  DprkIntelIncidentTracker *incidents;   /* every instance its own */
  DprkIntelProcessor *processor;
  DprkIntelAggregator *aggregator;

  /* set at the first init */
  gchar *child_id;                 /* "p_dprk#0" */
  gchar *persist_name;
  gchar *incidents_persist_name;

  struct iv_timer tick;            /* registered between init and deinit */
} DprkIntelParser;

/* persist names */

/* Stable across reloads of the same config, distinct for every instance
 * (clones and several dprk-intel() in one rule included): the rule name plus
 * the instance's sequence number in that rule.  Computed once, so that a
 * re-init of the old config after a failed reload finds its entry again. */
static void
_setup_persist_name(DprkIntelParser *self)
{
  if (self->persist_name)
    return;

  GlobalConfig *cfg = log_pipe_get_config(&self->super.super);
  self->child_id = cfg_tree_get_child_id(&cfg->tree, ENC_PARSER, self->super.super.expr_node);
  self->persist_name = g_strdup_printf("dprk-intel(%s)", self->child_id);
  self->incidents_persist_name = g_strdup_printf("dprk-intel(%s).incidents", self->child_id);
}

static const gchar *
_generate_persist_name(const LogPipe *s)
{
  const DprkIntelParser *self = (const DprkIntelParser *) s;

  return self->persist_name;
}

/* the timer */

static void
_arm_timer(DprkIntelParser *self, gint64 now)
{
  gint64 delay = DPRK_INTEL_TICK_US;
  gint64 deadline;

  if (dprk_intel_incident_tracker_next_deadline(self->incidents, &deadline))
    delay = MIN(delay, deadline - now);
  if (dprk_intel_incident_tracker_is_saving(self->incidents)
      || (self->database && dprk_intel_database_is_loading(self->database)))
    delay = MIN(delay, DPRK_INTEL_THREAD_POLL_US);
  if (self->database && dprk_intel_database_next_look(self->database, &deadline))
    delay = MIN(delay, deadline - now);
  delay = MAX(delay, DPRK_INTEL_MIN_TICK_US);

  iv_validate_now();
  self->tick.expires = iv_now;
  self->tick.expires.tv_sec += delay / G_USEC_PER_SEC;
  self->tick.expires.tv_nsec += (delay % G_USEC_PER_SEC) * 1000;
  if (self->tick.expires.tv_nsec >= 1000000000)
    {
      self->tick.expires.tv_sec++;
      self->tick.expires.tv_nsec -= 1000000000;
    }
  iv_timer_register(&self->tick);
}

static void
_on_tick(void *cookie)
{
  DprkIntelParser *self = cookie;
  gint64 now = g_get_real_time();

  dprk_intel_incident_tracker_tick(self->incidents, now);
  if (self->database)
    dprk_intel_database_tick(self->database, now);

  _arm_timer(self, g_get_real_time());
}

/* lifecycle */

/* The counters of the set just loaded (or kept, or loaded by the original
 * of this clone). */
static void
_count_loaded_set(DprkIntelParser *self)
{
  DprkIntelLoadedSet *set = dprk_intel_snapshot_holder_acquire(self->holder);

  if (set && self->database)
    dprk_intel_stats_resolve_actor_counters(&self->stats, set);
  dprk_intel_stats_set_indicators(&self->stats, set ? di_snapshot_count(set->snapshot) : 0);
  if (set)
    dprk_intel_stats_set_feed_version(&self->stats, &set->version);
  dprk_intel_stats_set_load_counts(&self->stats, set ? set->suppressed : 0, set ? set->limits_hit : 0);
  dprk_intel_snapshot_holder_release(set);
}

static void
_start_timer(DprkIntelParser *self)
{
  IV_TIMER_INIT(&self->tick);
  self->tick.cookie = self;
  self->tick.handler = _on_tick;
  _arm_timer(self, g_get_real_time());
}

static gboolean
_init(LogPipe *s)
{
  DprkIntelParser *self = (DprkIntelParser *) s;

  if (!log_parser_init_method(s))
    return FALSE;

  if (self->super.template)
    msg_warning("dprk-intel: template() is not used; the parser scans the name-value pairs of fields()",
                log_pipe_location_tag(s));

  if (!dprk_intel_processor_init(self->processor, &self->options, s))
    return FALSE;
  dprk_intel_aggregator_init(self->aggregator, &self->options);
  _setup_persist_name(self);

  /* a central node scans nothing, so it loads no feed */
  if (self->options.mode == DPRK_INTEL_MODE_AGGREGATE && self->database)
    {
      dprk_intel_database_free(self->database);
      self->database = NULL;
    }

  if (self->database && !dprk_intel_database_init(self->database, &self->options, self->persist_name))
    return FALSE;

  /* nothing below fails: the incident table taken from the persist config
   * is never lost to a failed init */
  dprk_intel_stats_register(&self->stats, self->super.name ? : "dprk-intel");
  _count_loaded_set(self);
  dprk_intel_incident_tracker_init(self->incidents, &self->options, self->child_id, self->incidents_persist_name,
                                   self->database == NULL);
  _start_timer(self);
  return TRUE;
}

static gboolean
_deinit(LogPipe *s)
{
  DprkIntelParser *self = (DprkIntelParser *) s;

  if (iv_timer_registered(&self->tick))
    iv_timer_unregister(&self->tick);

  if (self->database)
    dprk_intel_database_deinit(self->database);
  dprk_intel_incident_tracker_deinit(self->incidents);
  dprk_intel_stats_unregister(&self->stats);

  return log_parser_deinit_method(s);
}

static void
_free(LogPipe *s)
{
  DprkIntelParser *self = (DprkIntelParser *) s;

  dprk_intel_processor_free(self->processor);
  dprk_intel_aggregator_free(self->aggregator);
  dprk_intel_incident_tracker_free(self->incidents);
  dprk_intel_database_free(self->database);
  dprk_intel_snapshot_holder_unref(self->holder);
  dprk_intel_options_destroy(&self->options);
  g_free(self->child_id);
  g_free(self->persist_name);
  g_free(self->incidents_persist_name);
  dprk_intel_stats_destroy(&self->stats);

  log_parser_free_method(s);
}

/* `input` (MESSAGE or template()) is not used: the texts come from
 * fields().  A tail call: the per-message code is all in the processor, or
 * in mode(aggregate) the aggregator. */
static gboolean
_process(LogParser *s, LogMessage **pmsg, const LogPathOptions *path_options, const gchar *input, gsize input_len)
{
  DprkIntelParser *self = (DprkIntelParser *) s;

  if (self->options.mode == DPRK_INTEL_MODE_AGGREGATE)
    return dprk_intel_aggregator_process(self->aggregator, pmsg, path_options);
  return dprk_intel_processor_process(self->processor, pmsg, path_options);
}

static LogPipe *_clone(LogPipe *s);

/* Takes over the reference to holder. */
static DprkIntelParser *
_new_instance(GlobalConfig *cfg, DprkIntelSnapshotHolder *holder)
{
  DprkIntelParser *self = g_new0(DprkIntelParser, 1);

  log_parser_init_instance(&self->super, cfg);
  self->super.super.init = _init;
  self->super.super.deinit = _deinit;
  self->super.super.clone = _clone;
  self->super.super.free_fn = _free;
  self->super.super.generate_persist_name = _generate_persist_name;
  self->super.process = _process;

  dprk_intel_options_init(&self->options);
  self->holder = holder;
  dprk_intel_stats_init(&self->stats);
  self->incidents = dprk_intel_incident_tracker_new(&self->super.super, &self->stats);
  self->processor = dprk_intel_processor_new(holder, &self->stats, self->incidents);
  self->aggregator = dprk_intel_aggregator_new(&self->super.super, &self->stats, self->incidents);
  IV_TIMER_INIT(&self->tick);
  return self;
}

static LogPipe *
_clone(LogPipe *s)
{
  DprkIntelParser *self = (DprkIntelParser *) s;
  /* the original is always initialised before its clones (it is the first
   * reference in the tree), so sharing its holder means one load */
  DprkIntelParser *cloned = _new_instance(s->cfg, dprk_intel_snapshot_holder_ref(self->holder));

  dprk_intel_options_copy(&cloned->options, &self->options);
  log_parser_set_template(&cloned->super, log_template_ref(self->super.template));
  return &cloned->super.super;
}

DprkIntelOptions *
dprk_intel_parser_get_options(LogParser *s)
{
  DprkIntelParser *self = (DprkIntelParser *) s;

  return &self->options;
}

/* The original: it loads the database; its clones share the holder. */
LogParser *
dprk_intel_parser_new(GlobalConfig *cfg)
{
  DprkIntelParser *self = _new_instance(cfg, dprk_intel_snapshot_holder_new());

  self->database = dprk_intel_database_new(&self->super.super, self->holder, &self->stats);
  return &self->super;
}
