/* actor-table.h: the compiled form of actor-aliases.tsv (see actors.h). */
#ifndef DI_ACTOR_TABLE_H
#define DI_ACTOR_TABLE_H

typedef struct
{
  const char *canonical;
  const char *alias;
} DiActorAlias;

/* Terminated by { NULL, NULL }. */
extern const DiActorAlias di_actor_aliases[];

#endif
