/*
 * pbxsim: a scriptable ISDN PRI peer on DAHDI (private header).
 *
 * One process drives one D-channel through tdm/pri and runs one scenario
 * (tdm/pbxsim/README): commands that act (call, answer, hangup, tone...)
 * and expectations that wait, with a timeout, for what the far end does.
 * Everything runs in libre's single-threaded loop.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PBXSIM_H
#define PBXSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <re.h>
/* spandsp states are embedded in their owners (one allocation model) */
#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>
#include "common/tonemeter.h"
#include "tdm/pri/tdmpri.h"

struct pbxsim;

/* ---- script.c: the scenario language -------------------------------- */

enum { CMD_MAXARGS = 16 };

struct cmd {
	int line;
	int argc;
	char *argv[CMD_MAXARGS];   /* argv[0] is the command */
};

struct script {
	struct cmd *cmds;
	size_t n;
	char *name;                /* file name or "-e" */
};

int  script_parse(struct script **sp, const char *text, const char *name);
int  script_unescape(char *buf, size_t size, const char *s);
const char *cmd_opt(const struct cmd *c, const char *key);
const char *cmd_pos(const struct cmd *c, int i);
int  cmd_npos(const struct cmd *c);
bool cmd_flag(const struct cmd *c, const char *key);
int  cmd_num(const struct cmd *c, const char *key, double *vp);
int  cmd_int(const struct cmd *c, const char *key, int *vp);

/* ---- log.c: timestamped log lines and Q.931 names ------------------- */

void sim_log(const struct pbxsim *p, const char *fmt, ...);
int  sim_ton_parse(int *tonp, const char *s);
int  sim_npi_parse(int *npip, const char *s);
int  sim_pres_parse(int *presp, const char *s);
const char *sim_ton_name(int plan);
const char *sim_npi_name(int plan);
const char *sim_pres_name(int pres);

/* ---- cadence.c: pure DSP: a cadenced tone's on/off times and pitch -- */

enum { CADENCE_MAX = 8, CADENCE_SPEC = 4000 };

struct cadence_meter {
	unsigned want;             /* whole on/off cycles to measure */
	double thresh_dbm0;        /* a slice above this is "on" */
	bool on, seen_off, armed, done;
	uint64_t pos, edge;        /* samples: now, the last edge */
	uint64_t change;           /* a change of state began here; 0 none */
	unsigned quiet;            /* samples of silence before the start */
	unsigned non, noff;
	double on_ms[CADENCE_MAX], off_ms[CADENCE_MAX];
	int16_t spec[CADENCE_SPEC]; /* the first on period, for the pitch */
	unsigned nspec;
};

void cadence_init(struct cadence_meter *m, unsigned cycles,
		  double thresh_dbm0);
void cadence_feed(struct cadence_meter *m, const int16_t *s, size_t n);
void cadence_freqs(const struct cadence_meter *m, double *f1, double *f2);

/* ---- hybrid.c: a simulated line hybrid's echo ----------------------- */

enum { HYBRID_RING = 8192 };   /* samples of history: about 1 s */

struct hybrid {
	bool on;
	float gain;                /* linear */
	unsigned delay;            /* samples */
	int16_t ring[HYBRID_RING];
	uint64_t w;                /* samples received so far */
};

int  hybrid_set(struct hybrid *h, double gain_db, double delay_ms);
void hybrid_in(struct hybrid *h, const int16_t *s, size_t n);
void hybrid_mix(struct hybrid *h, int16_t *out, size_t n);

/* tone_expect.c: `expect cadence|nocadence` */
int  cadence_check(const struct cmd *c);

/* ---- audio.c: the B-channel: play queue, tone meter, DTMF receiver --- */

struct audio;

int  audio_alloc(struct audio **ap, struct pbxsim *p, int channo);
int  audio_play_tone(struct audio *a, double freq, double level,
		     double dur_s);
int  audio_play_dtmf(struct audio *a, const char *digits, double level,
		     int on_ms, int off_ms);
int  audio_play_silence(struct audio *a, double dur_s);
bool audio_playing(const struct audio *a);
void audio_measure_start(struct audio *a, double dur_s);
void audio_measure_gaps(struct audio *a);
void audio_measure_onset(struct audio *a, double hz);
const struct tone_meter *audio_meter(const struct audio *a);
const char *audio_digits(const struct audio *a);
void audio_digits_consume(struct audio *a, size_t n);
void audio_set_echo(struct audio *a, bool echo);
void audio_cadence_start(struct audio *a, unsigned cycles);
int  audio_set_hybrid(struct audio *a, double gain_db, double delay_ms);
const struct cadence_meter *audio_cadence(const struct audio *a);

/* ---- call.c: libpri events; calls.c: the call list ----------------- */

enum sim_ev {
	EV_SETUP, EV_SETUP_ACK, EV_PROCEEDING, EV_ALERTING, EV_PROGRESS,
	EV_CONNECT, EV_CONNECT_ACK, EV_INFO, EV_DISCONNECT, EV_RELEASE,
	EV_CLEARED, EV_RESTART, EV_RESTART_ACK, EV_DCHAN_UP, EV_DCHAN_DOWN,
	EV_ALARM, EV_NOALARM, EV_BADFCS, EV_NOTIFY, EV_OTHER,
};

/* What one event said, copied out of libpri's pri_event */
struct sim_event {
	struct le le;
	enum sim_ev type;
	unsigned callid;           /* the call it belongs to, 0 for none */
	int cause;
	int chan;                  /* timeslot, -1 if none */
	int progress;              /* progress indicator value, -1 if none */
	int complete;
	int exclusive;             /* setup: 1 exclusive, 0 preferred */
	int notify;                /* Q.931 §4.5.22 description, -1 if none */
	int calledplan, callingplan, callingpres;
	char called[64], calling[64];
};

struct load;

/*
 * One call, in struct pbxsim's list.  An automatic call (autoanswer or
 * load) runs without the script: its events are not queued for `expect`.
 */
struct call {
	struct le le;
	struct pbxsim *p;
	unsigned id;               /* 1, 2, ... in order of creation */
	q931_call *c;
	bool incoming;
	bool answered;             /* CONNECT sent or received */
	bool hungup;               /* we sent DISCONNECT (or refused it) */
	bool refused;              /* we refused the incoming SETUP */
	bool automatic;
	int chan;                  /* B-channel timeslot, -1 none */
	char called[64];           /* including overlap digits */
	struct audio *audio;
	struct tmr tmr;            /* autoanswer ring and hold, load hold */
	struct load *load;         /* the load run that placed it */
	uint64_t t_setup_us;       /* SETUP sent (monotonic clock) */
};

/* Calls counted since start (README: `stats`) */
struct sim_stats {
	unsigned offered;          /* SETUPs received */
	unsigned answered;         /* incoming calls we answered */
	unsigned refused;          /* incoming calls we refused */
	unsigned placed;           /* SETUPs sent */
	unsigned connected;        /* outgoing calls the far end answered */
	unsigned failed;           /* ended unanswered, not by our refusal */
	unsigned cleared_local;    /* answered calls we cleared first */
	unsigned cleared_remote;   /* answered calls the far end cleared */
	unsigned active;           /* calls now */
	unsigned peak;             /* most calls at once (SETUP sent or
	                              accepted) */
	unsigned restarted;        /* calls a RESTART received dropped */
};

/* What a SETUP we send says */
struct setup_prm {
	const char *called;
	const char *calling;       /* NULL: none */
	int plan, cplan, pres;     /* Q.931 §4.5.8/§4.5.10 octets 3, 3a */
	int chan;                  /* timeslot; 0: hunt a free one */
	bool exclusive;
	bool complete;             /* Sending Complete */
	struct load *load;         /* placed by this load run: automatic */
};

const char *sim_ev_name(enum sim_ev ev);
int  sim_ev_parse(enum sim_ev *evp, const char *name);
void call_event(const pri_event *ev, void *arg);
void call_chan_open(struct call *call, int chan);
void call_dahdi_event(int event, void *arg);
void call_log(const struct call *call, const char *fmt, ...);
void call_cleared_queue(struct call *call);
void call_refused_here(struct call *call, const char *why);

int  call_new(struct call **callp, struct pbxsim *p, q931_call *c,
	      bool incoming);
void call_end(struct call *call, int cause);
void call_counted(struct call *call);
struct call *call_find(const struct pbxsim *p, const q931_call *c);
struct call *call_by_id(const struct pbxsim *p, unsigned id);
struct call *call_current(const struct pbxsim *p);
bool chan_busy(const struct pbxsim *p, int chan, const struct call *except);
int  chan_hunt(const struct pbxsim *p);
uint32_t chan_all(const struct pbxsim *p);
uint64_t chan_restarts_quiet(const struct pbxsim *p, uint64_t window);
bool calls_clearing(const struct pbxsim *p);
void stats_log(const struct pbxsim *p);
int  stats_get(const struct sim_stats *st, const char *name,
	       unsigned *vp);

int  call_setup(struct call **callp, struct pbxsim *p,
		const struct setup_prm *prm);
int  call_place(struct pbxsim *p, const struct cmd *c);
int  call_respond(struct pbxsim *p, struct call *call, const struct cmd *c);
int  call_answer(struct call *call);
int  call_reject(struct call *call, int cause);
int  call_hangup(struct call *call, int cause);
void call_hangup_all(struct pbxsim *p);
int  call_info(struct call *call, const char *digits);
int  call_keypad(struct call *call, const char *digits);
int  call_notify(struct call *call, const char *what);
int  call_restart(struct pbxsim *p, int chan);
int  call_restart_all(struct pbxsim *p);
void call_drop_restarted(struct pbxsim *p, int chan);

/* ---- auto.c: answering incoming calls without the script ------------ */

struct autoanswer {
	bool on;
	int ring_ms;               /* ALERTING to CONNECT */
	int hold_ms;               /* CONNECT to our DISCONNECT, 0 never */
	int reject;                /* refuse every SETUP with this cause */
	bool echo;                 /* loop the B-channel audio back */
};

int  autoanswer_set(struct pbxsim *p, const struct cmd *c);
void autoanswer_setup(struct call *call);

/* ---- load.c: the call generator ------------------------------------- */

int  load_start(struct pbxsim *p, const struct cmd *c);
bool load_done(const struct load *l);
bool load_ok(const struct load *l);
int  load_get(const struct load *l, const char *name, unsigned *vp);
void load_connected(struct call *call);
void load_ended(struct call *call, int cause);
void load_abort(struct load *l, const char *why);
double load_wait_s(const struct load *l);

/* ---- expect.c: match queued events against an expectation ----------- */

enum step { STEP_DONE, STEP_WAIT, STEP_FAIL };

int  expect_event_check(const struct cmd *c);
bool expect_event_match(struct pbxsim *p, const struct cmd *c, char *why,
			size_t whysz, bool *failp);
int  expect_counts_check(const struct cmd *c, const char *name);
enum step cadence_poll(struct pbxsim *p, const struct cmd *c,
		       const struct cadence_meter *m, bool expired);
enum step expect_counts_poll(struct pbxsim *p, const struct cmd *c,
			     bool expired);

/* ---- run.c: the interpreter ----------------------------------------- */

struct pbxsim {
	char name[32];             /* "span1", used in every log line */
	struct prilink *link;
	int node;                  /* PRI_NETWORK or PRI_CPE */
	struct script *script;
	size_t pc;                 /* next command */
	const struct cmd *waiting; /* the command being waited for */
	uint64_t wait_until;       /* tmr_jiffies() deadline, 0 = none */
	uint64_t t0;
	struct tmr tmr_run;        /* kicks the interpreter from the loop */
	struct tmr tmr_wait;       /* the current command's deadline */
	struct list events;        /* struct sim_event, oldest first */
	struct list calls;         /* struct call, oldest first */
	struct call *cur;          /* the current call (README), or NULL */
	unsigned next_id;
	unsigned max_calls;        /* --max-calls, 0 = no limit */
	struct sim_stats stats;
	struct autoanswer aa;
	struct load *load;         /* the last load run */
	bool up;                   /* D-channel up */
	bool noclear;              /* leave DISCONNECT/RELEASE unanswered */
	uint64_t up_since;
	uint32_t restarts;         /* bit n: the far end restarted timeslot
	                              n since the D-channel was last down */
	uint64_t restart_last;     /* the last RESTART received, jiffies */
	double settle;             /* seconds to wait after DCHAN_UP */
	int exit_code;             /* -1 while running */
	int nfail;
};

void run_kick(struct pbxsim *p);
int  run_start(struct pbxsim *p);
int  run_check(const struct script *s);
void run_fail(struct pbxsim *p, const struct cmd *c, const char *fmt, ...);
uint64_t sim_usec(void);

#endif
