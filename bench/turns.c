/* Two tasks taking turns on one PU (see turns.h). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compiler.h"
#include "interrupt.h"
#include "timer.h"
#include "turns.h"
#include "xalloc.h"

const char *const turns_task_names[TURNS_NTASKS] = { [TURNS_PROCESS] = "process", [TURNS_THREAD] = "thread" };
const char *const turns_handoff_names[TURNS_NHANDOFFS] = { [TURNS_PIPE] = "pipe", [TURNS_FUTEX] = "futex" };

/* Whose turn it is (the futex word); QUIT tells the partner to end. */
enum { TURN_CALLER, TURN_PARTNER, TURN_QUIT };

/* Shared with the partner: a mapping of its own, so that a partner
 * process sees the same page. */
struct turns_shared {
	atomic_uint turn;
	atomic_uint_fast64_t competitor;
	atomic_bool quit;
};

struct turns {
	enum turns_tasks tasks;
	enum turns_handoff handoff;
	struct turns_shared *shared;
	int to_partner[2], to_caller[2], own[2]; /* pipes; OWN for the overhead */
	uint64_t max_bytes;
	unsigned line;
	pid_t pid;
	pthread_t thread;
	bool started;
};

static long futex(atomic_uint *word, int op, unsigned value, bool private_futex)
{
	return syscall(SYS_futex, word, op | (private_futex ? FUTEX_PRIVATE_FLAG : 0), value, NULL, NULL, 0);
}

/* A thread's futex is private to its process, as pthreads makes it. */
static bool private_futex(const struct turns *t)
{
	return t->tasks == TURNS_THREAD;
}

/* Gives the turn from ME to the other; false when the partner was told to
 * quit in the meantime (the partner's turn was taken back). */
static bool give(struct turns *t, unsigned me)
{
	char byte = 0;

	if (t->handoff == TURNS_PIPE)
		return write(me == TURN_CALLER ? t->to_partner[1] : t->to_caller[1], &byte, 1) == 1;
	{
		unsigned expected = me;

		if (!atomic_compare_exchange_strong(&t->shared->turn, &expected, me == TURN_CALLER ? TURN_PARTNER : TURN_CALLER))
			return false;
	}
	futex(&t->shared->turn, FUTEX_WAKE, 1, private_futex(t));
	return true;
}

/* Waits until it is ME's turn; false when told to quit or, for the caller,
 * when a signal asks to stop. */
static bool take(struct turns *t, unsigned me)
{
	if (t->handoff == TURNS_PIPE) {
		char byte;
		ssize_t got;

		while ((got = read(me == TURN_CALLER ? t->to_caller[0] : t->to_partner[0], &byte, 1)) < 0 &&
		       errno == EINTR)
			if (me == TURN_CALLER && interrupt_requested())
				return false;
		return got == 1 && !atomic_load(&t->shared->quit);
	}
	for (;;) {
		unsigned turn = atomic_load(&t->shared->turn);

		if (turn == me)
			return true;
		if (turn == TURN_QUIT || (me == TURN_CALLER && interrupt_requested()))
			return false;
		futex(&t->shared->turn, FUTEX_WAIT, turn, private_futex(t));
	}
}

/* The partner's turns: read the competitor's lines, give the turn back. */
static void partner_loop(struct turns *t)
{
	unsigned char *memory = mmap(NULL, t->max_bytes ? t->max_bytes : 1, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t touched = 0;

	while (take(t, TURN_PARTNER)) {
		uint64_t bytes = atomic_load(&t->shared->competitor), sum = 0;

		if (memory != MAP_FAILED) {
			if (bytes > touched) {
				memset(memory + touched, 1, bytes - touched);
				touched = bytes;
			}
			for (uint64_t at = 0; at < bytes; at += t->line)
				sum += *(volatile unsigned char *)(memory + at);
			ML_OPAQUE(sum);
		}
		if (!give(t, TURN_PARTNER))
			break;
	}
	if (memory != MAP_FAILED)
		munmap(memory, t->max_bytes ? t->max_bytes : 1);
}

static void *partner_thread(void *arg)
{
	partner_loop(arg);
	return NULL;
}

static void close_pair(int fd[2])
{
	for (int i = 0; i < 2; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	fd[0] = fd[1] = -1;
}

static void turns_free(struct turns *t)
{
	close_pair(t->to_partner);
	close_pair(t->to_caller);
	close_pair(t->own);
	if (t->shared)
		munmap(t->shared, sizeof(*t->shared));
	free(t);
}

static int start_process(struct turns *t, struct ml_error *err)
{
	pid_t parent = getpid();

	t->pid = fork();
	if (t->pid < 0) {
		ml_error_set(err, "timeshare: cannot start a second process: %s", strerror(errno));
		return -1;
	}
	if (t->pid == 0) {
		/* The partner ends with its parent, however that ends; and a
		 * Ctrl-C at the terminal, which reaches both, is the parent's to
		 * handle. */
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_DFL);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		close(t->to_partner[1]);
		close(t->to_caller[0]);
		partner_loop(t);
		_exit(0);
	}
	return 0;
}

struct turns *turns_start(enum turns_tasks tasks, enum turns_handoff handoff, uint64_t max_bytes,
			  unsigned line, struct ml_error *err)
{
	struct turns *t = xcalloc(1, sizeof(*t));
	int rc;

	*t = (struct turns){ .tasks = tasks, .handoff = handoff, .max_bytes = max_bytes, .line = line ? line : 64,
			     .to_partner = { -1, -1 }, .to_caller = { -1, -1 }, .own = { -1, -1 } };
	t->shared = mmap(NULL, sizeof(*t->shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (t->shared == MAP_FAILED) {
		t->shared = NULL;
		ml_error_set(err, "timeshare: cannot map a shared page: %s", strerror(errno));
		turns_free(t);
		return NULL;
	}
	atomic_init(&t->shared->turn, TURN_CALLER);
	atomic_init(&t->shared->competitor, 0);
	atomic_init(&t->shared->quit, false);
	if (pipe2(t->to_partner, O_CLOEXEC) < 0 || pipe2(t->to_caller, O_CLOEXEC) < 0 || pipe2(t->own, O_CLOEXEC) < 0) {
		ml_error_set(err, "timeshare: cannot make a pipe: %s", strerror(errno));
		turns_free(t);
		return NULL;
	}
	if (tasks == TURNS_PROCESS) {
		rc = start_process(t, err);
	} else {
		rc = pthread_create(&t->thread, NULL, partner_thread, t);
		if (rc != 0)
			ml_error_set(err, "timeshare: cannot start a second thread: %s", strerror(rc));
	}
	if (rc != 0) {
		turns_free(t);
		return NULL;
	}
	t->started = true;
	return t;
}

void turns_set_competitor(struct turns *t, uint64_t bytes)
{
	atomic_store(&t->shared->competitor, bytes < t->max_bytes ? bytes : t->max_bytes);
}

int turns_pass(struct turns *t, struct ml_error *err)
{
	/* A signal that came while the caller ran, not while it waited. */
	if (interrupt_check(err))
		return -1;
	if (give(t, TURN_CALLER) && take(t, TURN_CALLER))
		return 0;
	if (!interrupt_check(err))
		ml_error_set(err, "timeshare: the second %s stopped taking its turns", turns_task_names[t->tasks]);
	return -1;
}

double turns_overhead_ns(struct turns *t, uint64_t n)
{
	uint64_t start = timer_now_ns();
	char byte = 0;

	for (uint64_t i = 0; i < 2 * n; i++) {
		if (t->handoff == TURNS_PIPE) {
			if (write(t->own[1], &byte, 1) != 1 || read(t->own[0], &byte, 1) != 1)
				return 0;
		} else {
			/* Nobody waits on OWN's word, and it never holds TURN_QUIT. */
			static atomic_uint own_word = TURN_CALLER;

			futex(&own_word, FUTEX_WAKE, 1, private_futex(t));
			futex(&own_word, FUTEX_WAIT, TURN_QUIT, private_futex(t));
		}
	}
	return (double)(timer_now_ns() - start) / (double)n;
}

void turns_stop(struct turns *t)
{
	char byte = 0;

	if (!t)
		return;
	if (t->started) {
		atomic_store(&t->shared->quit, true);
		if (t->handoff == TURNS_PIPE) {
			if (write(t->to_partner[1], &byte, 1) != 1 && t->tasks == TURNS_PROCESS)
				kill(t->pid, SIGKILL);
		} else {
			atomic_store(&t->shared->turn, TURN_QUIT);
			futex(&t->shared->turn, FUTEX_WAKE, 1, private_futex(t));
		}
		if (t->tasks == TURNS_PROCESS)
			while (waitpid(t->pid, NULL, 0) < 0 && errno == EINTR)
				;
		else
			pthread_join(t->thread, NULL);
	}
	turns_free(t);
}
