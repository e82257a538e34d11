/* test-actors.c: alias normalisation and tag slugs. */
#include <criterion/criterion.h>
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

Test(actors, unknown_actors_pass_through)
{
  cr_assert_str_eq(di_actor_canonical("Huihui WU"), "Huihui WU");
  cr_assert_str_eq(di_actor_canonical("Some New Cluster"), "Some New Cluster");
  cr_assert_null(di_actor_canonical(NULL));
}

Test(actors, slugs)
{
  cr_assert_str_eq(di_actor_slug("Lazarus Group"), "lazarus_group");
  cr_assert_str_eq(di_actor_slug("AMNOKGANG TECHNOLOGY DEVELOPMENT COMPANY"),
                   "amnokgang_technology_development_company");
  cr_assert_str_eq(di_actor_slug("  Kim, Sang--Man  "), "kim_sang_man");
  cr_assert_str_eq(di_actor_slug("APT38"), "apt38");
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
