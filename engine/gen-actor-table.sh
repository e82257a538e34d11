#!/bin/sh
# gen-actor-table.sh TSV: writes the C table of actor-aliases.tsv to stdout, so
# that the alias data stays data and the module needs no file at run time.
# Each line is "canonical<TAB>alias<TAB>source"; a line without a source, or an
# alias (folded as actors.c folds names) given to two canonical actors, stops
# the build with the line number.
set -e
echo '/* generated from actor-aliases.tsv by gen-actor-table.sh: do not edit */'
echo "#include <stddef.h>"
echo "#include \"actor-table.h\""
echo 'const DiActorAlias di_actor_aliases[] = {'
awk -F '\t' '
  function fold(s) { s = tolower(s); gsub(/[^a-z0-9]/, "", s); return s }
  /^#/ || /^[[:space:]]*$/ { next }
  NF != 3 || $1 == "" || $2 == "" || $3 == "" {
    print FILENAME ":" NR ": expected canonical<TAB>alias<TAB>source: " $0 > "/dev/stderr"; bad = 1; exit 1
  }
  {
    f = fold($2)
    if (f == "") { print FILENAME ":" NR ": alias without letters or digits" > "/dev/stderr"; bad = 1; exit 1 }
    if ((f in owner) && owner[f] != $1) {
      print FILENAME ":" NR ": \"" $2 "\" is already an alias of " owner[f] " (line " where[f] ")" > "/dev/stderr"
      bad = 1; exit 1
    }
    owner[f] = $1; where[f] = NR
    c = $1; a = $2
    gsub(/\\/, "\\\\", c); gsub(/"/, "\\\"", c); gsub(/\\/, "\\\\", a); gsub(/"/, "\\\"", a)
    printf "  { \"%s\", \"%s\" },\n", c, a
  }
  END { if (bad) exit 1 }' "$1"
echo '  { NULL, NULL }'
echo '};'
