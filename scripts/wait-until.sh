# scripts/wait-until.sh: wait_until, sourced by demo.sh and the functional
# tests (tests/functional/lib.sh); bash.
#
# wait_until TIMEOUT CMD...: runs CMD every 0.1 s until it succeeds; fails
# when it has not after TIMEOUT seconds.  Waits end on what they wait for,
# never on a guess of how long it takes: a busy machine is slow, not wrong.
wait_until()
{
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -le "$deadline" ] || return 1
    sleep 0.1
  done
}
