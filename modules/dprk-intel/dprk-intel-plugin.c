/* dprk-intel-plugin.c: what syslog-ng's module loader looks for.
 *
 * The loader dlopens libdprk-intel.so, reads module_info and calls
 * dprk_intel_module_init() (the canonical name with '-' as '_').  These two
 * are the only symbols the module exports; it is built with
 * -fvisibility=hidden so nothing else of ours can clash with another module.
 */
#include "cfg-parser.h"
#include "plugin.h"
#include "plugin-types.h"
#include "dprk-intel-parser.h"

#include <gmodule.h>

static Plugin dprk_intel_plugins[] =
{
  {
    .type = LL_CONTEXT_PARSER,
    .name = "dprk-intel",
    .parser = &dprk_intel_parser,
  },
  {
    .type = LL_CONTEXT_PARSER,
    .name = "dprk-intel-log-parser",
    .parser = &dprk_intel_parser,
  },
};

G_MODULE_EXPORT gboolean
dprk_intel_module_init(PluginContext *context, CfgArgs *args)
{
  plugin_register(context, dprk_intel_plugins, G_N_ELEMENTS(dprk_intel_plugins));
  return TRUE;
}

G_MODULE_EXPORT const ModuleInfo module_info =
{
  .canonical_name = "dprk-intel",
  .version = DI_VERSION,
  .description = "The dprk-intel module tags messages that carry indicators linked to DPRK threat actors.",
  .core_revision = SYSLOG_NG_SOURCE_REVISION,
  .plugins = dprk_intel_plugins,
  .plugins_len = G_N_ELEMENTS(dprk_intel_plugins),
};
