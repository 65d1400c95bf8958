import type { PlannedStep } from './dry-run.js';
import type { UserExplanation } from './explain-user.js';
import { unmarked } from './sign-in.js';

/**
 * Can this user sign in as mapped, and if not, the first thing that stops it and its fix in one line.
 * - checked false: something could not be read or decided (a retryable error): exit 2;
 * - canSignIn: the identity exists, is in every group the mapping wants and in no other managed group, and the
 *   application assignment the mode needs exists (nothing for a sync to change): exit 0; else exit 1.
 */
export interface SignInVerdict {
  checked: boolean;
  canSignIn: boolean;
  /** CAN_SIGN_IN, or what stops it: an error code of the sync (NO_EMAIL, PROTECTED_IDENTITY, ...) or a state below. */
  code: string;
  summary: string;
  fix?: string;
  /** Not as mapped, but it signs in through a group it has (a group missing, unassigned or extra). */
  partial?: boolean;
}

const APPLY = 'run this command with --apply';

/** One-line fixes for the codes whose sync error message is long; the others show the sync's own message. */
const FIXES: Record<string, string> = {
  NO_EMAIL: `give the user an email in Connect, then ${APPLY}`,
  SIGN_IN_NAME_INVALID: 'a Connect Username cannot be changed: re-create the Connect user with a Username of 2-64 letters, digits and _+=,.@-',
  PROTECTED_IDENTITY:
    'the Identity Center user with this email is in a protected group (PROTECTED_GROUPS) and is never linked: give the Connect user its own email, or manage this person by hand',
  IDENTITY_ALREADY_LINKED: 'another Connect user is linked to the Identity Center user with this email: give this Connect user its own email',
};

/** The same fixes where a SAML instance keys the identity by the sign-in name (the Username, which cannot change). */
const SAML_FIXES: Record<string, string> = {
  IDENTITY_ALREADY_LINKED:
    "another Connect user is linked to the Identity Center user that signs in as this one's Username: re-create this Connect user with its own Username, or delete the other",
};

type Facts = Partial<Omit<UserExplanation, 'verdict' | 'plan'>> & Pick<UserExplanation, 'plan'>;

/** How the screen opens the verdict. */
export const verdictLine = (v: SignInVerdict): string =>
  v.canSignIn ? v.summary : `${!v.checked ? 'could not check' : v.partial ? 'signs in, but not as mapped' : 'cannot sign in'}: ${v.code}: ${v.summary}`;

const cannot = (code: string, summary: string, fix?: string): SignInVerdict => ({ checked: true, canSignIn: false, code, summary, ...(fix && { fix }) });

export function judge(x: Facts): SignInVerdict {
  const { plan } = x;
  if (!x.found) {
    return cannot('NOT_FOUND', `no Connect user has this id, Username or email in instance ${x.instanceId ?? ''}`.trim(), (
      'check the spelling: a Username is matched exactly (case included); an email against the Username, the email of a ' +
        'linked identity, and the Email or SecondaryEmail of Connect users with a similar Username'
    ));
  }
  if (!x.found.inConnect) {
    if (x.link?.linked || x.link?.claims?.length) {
      return cannot(
        'CONNECT_USER_GONE',
        x.link.linked
          ? 'deleted in Connect but still linked: its deprovision has not run (the DeleteUser event has not arrived, or failed)'
          : 'deleted in Connect, and a sync of it that died before its link left a claim (and perhaps memberships): its deprovision has not run',
        `${APPLY} (the deletion is confirmed with Connect first)`,
      );
    }
    return cannot('DELETED', x.link?.deletedAt ? `deleted in Connect (confirmed ${x.link.deletedAt}); nothing of it is left to remove` : 'no longer in Connect, and not linked');
  }
  if (x.identity && !x.identity.exists) {
    return cannot('IDENTITY_GONE', `the linked Identity Center user ${x.identity.id} no longer exists`, `${APPLY} (it is created or linked again)`);
  }
  if (x.identity?.status === 'DISABLED') {
    return cannot(
      'IDENTITY_DISABLED',
      `the Identity Center user ${x.identity.id} is disabled: it cannot sign in whatever its groups`,
      'enable it in the IAM Identity Center console (Users > the user > Enable user access) if it should sign in; the sync never enables a user',
    );
  }
  const signIn = x.identity?.exists ? x.identity.signIn : undefined;
  if (signIn && signIn.match !== 'exact') {
    const label = signIn.attribute === 'email' ? 'primary email' : 'UserName';
    const how = signIn.match === 'case' ? 'the same name but for letter case or spaces: Connect compares exactly' : 'another name';
    return cannot(
      'SIGN_IN_NAME_MISMATCH',
      `Identity Center would send "${signIn.sends ?? ''}" (its ${label}) as RoleSessionName, but the Connect Username is "${signIn.username}": ${how}. ` +
        'The agent would see "Access Denied. Your account has been authenticated, but has not been onboarded to this application."',
      x.link?.created
        ? `${APPLY}: the identity was created by this service, so its ${label} is set back to the Username (UPDATE_IDENTITY=created)`
        : `set the identity's ${label} to exactly "${signIn.username}" in Identity Center (a Connect Username cannot be changed), or re-create the Connect user as "${signIn.sends ?? ''}"; then ${APPLY}`,
    );
  }
  if (plan.error) {
    const { code, message, retryable } = plan.error;
    if (retryable) return { checked: false, canSignIn: false, code, summary: `could not check: ${message}`, fix: 'try again in a moment' };
    // On a SAML instance Connect holds no Email: the sync's own message names the fix there.
    const saml = x.identityManagement === 'SAML';
    const fix = saml && code === 'NO_EMAIL' ? undefined : ((saml ? SAML_FIXES[code] : undefined) ?? FIXES[code]);
    return cannot(code, `a sync fails now with ${code}`, fix ?? unmarked(message));
  }
  if (plan.outcome === 'ignored') return cannot('CONNECT_USER_DELETED', 'its deletion was confirmed: it stays deleted (a Connect user id is never reused)');
  if (plan.outcome === 'unmapped') {
    return cannot('UNMAPPED', 'its security profiles map to no managed group (GROUP_MAPPING)', 'give it a security profile the mapping names');
  }
  if (plan.outcome === 'created' || plan.outcome === 'linked') {
    const failed = x.link?.failure ? ` (its last sync failed with ${x.link.failure.code} since ${x.link.failure.since}; it would succeed now)` : '';
    return cannot(
      'NOT_SYNCED',
      `not synced yet${failed || ': the event has not arrived — CloudTrail trail missing? (connect-sso-sync doctor checks it)'}`,
      `${APPLY} to ${plan.outcome === 'created' ? 'create' : 'link'} its Identity Center user now`,
    );
  }
  return fromSteps(plan.steps, x);
}

function fromSteps(steps: PlannedStep[], x: Facts): SignInVerdict {
  const name = (id: string | undefined) => (id === undefined ? '' : (x.groupNames?.[id] ?? id.replace(/^\(new group (.*)\)$/, '$1')));
  const of = (verb: PlannedStep['verb']) => steps.filter((s) => s.verb === verb);
  const groupsOf = (verb: PlannedStep['verb']) => of(verb).map((s) => name(s.detail)).join(', ');
  const signsIn = (x.identity?.managedGroups.length ?? 0) > 0 && (x.assignment?.mode !== 'group' || x.assignment.groups.some((g) => g.assigned));
  const partly = (v: SignInVerdict): SignInVerdict => (signsIn ? { ...v, partial: true } : v);
  if (of('add-member').length > 0) {
    const created = of('create-group').length > 0 ? ' (the sync creates the missing group)' : '';
    return partly(cannot('NOT_IN_GROUP', `not yet in ${groupsOf('add-member')}: a change in Connect (a promotion?) has not been applied — its event has not arrived or failed`, `${APPLY}${created}`));
  }
  const assign = of('assign');
  if (assign.length > 0) {
    const what = assign.map((s) => (s.detail === 'GROUP' ? `group ${name(s.subject)}` : 'the user')).join(', ');
    return partly(cannot('NOT_ASSIGNED', `${what} not assigned to the Amazon Connect application`, `${APPLY} (the sync assigns it)`));
  }
  if (of('remove-member').length > 0) {
    return partly(cannot('EXTRA_GROUP', `still in ${groupsOf('remove-member')}, which its security profiles no longer give (a demotion not applied yet)`, APPLY));
  }
  const groups = x.wantedGroups?.join(', ') ?? '';
  const mode = x.assignment?.mode;
  const assigned = mode === 'none' ? 'assignment not managed (ASSIGNMENT_MODE=none)' : mode === 'user' ? 'user assigned' : 'assigned';
  if (x.identityManagement !== undefined && x.identityManagement !== 'SAML') {
    return cannot(
      'NOT_SAML_INSTANCE',
      `in sync (${groups} — ${assigned}), but this instance's identity management is ${x.identityManagement}: its agents sign in with Connect itself, not through Identity Center`,
      'nothing to fix for this user; Identity Center sign-in needs a SAML instance',
    );
  }
  const attribute = x.signInAttribute === 'userName' ? 'UserName' : 'primary email';
  return { checked: true, canSignIn: true, code: 'CAN_SIGN_IN', summary: `can sign in (${groups} — ${assigned}; its ${attribute} is exactly the Connect Username)` };
}

/** A step in words, for the screen: group names instead of ids where known. */
export function describeStep(step: PlannedStep, groupNames: Record<string, string> = {}): string {
  const group = (id: string | undefined) => (id === undefined ? '?' : (groupNames[id] ?? id.replace(/^\(new group (.*)\)$/, '$1 (new)')));
  const { subject = '', detail = '' } = step;
  const principal = step.detail === 'GROUP' ? `group ${group(step.subject)}` : 'the user';
  const words: Record<PlannedStep['verb'], string> = {
    'create-user': 'create the Identity Center user (UserName = the Connect Username)',
    'update-user': `update Identity Center user ${subject} (${detail})`,
    'delete-user': `delete Identity Center user ${subject}`,
    'create-group': `create group ${detail}`,
    'add-member': `add to ${group(step.detail)}`,
    'remove-member': `remove from ${group(step.detail)}`,
    assign: `assign ${principal} to the Amazon Connect application`,
    unassign: `unassign ${principal} from the Amazon Connect application`,
    'write-link': `write the link (-> ${detail})`,
    'delete-link': 'delete the link',
    'record-deletion': 'record the confirmed deletion (tombstone)',
    'remember-failure': `remember the failure ${detail}`,
  };
  return words[step.verb];
}
