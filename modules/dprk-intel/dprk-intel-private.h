/* dprk-intel-private.h: the dprk-intel() parser object.
 *
 * One struct, shared by the three files that make up the LogParser itself:
 * dprk-intel.c (lifecycle, persist names, the timer), dprk-intel-options.c
 * (the grammar's setters) and dprk-intel-process.c (process()).  Each job
 * with state of its own is an object of its own (options, handles, stats,
 * database, incident tracker): the parser only holds them together and
 * hands each what it needs.
 */
#ifndef DPRK_INTEL_PRIVATE_H_INCLUDED
#define DPRK_INTEL_PRIVATE_H_INCLUDED

#include "dprk-intel-options.h"
#include "dprk-intel-snapshot-holder.h"
#include "dprk-intel-incident-tracker.h"
#include "dprk-intel-database.h"
#include "dprk-intel-stats.h"
#include "dprk-intel-process.h"

#include "parser/parser-expr.h"

#include <iv.h>

typedef struct _DprkIntelParser
{
  LogParser super;

  DprkIntelOptions options;        /* as the grammar set them */

  /* resolved at init */
  DprkIntelHandles handles;        /* what process() reads and writes */
  gchar *child_id;                 /* "p_dprk#0" */
  gchar *persist_name;
  gchar *incidents_persist_name;

  /* a clone shares its original's holder; only the original has a
   * database, which loads into it, persists and watches the feeds */
  DprkIntelSnapshotHolder *holder;
  DprkIntelDatabase *database;     /* NULL in a clone */

  DprkIntelIncidentTracker *incidents;   /* every instance its own */
  DprkIntelStats stats;
  struct iv_timer tick;            /* registered between init and deinit */
} DprkIntelParser;

#endif
