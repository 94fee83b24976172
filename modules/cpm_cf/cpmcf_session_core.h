/*
 * cpm_cf: CPM Group Session state (issue 7 items 3, 11), pure code.
 *
 * A Group Session (seed 5.2) has a Group Session Identity (the URI the CF
 * allocated, returned as `Contact: <uri>;isfocus`), the initiator's
 * Conversation-ID and Contribution-ID (seed 5.3: carried unchanged to every
 * invitee), a Subject, and participants, each with its own dialog with the
 * focus (the CF is a B2BUA).  This file holds the records and the table
 * that finds them by identity (its user part) and by Contribution-ID (a
 * restart, client-dialects.md); it allocates through the caller's allocator
 * (shm in the module, malloc in the unit tests) and takes no lock: the glue
 * (cpmcf_session.c) locks the table's slot around every call.
 */
#ifndef CPMCF_SESSION_CORE_H
#define CPMCF_SESSION_CORE_H

#include <stddef.h>
#include "core/str.h"

/* bounds of what a session record keeps (longer values are refused) */
#define CPMCF_URI_MAX 256
#define CPMCF_NAME_MAX 128
#define CPMCF_ID_MAX 128 /* Call-ID, Conversation-ID, Contribution-ID */
#define CPMCF_TAG_MAX 64
#define CPMCF_SUBJECT_MAX 256

/* participant (endpoint) states, the RFC 4575 endpoint statuses rcsjta maps
 * (client-dialects.md) */
typedef enum cpmcf_pstate {
	CPMCF_P_DIALING_OUT = 0, /* the CF's INVITE is on its way */
	CPMCF_P_DIALING_IN,		 /* the participant's INVITE, 200 sent, no ACK */
	CPMCF_P_CONNECTED,		 /* dialog confirmed */
	CPMCF_P_DISCONNECTING,	 /* BYE / CANCEL sent or received: the glue owns
								the dialog for that last request */
	CPMCF_P_DISCONNECTED	 /* left (departed), declined or failed */
} cpmcf_pstate_t;

typedef struct cpmcf_part {
	char uri[CPMCF_URI_MAX];
	int uri_len;
	char display[CPMCF_NAME_MAX];
	int display_len;
	/* dialog id with the focus: Call-ID and the focus's own tag (To tag of
	 * the initiator's dialog, From tag of an invitation) */
	char callid[CPMCF_ID_MAX];
	int callid_len;
	char ltag[CPMCF_TAG_MAX];
	int ltag_len;
	cpmcf_pstate_t state;
	int initiator;
	int status;	 /* last final status of the CF's INVITE (0: none yet) */
	unsigned int since; /* when it entered its state (the glue's clock, s) */
	void *dlg;	 /* the glue's dialog record (tm dlg_t in shm) */
	/* the CF's INVITE transaction (tm hash index and label), for CANCEL */
	unsigned int t_index, t_label;
	/* pre-defined group: a key participant (XDM
	 * <is-key-participant>, CPM_XDM_P_KEY): with CPM_XDM_P_END_KEY_LEFT the
	 * session ends when the last one has left */
	int key;
	/* REFER and 1-1 extension (items 5 and 6): who REFERred this invitee (its
	 * Referred-By instead of the initiator's, RFC 3892) and the Replaces
	 * value of the 1-1 dialog it takes over (RFC 3891); NULL otherwise.
	 * Few participants have them: allocated on demand (the session's
	 * allocator, owned by the slot, freed when the slot is reused or the
	 * session freed; cpmcf_part_set_extra()), not 2 x 256 bytes in every
	 * slot */
	char *referrer;
	int referrer_len;
	char *replaces;
	int replaces_len;
	/* session timer (RFC 4028; issue 7 item 7): the interval agreed with
	 * this participant (0: none), whether the focus refreshes (1: it sends
	 * UPDATE at half the interval) or the participant (0: the focus sends
	 * BYE when no refresh came by the deadline of RFC 4028 10), when the
	 * session was last refreshed (the glue's clock, s), and a refresh of
	 * the focus in flight */
	unsigned int se;
	int se_focus;
	unsigned int se_last;
	int se_busy;
	/* -- end hook -- */
} cpmcf_part_t;

typedef struct cpmcf_sess {
	struct cpmcf_sess *next; /* in its table slot */
	unsigned int hash;
	int refcnt;				 /* the table's link counts one */
	int linked;
	int ended; /* session over: no new participant, BYEs going */
	char user[CPMCF_NAME_MAX]; /* identity's user part: the table key */
	int user_len;
	char identity[CPMCF_URI_MAX];
	int identity_len;
	char conv_id[CPMCF_ID_MAX];
	int conv_id_len;
	char contrib_id[CPMCF_ID_MAX];
	int contrib_id_len;
	char subject[CPMCF_SUBJECT_MAX];
	int subject_len;
	char initiator[CPMCF_URI_MAX];
	int initiator_len;
	/* the group feature tag of the initiator's dialect (client-dialects.md),
	 * for the invitations */
	int dialect_up;
	int max; /* participants allowed (the initiator included) */
	int n;	 /* participant slots used (disconnected ones stay, for 4575) */
	int cap;
	cpmcf_part_t *parts;
	unsigned int created;
	/* pre-defined group (seed 5.2, 6.1): the group's URI (the
	 * session's identity too; empty for an ad-hoc session) and its
	 * CPM_XDM_P_* policy (members' actions and flags, non-members'
	 * actions from bit 16), fixed when the session starts */
	char group[CPMCF_URI_MAX];
	int group_len;
	unsigned int gpolicy;
} cpmcf_sess_t;

typedef struct cpmcf_alloc {
	void *(*alloc)(size_t);
	void (*free)(void *);
} cpmcf_alloc_t;

typedef struct cpmcf_tab {
	unsigned int size; /* power of two */
	cpmcf_sess_t **slot;
	int count;
} cpmcf_tab_t;

/* the fields of a new session; str values may be empty */
typedef struct cpmcf_sess_init {
	str user, identity, conv_id, contrib_id, subject, initiator;
	int dialect_up;
	int max;
	str group; /* pre-defined group URI, empty for ad-hoc */
	unsigned int gpolicy;
} cpmcf_sess_init_t;

unsigned int cpmcf_hash(const str *user);
/* 0, -EINVAL (a value too long), -ENOMEM */
int cpmcf_sess_new(const cpmcf_alloc_t *a, const cpmcf_sess_init_t *in,
		cpmcf_sess_t **out);
void cpmcf_sess_free(const cpmcf_alloc_t *a, cpmcf_sess_t *s);

/* a participant: its index, -EEXIST (the URI is already an active
 * participant), -E2BIG (the session is full: max active participants),
 * -EINVAL, -ENOMEM */
int cpmcf_part_add(const cpmcf_alloc_t *a, cpmcf_sess_t *s, const str *uri,
		const str *display, int initiator, cpmcf_pstate_t state);
int cpmcf_part_set_dialog(cpmcf_sess_t *s, int i, const str *callid,
		const str *ltag);
/* participant i's referrer (CPMCF_X_REFERRER) or Replaces value
 * (CPMCF_X_REPLACES): a copy owned by the slot (an earlier value is freed;
 * an empty v clears it).  0, -EINVAL (i out of range, longer than
 * CPMCF_URI_MAX), -ENOMEM */
#define CPMCF_X_REFERRER 0
#define CPMCF_X_REPLACES 1
int cpmcf_part_set_extra(const cpmcf_alloc_t *a, cpmcf_sess_t *s, int i,
		int which, const str *v);
/* index of the participant of this dialog / URI (any state), or -ENOENT */
int cpmcf_part_by_dialog(const cpmcf_sess_t *s, const str *callid,
		const str *ltag);
int cpmcf_part_by_uri(const cpmcf_sess_t *s, const str *uri);
/* participants not disconnected (nor disconnecting) */
int cpmcf_active(const cpmcf_sess_t *s);
const char *cpmcf_pstate_name(cpmcf_pstate_t st);

/* table: 0 or -ENOMEM; sizes are rounded up to a power of two */
int cpmcf_tab_init(const cpmcf_alloc_t *a, cpmcf_tab_t *t, unsigned int size);
void cpmcf_tab_destroy(const cpmcf_alloc_t *a, cpmcf_tab_t *t);
unsigned int cpmcf_tab_slot(const cpmcf_tab_t *t, unsigned int hash);
/* links s (sets its hash); -EEXIST when the user is taken */
int cpmcf_tab_link(cpmcf_tab_t *t, cpmcf_sess_t *s);
cpmcf_sess_t *cpmcf_tab_find(const cpmcf_tab_t *t, const str *user);
/* in slot i only (the glue locks one slot at a time), not ended */
cpmcf_sess_t *cpmcf_tab_find_contrib(const cpmcf_tab_t *t, unsigned int i,
		const str *contrib_id);
/* unlinks s; returns 1 when the table's reference was the last one */
int cpmcf_tab_unlink(cpmcf_tab_t *t, cpmcf_sess_t *s);

#endif
