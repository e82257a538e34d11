/* tsan-glib.c: GLib's mutexes made visible to ThreadSanitizer, for a daemon
 * that is not instrumented (syslog-ng-sanitized builds it and preloads it
 * after libtsan).
 *
 * GLib implements GMutex with futexes, not pthread mutexes: TSan, which
 * learns about locks from the pthread calls it intercepts, would take every
 * access our module makes under a GMutex (the incident table, the snapshot
 * holder) for a race.  These wrappers call GLib's own functions and tell
 * TSan what they did: acquire after a lock, release before an unlock, on
 * the mutex's address.  Only calls that go through the PLT are seen, i.e.
 * those of our module; GLib's calls to itself need nothing, GLib not being
 * instrumented.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

void __tsan_acquire(void *addr);
void __tsan_release(void *addr);

typedef void (*lock_fn)(void *);
typedef int (*trylock_fn)(void *);
typedef void (*wait_fn)(void *, void *);
typedef int (*wait_until_fn)(void *, void *, long long);

static void *
_next(const char *name)
{
  void *f = dlsym(RTLD_NEXT, name);
  if (!f)
    {
      fprintf(stderr, "tsan-glib: %s not found\n", name);
      abort();
    }
  return f;
}

#define NEXT(type, name) \
  static type real; \
  if (!real) \
    real = (type) _next(name)

void
g_mutex_lock(void *m)
{
  NEXT(lock_fn, "g_mutex_lock");
  real(m);
  __tsan_acquire(m);
}

int
g_mutex_trylock(void *m)
{
  NEXT(trylock_fn, "g_mutex_trylock");
  int ok = real(m);
  if (ok)
    __tsan_acquire(m);
  return ok;
}

void
g_mutex_unlock(void *m)
{
  NEXT(lock_fn, "g_mutex_unlock");
  __tsan_release(m);
  real(m);
}

void
g_rec_mutex_lock(void *m)
{
  NEXT(lock_fn, "g_rec_mutex_lock");
  real(m);
  __tsan_acquire(m);
}

void
g_rec_mutex_unlock(void *m)
{
  NEXT(lock_fn, "g_rec_mutex_unlock");
  __tsan_release(m);
  real(m);
}

void
g_rw_lock_writer_lock(void *l)
{
  NEXT(lock_fn, "g_rw_lock_writer_lock");
  real(l);
  __tsan_acquire(l);
}

void
g_rw_lock_writer_unlock(void *l)
{
  NEXT(lock_fn, "g_rw_lock_writer_unlock");
  __tsan_release(l);
  real(l);
}

void
g_rw_lock_reader_lock(void *l)
{
  NEXT(lock_fn, "g_rw_lock_reader_lock");
  real(l);
  __tsan_acquire(l);
}

void
g_rw_lock_reader_unlock(void *l)
{
  NEXT(lock_fn, "g_rw_lock_reader_unlock");
  __tsan_release(l);
  real(l);
}

/* g_cond_wait unlocks the mutex while it waits and locks it again */
void
g_cond_wait(void *c, void *m)
{
  NEXT(wait_fn, "g_cond_wait");
  __tsan_release(m);
  real(c, m);
  __tsan_acquire(m);
}

int
g_cond_wait_until(void *c, void *m, long long end_time)
{
  NEXT(wait_until_fn, "g_cond_wait_until");
  __tsan_release(m);
  int r = real(c, m, end_time);
  __tsan_acquire(m);
  return r;
}
