/* dprk-intel-private.h: the dprk-intel() parser object.
 *
 * One struct, shared by the glue files that make up the LogParser itself:
 * dprk-intel.c (lifecycle and timer), dprk-intel-options.c (the grammar's
 * setters).  The other parts are objects of their own, with their own
 * structs, and see only what they are handed.
 */
#ifndef DPRK_INTEL_PRIVATE_H_INCLUDED
#define DPRK_INTEL_PRIVATE_H_INCLUDED

#include "dprk-intel-options.h"
#include "dprk-intel-snapshot-holder.h"
#include "dprk-intel-incident-tracker.h"
#include "dprk-intel-database.h"
#include "dprk-intel-stats.h"

#include "match-report.h"

#include "parser/parser-expr.h"

#include <iv.h>

typedef struct _DprkIntelParser
{
  LogParser super;

  DprkIntelOptions options;

  /* resolved at init */
  gchar **field_names;           /* NULL-terminated; MESSAGE when fields is empty */
  guint n_fields;
  NVHandle *field_handles;
  NVHandle out_handles[DI_OUT_MAX];
  LogTagId match_tag;
  gchar *child_id;               /* "p_dprk#0" */
  gchar *persist_name;
  gchar *incidents_persist_name;

  /* a clone shares its original's holder; only the original has a
   * database, which loads into it, persists and watches the feeds */
  DprkIntelSnapshotHolder *holder;
  DprkIntelDatabase *database;

  /* every instance its own, clones too */
  DprkIntelIncidentTracker *incidents;
  struct iv_timer tick;

  DprkIntelStats stats;
} DprkIntelParser;

#endif
