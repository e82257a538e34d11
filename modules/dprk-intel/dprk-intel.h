/* dprk-intel.h: the dprk-intel() LogParser.
 *
 * The grammar creates one with dprk_intel_parser_new() and fills in its
 * options (dprk-intel-options.h); the map of everything else (loading,
 * matching, tagging, incidents) is at the top of dprk-intel.c.
 */
#ifndef DPRK_INTEL_H_INCLUDED
#define DPRK_INTEL_H_INCLUDED

#include "dprk-intel-options.h"

#include "parser/parser-expr.h"

LogParser *dprk_intel_parser_new(GlobalConfig *cfg);
/* Where the grammar puts the options (dprk-intel-options.h). */
DprkIntelOptions *dprk_intel_parser_get_options(LogParser *s);

#endif
