#!/bin/sh
# gen-actor-table.sh TSV: writes the C table of actor-aliases.tsv to stdout, so
# that the alias data stays data and the module needs no file at run time.
set -e
echo '/* generated from actor-aliases.tsv by gen-actor-table.sh: do not edit */'
echo "#include <stddef.h>"
echo "#include \"actor-table.h\""
echo 'const DiActorAlias di_actor_aliases[] = {'
grep -v '^#' "$1" | grep -v '^[[:space:]]*$' | \
  awk -F '\t' 'NF != 2 { print "bad line " NR ": " $0 > "/dev/stderr"; exit 1 }
    { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "  { \"%s\", \"%s\" },\n", $1, $2 }'
echo '  { NULL, NULL }'
echo '};'
