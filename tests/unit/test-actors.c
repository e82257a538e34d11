/* test-actors.c: alias normalisation, labels and prose, tag slugs, and the
 * alias table against MISP's real DPRK galaxy clusters (tests/data/feeds). */
#include <criterion/criterion.h>
#include <json.h>
#include <string.h>
#include "actors.h"

Test(actors, aliases_map_to_canonical_names)
{
  const char *cases[][2] =
  {
    { "LAZARUS GROUP", "Lazarus Group" }, { "Hidden Cobra", "Lazarus Group" }, { "ZINC", "Lazarus Group" },
    { "labyrinth-chollima", "Lazarus Group" }, { "Diamond Sleet", "Lazarus Group" },
    { "Jade Sleet", "TraderTraitor" }, { "UNC4899", "TraderTraitor" }, { "Slow Pisces", "TraderTraitor" },
    { "BLUENOROFF", "APT38" }, { "Stardust Chollima", "APT38" }, { "Sapphire Sleet", "APT38" },
    { "APT 38", "APT38" }, { "Onyx Sleet", "Andariel" }, { "Silent Chollima", "Andariel" },
    { "ANDARIEL", "Andariel" }, { "APT43", "Kimsuky" }, { "Emerald Sleet", "Kimsuky" },
    { "Velvet Chollima", "Kimsuky" }, { "Citrine Sleet", "AppleJeus" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
    cr_assert_str_eq(di_actor_canonical(cases[i][0]), cases[i][1], "%s", cases[i][0]);
}

/* One name per vendor naming scheme, in the forms feeds write them
 * (engine/actor-aliases.tsv gives the source of each). */
Test(actors, vendor_names)
{
  const char *cases[][2] =
  {
    /* Microsoft, with its Storm-/DEV- ids */
    { "Sapphire Sleet", "APT38" }, { "Citrine Sleet", "AppleJeus" }, { "Storm-0139", "AppleJeus" },
    { "DEV-1222", "AppleJeus" }, { "Storm-0954", "TraderTraitor" }, { "Moonstone Sleet", "Moonstone Sleet" },
    { "Storm-1789", "Moonstone Sleet" }, { "DEV-1789", "Moonstone Sleet" }, { "Ruby Sleet", "Ruby Sleet" },
    { "CERIUM", "Ruby Sleet" }, { "Opal Sleet", "Konni" }, { "Jasper Sleet", "Jasper Sleet" },
    { "Storm-0287", "Jasper Sleet" }, { "DEV-0530", "Storm-0530" }, { "H0lyGh0st", "Storm-0530" },
    { "Pearl Sleet", "Pearl Sleet" },
    /* Mandiant and Google */
    { "APT45", "Andariel" }, { "UNC4899", "TraderTraitor" }, { "UNC4736", "AppleJeus" },
    { "UNC2970", "UNC2970" }, { "UNC5267", "Famous Chollima" }, { "TEMP.Reaper", "APT37" },
    { "GRASS NEPTUNE", "Andariel" }, { "MIDNIGHT NEPTUNE", "UNC1069" },
    /* CrowdStrike */
    { "Labyrinth Chollima", "Lazarus Group" }, { "STARDUST CHOLLIMA", "APT38" }, { "Ricochet Chollima", "APT37" },
    { "Famous Chollima", "Famous Chollima" }, { "Genie Spider", "APT38" },
    /* Unit 42 */
    { "Slow Pisces", "TraderTraitor" }, { "Jumpy Pisces", "Andariel" }, { "Alluring Pisces", "APT38" },
    { "Gleaming Pisces", "AppleJeus" }, { "Sparkling Pisces", "Kimsuky" }, { "Moldy Pisces", "APT37" },
    { "Crooked Pisces", "Konni" },
    /* Kaspersky, ESET, Symantec */
    { "DeathNote", "Lazarus Group" }, { "ScarCruft", "APT37" }, { "DeceptiveDevelopment", "Contagious Interview" },
    { "Operation DreamJob", "Lazarus Group" }, { "Stonefly", "Andariel" }, { "Springtail", "Kimsuky" },
    /* Proofpoint */
    { "TA444", "APT38" }, { "TA404", "Lazarus Group" }, { "TA427", "Kimsuky" }, { "TA406", "TA406" },
    /* Secureworks */
    { "NICKEL ACADEMY", "Lazarus Group" }, { "Nickel Gladstone", "APT38" }, { "Nickel Hyatt", "Andariel" },
    { "Nickel Tapestry", "Famous Chollima" },
    /* Talos, MITRE ATT&CK ids, MISP galaxy values */
    { "UAT-5394", "UAT-5394" }, { "Group123", "APT37" }, { "G1052", "Contagious Interview" },
    { "Lazarus Group - G0032", "Lazarus Group" }, { "AppleJeus - G1049", "AppleJeus" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
    {
      cr_assert_str_eq(di_actor_canonical(cases[i][0]), cases[i][1], "%s", cases[i][0]);
      cr_assert(di_actor_is_dprk(cases[i][0]), "%s", cases[i][0]);
    }
  /* an unknown name with a galaxy suffix keeps its whole name */
  cr_assert_str_eq(di_actor_canonical("Some Group - G9999"), "Some Group - G9999");
  cr_assert_str_eq(di_actor_canonical("Some Group - G0094"), "Kimsuky", "the ATT&CK id names the group");
  cr_assert_not(di_actor_is_dprk("APT28"));
}

Test(actors, labels_and_machine_tags)
{
  cr_assert_str_eq(di_actor_from_label("misp-galaxy:threat-actor=\"Lazarus Group\""), "Lazarus Group");
  cr_assert_str_eq(di_actor_from_label("misp-galaxy:mitre-intrusion-set=\"Kimsuky - G0094\""), "Kimsuky");
  cr_assert_str_eq(di_actor_from_label("recorded-future:threat-actor=Famous Chollima"), "Famous Chollima");
  cr_assert_str_eq(di_actor_from_label("misp-galaxy:microsoft-activity-group=\"Jade Sleet\""), "TraderTraitor");
  cr_assert_str_eq(di_actor_from_label("Actor: Lazarus"), "Lazarus Group");
  cr_assert_str_eq(di_actor_from_label("Lazarus Group"), "Lazarus Group");
  /* a machine tag whose predicate is not an actor names none */
  cr_assert_null(di_actor_from_label("misp-galaxy:malpedia=\"Lazarus\""));
  cr_assert_null(di_actor_from_label("misp:type=\"ip-src\""));
  cr_assert_null(di_actor_from_label("Threat-Report"));
  cr_assert_null(di_actor_from_label("APT Lazarus"), "prose is for di_actor_find_in_text");
  cr_assert_null(di_actor_from_label(NULL));
}

Test(actors, prose)
{
  cr_assert_str_eq(di_actor_find_in_text("MagicRAT: Lazarus\xe2\x80\x99 latest gateway into victim networks"),
                   "Lazarus Group");
  cr_assert_str_eq(di_actor_find_in_text("APT Lazarus"), "Lazarus Group");
  cr_assert_str_eq(di_actor_find_in_text("Lazarus Group exploits ManageEngine vulnerability"), "Lazarus Group");
  /* the longest run of words wins: "Operation Stolen Pencil", not a shorter name */
  cr_assert_str_eq(di_actor_find_in_text("Inside Operation Stolen Pencil"), "Stolen Pencil");
  cr_assert_str_eq(di_actor_find_in_text("New TraderTraitor wallets"), "TraderTraitor");
  cr_assert_null(di_actor_find_in_text("MoonPeak malware from North Korean actors unveils new details"));
  cr_assert_null(di_actor_find_in_text("the GOP convention"), "three letters alone are too short for prose");
  cr_assert_null(di_actor_find_in_text(""));
  cr_assert_null(di_actor_find_in_text(NULL));
}

/* ---- MISP's DPRK galaxy clusters ---------------------------------------- */

static json_object *
_galaxy(const gchar *name)
{
  gchar *path = g_build_filename(DI_SRCDIR, "tests", "data", "feeds", name, NULL);
  json_object *root = json_object_from_file(path);
  cr_assert_not_null(root, "cannot read %s", path);
  g_free(path);
  return root;
}

/* The canonical actor of each cluster (the value with its ATT&CK id). */
static const char *cluster_actors[][2] =
{
  { "Silent Chollima", "Andariel" }, { "Lazarus Group", "Lazarus Group" }, { "TEMP.Hermit", "TEMP.Hermit" },
  { "Kimsuky", "Kimsuky" }, { "OnionDog", "OnionDog" }, { "APT37", "APT37" }, { "TA406", "TA406" },
  { "TraderTraitor", "TraderTraitor" }, { "TA444", "APT38" }, { "UNC4736", "AppleJeus" },
  { "Pearl Sleet", "Pearl Sleet" }, { "Ruby Sleet", "Ruby Sleet" }, { "Opal Sleet", "Konni" },
  { "Storm-0530", "Storm-0530" }, { "APT45", "Andariel" }, { "UNC2970", "UNC2970" }, { "UAT-5394", "UAT-5394" },
  { "WageMole", "Famous Chollima" }, { "Wassonite", "Wassonite" }, { "Larva-24005", "Larva-24005" },
  { "puNK-003", "puNK-003" }, { "ELUSIVE COMET", "ELUSIVE COMET" }, { "UNC5342", "UNC5342" },
  { "UNC1069", "UNC1069" }, { "Nickel Alley", "Nickel Alley" }, { "JINX-0164", "JINX-0164" },
  { "Lazarus Group - G0032", "Lazarus Group" }, { "Moonstone Sleet - G1036", "Moonstone Sleet" },
  { "APT38 - G0082", "APT38" }, { "Kimsuky - G0094", "Kimsuky" }, { "Andariel - G0138", "Andariel" },
  { "AppleJeus - G1049", "AppleJeus" },
};

/* Synonyms that map to another canonical actor than their cluster's: where
 * MISP lumps groups that ATT&CK (or the vendors) keep apart.  Each is a
 * "# split:" or "# apart:" note in actor-aliases.tsv. */
static const char *split_synonyms[][2] =
{
  { "Silent Chollima", "OperationTroy" }, { "Silent Chollima", "Guardian of Peace" }, { "Silent Chollima", "GOP" },
  { "Silent Chollima", "WHOis Team" },
  { "Lazarus Group", "Andariel" }, { "Lazarus Group", "Bluenoroff" }, { "Lazarus Group", "Subgroup: Bluenoroff" },
  { "Lazarus Group", "Operation AppleJeus" }, { "Lazarus Group", "APT38" }, { "Lazarus Group", "APT 38" },
  { "Lazarus Group", "Stardust Chollima" }, { "Lazarus Group", "NICKEL GLADSTONE" }, { "Lazarus Group", "ATK117" },
  { "Lazarus Group", "G0082" }, { "Lazarus Group", "Citrine Sleet" }, { "Lazarus Group", "DEV-0139" },
  { "Lazarus Group", "DEV-1222" }, { "Lazarus Group", "Sapphire Sleet" }, { "Lazarus Group", "COPERNICIUM" },
  { "Lazarus Group", "BeagleBoyz" }, { "Lazarus Group", "Moonstone Sleet" },
  { "Kimsuky", "Operation Stolen Pencil" }, { "Kimsuky", "G0086" },
  { "WageMole", "PurpleBravo" },
};

static const gchar *
_expected_actor(const gchar *cluster)
{
  for (gsize i = 0; i < G_N_ELEMENTS(cluster_actors); i++)
    if (strcmp(cluster_actors[i][0], cluster) == 0)
      return cluster_actors[i][1];
  return NULL;
}

static gboolean
_is_split(const gchar *cluster, const gchar *synonym)
{
  for (gsize i = 0; i < G_N_ELEMENTS(split_synonyms); i++)
    if (strcmp(split_synonyms[i][0], cluster) == 0 && strcmp(split_synonyms[i][1], synonym) == 0)
      return TRUE;
  return FALSE;
}

/* Every cluster value and synonym maps to a DPRK actor; a synonym maps to
 * its cluster's actor unless it is one of the documented splits.  Returns
 * the number of names checked. */
static guint
_check_galaxy(const gchar *file, guint *splits)
{
  json_object *root = _galaxy(file), *values, *meta, *synonyms;
  guint checked = 0;
  cr_assert(json_object_object_get_ex(root, "values", &values));
  for (gsize i = 0; i < json_object_array_length(values); i++)
    {
      json_object *cluster = json_object_array_get_idx(values, i), *v;
      cr_assert(json_object_object_get_ex(cluster, "value", &v));
      const gchar *value = json_object_get_string(v);
      const gchar *expected = _expected_actor(value);
      cr_assert_not_null(expected, "%s: cluster \"%s\" has no expected actor in this test", file, value);
      cr_assert_str_eq(di_actor_canonical(value), expected, "%s: cluster %s", file, value);
      checked++;
      if (!json_object_object_get_ex(cluster, "meta", &meta) || !json_object_object_get_ex(meta, "synonyms", &synonyms))
        continue;
      for (gsize j = 0; j < json_object_array_length(synonyms); j++)
        {
          const gchar *synonym = json_object_get_string(json_object_array_get_idx(synonyms, j));
          cr_assert(di_actor_is_dprk(synonym), "%s: synonym \"%s\" of %s is not in the alias table", file, synonym, value);
          if (_is_split(value, synonym))
            {
              cr_assert_str_neq(di_actor_canonical(synonym), expected, "%s: %s is listed as a split", file, synonym);
              (*splits)++;
            }
          else
            cr_assert_str_eq(di_actor_canonical(synonym), expected, "%s: synonym %s of %s", file, synonym, value);
          checked++;
        }
    }
  json_object_put(root);
  return checked;
}

/* Counted with python over the two files: threat actors 26 clusters with
 * 100 synonyms, intrusion sets 6 clusters with 35 synonyms. */
Test(actors, every_dprk_name_in_the_misp_galaxies_maps)
{
  guint splits = 0;
  cr_assert_eq(_check_galaxy("misp_galaxy_dprk_threat_actors.json", &splits), 26 + 100);
  cr_assert_eq(_check_galaxy("misp_galaxy_dprk_mitre_intrusion_sets.json", &splits), 6 + 35);
  cr_assert_eq(splits, G_N_ELEMENTS(split_synonyms), "every documented split is used");
  /* DPRK clusters of the full galaxies that the extracts leave out */
  const char *more[][2] =
  {
    { "STARDUST CHOLLIMA", "APT38" }, { "APT43", "Kimsuky" }, { "Contagious Interview", "Contagious Interview" },
    { "APT37 - G0067", "APT37" }, { "Contagious Interview - G1052", "Contagious Interview" },
    { "Stolen Pencil - G0086", "Stolen Pencil" }, { "Tenacious Pungsan", "Contagious Interview" },
    { "DEV#POPPER", "Contagious Interview" }, { "Coral Sleet", "Famous Chollima" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(more); i++)
    cr_assert_str_eq(di_actor_canonical(more[i][0]), more[i][1], "%s", more[i][0]);
}

Test(actors, unknown_actors_pass_through)
{
  cr_assert_str_eq(di_actor_canonical("Huihui WU"), "Huihui WU");
  cr_assert_str_eq(di_actor_canonical("Some New Cluster"), "Some New Cluster");
  cr_assert_null(di_actor_canonical(NULL));
}

/* di_actor_slug(), kept until the test's process ends (no leak for LSan) */
static const gchar *
_slug(const gchar *name)
{
  static GPtrArray *kept;
  if (!kept)
    kept = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(kept, di_actor_slug(name));
  return g_ptr_array_index(kept, kept->len - 1);
}

Test(actors, slugs)
{
  cr_assert_str_eq(_slug("Lazarus Group"), "lazarus_group");
  cr_assert_str_eq(_slug("AMNOKGANG TECHNOLOGY DEVELOPMENT COMPANY"), "amnokgang_technology_development_company");
  cr_assert_str_eq(_slug("  Kim, Sang--Man  "), "kim_sang_man");
  cr_assert_str_eq(_slug("APT38"), "apt38");
}

Test(actors, names_without_ascii_get_a_slug_of_their_own)
{
  gchar *a = di_actor_slug("\xea\xb9\x80\xec\x88\x98\xed\x82\xa4");   /* Korean */
  gchar *b = di_actor_slug("\xe6\x9d\x8e\xe5\xae\xb6\xe4\xb8\x9c");   /* Chinese */
  cr_assert_neq(*a, '\0');
  cr_assert_neq(*b, '\0');
  cr_assert_str_neq(a, b);
  g_free(a);
  g_free(b);
}
