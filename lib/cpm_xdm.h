/*
 * cpm_xdm: the OMA XDM shared group document ([OMA-XDM-Group], the
 * "org.openmobilealliance.groups" application usage; seed 5.2: "A CPM
 * Pre-defined Group is a 'Shared Group' as described in [OMA-XDM-Group]")
 * into pure structs for the CF's pre-defined groups, and its printer.
 *
 * Sources used (OMA's own XSDs are not in this repository):
 * - the list-service-type schema fragment reproduced in the MCOP MCPTT
 *   client (UPV/EHU, ListServiceType.java, from
 *   OMA-SUP-XSD_poc_listService-V1_0_x): <list-service uri> (required)
 *   holding [<display-name>] [<list>] [<invite-members> xs:boolean]
 *   [<max-participant-count> xs:nonNegativeInteger] and ##other (the
 *   common-policy <cr:ruleset>, OMA/3GPP extensions);
 * - Nokia's S60 XDM engine, XcapPocGroupUsage.cpp ("Used specification
 *   OMA-TS-PoC_XDM-V1_0-20060609-A"): root <group> with only
 *   <list-service> children; <entry> / <external> are rl:entryType /
 *   rl:externalType "but use default namespace", an entry's display-name
 *   is rl:display-name; <is-list-member> is an empty condition (a boolean
 *   before Nov 2005); the actions <allow-conference-state>,
 *   <allow-invite-users-dynamically>, <join-handling> (xs:boolean since
 *   Jan 2006, "allow" / "block" before), <allow-initiate-conference>,
 *   <allow-anonymity>, <is-key-participant> are xs:boolean; conditions
 *   and actions sit in an RFC 4745 <cr:ruleset>, conditions may also be
 *   OMA common policy (urn:oma:xml:xdm:common-policy, <other-identity>);
 * - 3GPP TS 24.481 (MCPTT group management, which reuses this document)
 *   clause 7.2.2 / A.2 as quoted in public MCPTT servers: same root and
 *   namespace, media type application/vnd.oma.poc.groups+xml;
 * - RFC 4745 10.2: boolean actions of all matching rules combine by OR.
 *
 * Document (namespace urn:oma:xml:poc:list-service unless prefixed):
 *
 *   <group>          = 1*<list-service>
 *   <list-service uri=anyURI> = [<display-name>] [<list>]
 *                      [<invite-members>bool] [<max-participant-count>n]
 *                      [<cr:ruleset>] ##other
 *   <list>           = *(<entry uri> [<rl:display-name>] </entry> /
 *                        <external anchor>)       ; entry also as rl:entry
 *   <cr:ruleset>     = *<cr:rule id> [<cr:conditions>] [<cr:actions>]
 *   conditions       = <is-list-member/> / <cr:identity><cr:one id=uri/>
 *                      ...</cr:identity> / <ocp:other-identity/>
 *   actions          = <allow-conference-state>bool
 *                      <allow-invite-users-dynamically>bool
 *                      <join-handling>bool|"allow"|"block"
 *                      <allow-initiate-conference>bool
 *                      <allow-anonymity>bool <is-key-participant>bool
 *
 * How rules become policy (RFC 4745: all conditions of a rule must hold, no
 * conditions match everyone; booleans of matching rules OR together):
 * - a rule whose conditions are only <is-list-member/> (or none) gives its
 *   actions to every member: cpm_xdm_group_t.policy;
 * - a rule with <cr:identity> gives its actions to the members it names
 *   (<cr:one id>): cpm_xdm_member_t.policy (which also holds the group's);
 * - a rule with <ocp:other-identity/> (or none) gives its actions to
 *   non-members: other_policy (a non-member joining / starting);
 * - a rule with any other condition (<cr:many>, <cr:sphere>, validity,
 *   external lists, ...) is ignored: this CF cannot evaluate it and grants
 *   nothing it does not understand.
 *
 * How a group session ends: OMA XDM Group / PoC XDM has no "end when"
 * element; the end is expressed through key participants
 * (<is-key-participant>): when any member is one, CPM_XDM_P_END_KEY_LEFT
 * is set and the CF ends the session when the last key participant has
 * left; otherwise the session lives while two participants remain (seed
 * 5.2: "the ending of the session depends on the conditions set in the
 * policy of that group"; issue 7 item 7: fewer than two participants end
 * it).  This reading of is-key-participant is ours (the OMA text was not
 * available); docs/development.md states it.
 *
 * Domain placeholder: a group file shipped with the project (cfg/
 * demo-groups.xml) names its URIs with the host CPM_XDM_DOMAIN_PLACEHOLDER
 * ("domain.invalid": RFC 6761 reserves .invalid, so it never names a real
 * host); the importer calls cpm_xdm_expand() with the served domain, which
 * replaces exactly that host (any case) in every group and member URI.
 *
 * Through lib/cpm_xml (hardened; start-up / RPC limits: 1 MiB, 100,000
 * elements); strings copied into the caller's buf (CPM_XDM_BUF_SIZE(len)
 * suffices), the tree freed before returning.  Errors: -EINVAL, -ENOSPC,
 * -E2BIG (more groups / members than the arrays hold), -EBADMSG (no uri on
 * a list-service or entry, a bad boolean / count, two list-services with
 * one URI), -ENOMSG (another root / namespace), -EPERM / -EMLINK (DOCTYPE
 * / entities, as cpm_rl_classify_doctype), cpm_xml's other codes.
 */
#ifndef CPM_XDM_H
#define CPM_XDM_H

#include <errno.h>

#include "cpm_lex.h"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

#define CPM_XDM_XMLNS "urn:oma:xml:poc:list-service"
#define CPM_XDM_RL_XMLNS "urn:ietf:params:xml:ns:resource-lists"
#define CPM_XDM_CP_XMLNS "urn:ietf:params:xml:ns:common-policy"
#define CPM_XDM_OCP_XMLNS "urn:oma:xml:xdm:common-policy"
#define CPM_XDM_CONTENT_TYPE "application/vnd.oma.poc.groups+xml"
#define CPM_XDM_DOMAIN_PLACEHOLDER "domain.invalid"

#define CPM_XDM_BUF_SIZE(len) ((len) + 16)
#define CPM_XDM_MAX_DOC (1024 * 1024)

/* policy bits, each from one XDM element (see above for which rule gives
 * them to whom) */
#define CPM_XDM_P_CONF_STATE 0x01 /* <allow-conference-state>: may SUBSCRIBE
                                     to the conference event package */
#define CPM_XDM_P_DYN_INVITE 0x02 /* <allow-invite-users-dynamically>: may
                                     add users (REFER) */
#define CPM_XDM_P_JOIN 0x04       /* <join-handling> true / "allow": may join
                                     a running session */
#define CPM_XDM_P_START 0x08      /* <allow-initiate-conference>: may start
                                     the group's session */
#define CPM_XDM_P_ANONYMITY 0x10  /* <allow-anonymity>: may take part
                                     anonymously (seed 6.3) */
#define CPM_XDM_P_KEY 0x20        /* <is-key-participant>: a key participant */
#define CPM_XDM_P_ACTIONS 0x3f    /* the per-participant actions above */
#define CPM_XDM_P_INVITE_MEMBERS 0x100 /* <invite-members>true: the CF
                                          invites the members on start */
#define CPM_XDM_P_END_KEY_LEFT 0x200   /* some member is a key participant:
                                          the session ends when the last
                                          key participant has left */

typedef struct cpm_xdm_member {
	cpm_str_t uri, display_name;
	/* added */
	unsigned policy; /* CPM_XDM_P_ACTIONS bits this member has (the group's
	                    member actions included) */
} cpm_xdm_member_t;

typedef struct cpm_xdm_group {
	cpm_str_t uri, display_name;
	int max_participants;   /* 0: not given */
	unsigned policy;        /* CPM_XDM_P_* bits: members may start/join, anonymity allowed,
	                           invite members on start, dynamic invite (REFER) allowed, ends when initiator
	                           leaves ... (R documents each bit with the XDM element it comes from) */
	int n_members;
	cpm_xdm_member_t *members; /* into the caller's array */
	/* added */
	unsigned other_policy;  /* CPM_XDM_P_ACTIONS for users who are not
	                           members (<ocp:other-identity/>) */
	int skipped;            /* <external> entries and rules not understood */
} cpm_xdm_group_t;

/* the number of groups (list-service elements) in the document; members
 * of group i follow those of group i - 1 in m; duplicates (cpm_rl_uri_eq)
 * within a group removed, the first kept */
int cpm_xdm_parse(const char *s, int len, cpm_xdm_group_t *g, int max_groups, cpm_xdm_member_t *m,
		int max_members, char *buf, int size);      /* number of groups */

/* Printer: one <group> with a <list-service> per group, <invite-members>
 * and <max-participant-count> when set, a <cr:ruleset> holding a rule
 * "members" (<is-list-member/>, the group's actions), a rule per member
 * with actions beyond the group's (<cr:identity><cr:one id>), a rule
 * "others" (<ocp:other-identity/>) when other_policy is set.  -EINVAL for
 * what would not parse back equal: a bad URI, CTL / bad UTF-8 / edge white
 * space in a name, a member lacking one of the group's actions, END_KEY_LEFT
 * not matching "some member is key", a duplicate URI.  The length, -ENOSPC. */
int cpm_xdm_print(const cpm_xdm_group_t *g, int n, char *buf, int size);

/* uri with its host replaced by domain when the host is
 * CPM_XDM_DOMAIN_PLACEHOLDER (any case), else copied; into out (NUL
 * terminated).  The length, -ENOSPC, -EINVAL. */
int cpm_xdm_uri_expand(const char *uri, int len, const char *domain, int dlen,
		char *out, int size);

/* cpm_xdm_uri_expand() on every group and member URI of a parse result,
 * the views moved into buf.  0, -ENOSPC, -EINVAL. */
int cpm_xdm_expand(cpm_xdm_group_t *g, int n, const char *domain, int dlen,
		char *buf, int size);

/* the effective actions of uri in group g: the member's policy when uri is
 * a member (cpm_rl_uri_eq), else other_policy */
unsigned cpm_xdm_policy_of(const cpm_xdm_group_t *g, const char *uri, int len);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif
