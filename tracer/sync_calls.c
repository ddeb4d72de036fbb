/* What the C library and the OpenMP runtime do on the program's behalf is
 * not instrumented: the synchronisation calls are interposed (the traced
 * program's own definitions win over the libraries' for its calls) and
 * recorded as the atomic accesses they make on their objects' words
 * (glibc keeps a mutex's, a spin lock's, a barrier's state in the object's
 * first word), marked as synchronisation records, then handed to the real
 * function. Taking a lock is recorded once it is taken, releasing it
 * before it is released, so that the records keep the order in which
 * threads held it.
 *
 * The replay keeps the synchronisation records in the order of the trace
 * and lets the rest move between them: every call that orders one
 * thread's later accesses after another's earlier ones must leave a
 * record after the first and one before the second. A barrier therefore
 * leaves two per thread, its arrival before the wait and its departure
 * after (every departure comes after every arrival); a condition's wait
 * releases the mutex, takes the signal and the mutex again; a thread's
 * start and end meet its creator and its joiner on a word of its own;
 * an OpenMP team starts after its master's release and ends before its
 * master goes on. */
#include <config.h>

#include <dlfcn.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <unistd.h>

#include "libc_alloc.h"
#include "recorder.h"

/* The next definition of NAME, the library's; a program that cannot reach
 * it (linked statically) cannot be traced, and says so. */
static void *next_definition(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (!f) {
		static const char msg[] = "mesilab-trace: the C library's synchronisation calls are out of reach "
					  "(a statically linked program?): cannot trace\n";

		if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
			_exit(127);
		_exit(127);
	}
	return f;
}

#define REAL(name)                                                           \
	static __typeof__(name) *real;                                       \
	if (!real)                                                           \
		real = (__typeof__(name) *)next_definition(#name)

/* The word the call works on, recorded as an atomic access. */
static void word(const volatile void *object, uintptr_t pc)
{
	rt_access((uintptr_t)object, 4, TRACE_RMW | TRACE_SYNC, pc);
}

/* Leaving a barrier: the waiting thread reads the word the last arrival
 * changed. */
static void departure(const volatile void *object, uintptr_t pc)
{
	rt_access((uintptr_t)object, 4, TRACE_READ | TRACE_SYNC, pc);
}

/* Threads: the creator hands the new thread its start through a word the
 * thread then reads, and the thread's end reaches its joiner the same
 * way (glibc's word for a thread, which the kernel clears at its end). */
struct start {
	void *(*routine)(void *);
	void *arg;
	struct rt_thread *thread;
};

static void *started(void *p)
{
	struct start s = *(struct start *)p;

	free(p);
	rt_thread_started(s.thread);
	if (s.thread)
		rt_access((uintptr_t)&s.thread->handover, sizeof(s.thread->handover), TRACE_RMW | TRACE_SYNC, 0);
	return s.routine(s.arg);
}

RT_EXPORT int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*routine)(void *), void *arg)
{
	REAL(pthread_create);
	/* glibc's own allocator: the runtime's block is not the program's, and
	 * a program's block at its address, once freed, is the program's alone. */
	struct start *s = __libc_malloc(sizeof(*s));
	int rc;

	if (!s)
		return real(thread, attr, routine, arg);
	rt_init();
	/* An id now, recording or not, so that ids follow creation order. */
	*s = (struct start){ routine, arg, rt_thread_new() };
	if (s->thread)
		rt_access((uintptr_t)&s->thread->handover, sizeof(s->thread->handover), TRACE_RMW | TRACE_SYNC, RT_CALLER);
	rc = real(thread, attr, started, s);
	if (rc != 0)
		free(s);
	else
		rt_access((uintptr_t)thread, sizeof(*thread), TRACE_WRITE, RT_CALLER);
	return rc;
}

RT_EXPORT int pthread_join(pthread_t thread, void **result)
{
	REAL(pthread_join);
	int rc = real(thread, result);
	struct rt_thread *t = rc == 0 ? rt_thread_of(thread) : NULL;

	if (t)
		rt_access((uintptr_t)&t->handover, sizeof(t->handover), TRACE_RMW | TRACE_SYNC, RT_CALLER);
	return rc;
}

/* Taking: recorded when taken (a try records its attempt either way, for
 * a failed compare-and-swap still takes the line). */
#define TAKE(type, name)                      \
	RT_EXPORT int name(type *object)      \
	{                                     \
		REAL(name);                   \
		int rc = real(object);        \
		word(object, RT_CALLER);      \
		return rc;                    \
	}
/* Releasing: recorded before it happens. */
#define GIVE(type, name)                      \
	RT_EXPORT int name(type *object)      \
	{                                     \
		REAL(name);                   \
		word(object, RT_CALLER);      \
		return real(object);          \
	}
#define TAKE_TIMED(type, name)                                              \
	RT_EXPORT int name(type *object, const struct timespec *until)      \
	{                                                                   \
		REAL(name);                                                 \
		int rc = real(object, until);                               \
		word(object, RT_CALLER);                                    \
		return rc;                                                  \
	}

TAKE(pthread_mutex_t, pthread_mutex_lock)
TAKE(pthread_mutex_t, pthread_mutex_trylock)
TAKE_TIMED(pthread_mutex_t, pthread_mutex_timedlock)
GIVE(pthread_mutex_t, pthread_mutex_unlock)
TAKE(pthread_spinlock_t, pthread_spin_lock)
TAKE(pthread_spinlock_t, pthread_spin_trylock)
GIVE(pthread_spinlock_t, pthread_spin_unlock)
TAKE(pthread_rwlock_t, pthread_rwlock_rdlock)
TAKE(pthread_rwlock_t, pthread_rwlock_tryrdlock)
TAKE_TIMED(pthread_rwlock_t, pthread_rwlock_timedrdlock)
TAKE(pthread_rwlock_t, pthread_rwlock_wrlock)
TAKE(pthread_rwlock_t, pthread_rwlock_trywrlock)
TAKE_TIMED(pthread_rwlock_t, pthread_rwlock_timedwrlock)
GIVE(pthread_rwlock_t, pthread_rwlock_unlock)
TAKE(sem_t, sem_wait)
TAKE(sem_t, sem_trywait)
TAKE_TIMED(sem_t, sem_timedwait)
GIVE(sem_t, sem_post)

/* A barrier: each thread's arrival counts on its word, its departure
 * reads it. */
RT_EXPORT int pthread_barrier_wait(pthread_barrier_t *barrier)
{
	REAL(pthread_barrier_wait);
	int rc;

	word(barrier, RT_CALLER);
	rc = real(barrier);
	departure(barrier, RT_CALLER);
	return rc;
}

/* A condition: the wait releases the mutex, consumes a signal on the
 * condition's word, and takes the mutex again. */
RT_EXPORT int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
	REAL(pthread_cond_wait);
	int rc;

	word(mutex, RT_CALLER);
	rc = real(cond, mutex);
	word(cond, RT_CALLER);
	word(mutex, RT_CALLER);
	return rc;
}

RT_EXPORT int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex, const struct timespec *until)
{
	REAL(pthread_cond_timedwait);
	int rc;

	word(mutex, RT_CALLER);
	rc = real(cond, mutex, until);
	word(cond, RT_CALLER);
	word(mutex, RT_CALLER);
	return rc;
}

GIVE(pthread_cond_t, pthread_cond_signal)
GIVE(pthread_cond_t, pthread_cond_broadcast)

/* OpenMP (libgomp): parallel regions, critical sections, barriers and
 * locks that instrumented code calls. The unnamed critical section's lock,
 * the team's barrier and its start and end live inside libgomp: they are
 * recorded on words of the runtime's own, one line each, standing for
 * them. */
static struct {
	_Alignas(64) uint32_t critical;
	_Alignas(64) uint32_t atomic;
	_Alignas(64) uint32_t barrier;
	_Alignas(64) uint32_t team;
} gomp_words;

void GOMP_critical_start(void);
void GOMP_critical_end(void);
void GOMP_critical_name_start(void **lock);
void GOMP_critical_name_end(void **lock);
void GOMP_atomic_start(void);
void GOMP_atomic_end(void);
void GOMP_barrier(void);
void GOMP_loop_end(void);
void GOMP_sections_end(void);
void GOMP_parallel(void (*fn)(void *), void *data, unsigned threads, unsigned flags);
void GOMP_parallel_sections(void (*fn)(void *), void *data, unsigned threads, unsigned count, unsigned flags);
void GOMP_parallel_loop_static(void (*fn)(void *), void *data, unsigned threads, long start, long end,
			       long incr, long chunk, unsigned flags);
void GOMP_parallel_loop_dynamic(void (*fn)(void *), void *data, unsigned threads, long start, long end,
				long incr, long chunk, unsigned flags);
void GOMP_parallel_loop_guided(void (*fn)(void *), void *data, unsigned threads, long start, long end,
			       long incr, long chunk, unsigned flags);
void GOMP_parallel_loop_nonmonotonic_dynamic(void (*fn)(void *), void *data, unsigned threads, long start,
					     long end, long incr, long chunk, unsigned flags);
void GOMP_parallel_loop_nonmonotonic_guided(void (*fn)(void *), void *data, unsigned threads, long start,
					    long end, long incr, long chunk, unsigned flags);

#define GOMP_TAKE(name, standin)                      \
	RT_EXPORT void name(void)                     \
	{                                             \
		REAL(name);                           \
		real();                               \
		word(&gomp_words.standin, RT_CALLER); \
	}
#define GOMP_GIVE(name, standin)                      \
	RT_EXPORT void name(void)                     \
	{                                             \
		REAL(name);                           \
		word(&gomp_words.standin, RT_CALLER); \
		real();                               \
	}

/* The team's barrier, explicit or at the end of a worksharing loop or
 * sections: an arrival and a departure. */
#define GOMP_WAIT(name)                                    \
	RT_EXPORT void name(void)                          \
	{                                                  \
		REAL(name);                                \
		word(&gomp_words.barrier, RT_CALLER);      \
		real();                                    \
		departure(&gomp_words.barrier, RT_CALLER); \
	}

GOMP_TAKE(GOMP_critical_start, critical)
GOMP_GIVE(GOMP_critical_end, critical)
GOMP_TAKE(GOMP_atomic_start, atomic)
GOMP_GIVE(GOMP_atomic_end, atomic)
GOMP_WAIT(GOMP_barrier)
GOMP_WAIT(GOMP_loop_end)
GOMP_WAIT(GOMP_sections_end)

/* A parallel region: every member of the team, the master included, runs
 * FN through member(), which records its start after the master's release
 * and its end before the master's departure (libgomp returns to the
 * master once every member is done). The region lives on the master's
 * stack until then. */
struct region {
	void (*fn)(void *);
	void *data;
};

static void member(void *p)
{
	const struct region *r = p;

	departure(&gomp_words.team, 0);
	r->fn(r->data);
	word(&gomp_words.team, 0);
}

RT_EXPORT void GOMP_parallel(void (*fn)(void *), void *data, unsigned threads, unsigned flags)
{
	REAL(GOMP_parallel);
	struct region r = { fn, data };

	word(&gomp_words.team, RT_CALLER);
	real(member, &r, threads, flags);
	departure(&gomp_words.team, RT_CALLER);
}

RT_EXPORT void GOMP_parallel_sections(void (*fn)(void *), void *data, unsigned threads, unsigned count,
				      unsigned flags)
{
	REAL(GOMP_parallel_sections);
	struct region r = { fn, data };

	word(&gomp_words.team, RT_CALLER);
	real(member, &r, threads, count, flags);
	departure(&gomp_words.team, RT_CALLER);
}

#define GOMP_PARALLEL_LOOP(name)                                                                       \
	RT_EXPORT void name(void (*fn)(void *), void *data, unsigned threads, long start, long end,    \
			    long incr, long chunk, unsigned flags)                                     \
	{                                                                                              \
		REAL(name);                                                                            \
		struct region r = { fn, data };                                                        \
                                                                                                       \
		word(&gomp_words.team, RT_CALLER);                                                     \
		real(member, &r, threads, start, end, incr, chunk, flags);                             \
		departure(&gomp_words.team, RT_CALLER);                                                \
	}

GOMP_PARALLEL_LOOP(GOMP_parallel_loop_static)
GOMP_PARALLEL_LOOP(GOMP_parallel_loop_dynamic)
GOMP_PARALLEL_LOOP(GOMP_parallel_loop_guided)
GOMP_PARALLEL_LOOP(GOMP_parallel_loop_nonmonotonic_dynamic)
GOMP_PARALLEL_LOOP(GOMP_parallel_loop_nonmonotonic_guided)

RT_EXPORT void GOMP_critical_name_start(void **lock)
{
	REAL(GOMP_critical_name_start);
	real(lock);
	word(lock, RT_CALLER);
}

RT_EXPORT void GOMP_critical_name_end(void **lock)
{
	REAL(GOMP_critical_name_end);
	word(lock, RT_CALLER);
	real(lock);
}

/* OpenMP's locks: the lock object's word. */
void omp_set_lock(void *lock);
void omp_unset_lock(void *lock);
int omp_test_lock(void *lock);
void omp_set_nest_lock(void *lock);
void omp_unset_nest_lock(void *lock);
int omp_test_nest_lock(void *lock);

#define OMP_LOCK(set, unset, test)              \
	RT_EXPORT void set(void *lock)          \
	{                                       \
		REAL(set);                      \
		real(lock);                     \
		word(lock, RT_CALLER);          \
	}                                       \
	RT_EXPORT void unset(void *lock)        \
	{                                       \
		REAL(unset);                    \
		word(lock, RT_CALLER);          \
		real(lock);                     \
	}                                       \
	RT_EXPORT int test(void *lock)          \
	{                                       \
		REAL(test);                     \
		int rc = real(lock);            \
		word(lock, RT_CALLER);          \
		return rc;                      \
	}

OMP_LOCK(omp_set_lock, omp_unset_lock, omp_test_lock)
OMP_LOCK(omp_set_nest_lock, omp_unset_nest_lock, omp_test_nest_lock)
