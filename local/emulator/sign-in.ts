/**
 * Sign-in simulation: what happens when an Identity Center user opens the Amazon Connect application from the AWS
 * access portal, on a Connect instance whose identity management is SAML. Written from AWS's documentation, apart from
 * the product's code (nothing here imports from shared/), so a test can hold the product's verdict against it.
 *
 * The steps, in the order the agent meets them:
 * 1. Identity Center authenticates the user: an unknown user is NO_IDENTITY, a DISABLED one cannot sign in.
 * 2. The access portal shows only applications assigned to the user, directly or through a group it is a member of
 *    (NOT_ASSIGNED otherwise).
 * 3. The application sends a SAML assertion whose RoleSessionName comes from its attribute mapping
 *    (`${user:email}` = the primary email, AWS's usual mapping, or `${user:userName}`); AWS sign-in
 *    (sts:AssumeRoleWithSAML) refuses a RoleSessionName that is not 2-64 characters of `[\w+=,.@-]`
 *    (INVALID_SESSION_NAME). This runs before Connect is reached, so it comes before step 4.
 * 4. Connect looks for a user whose Username equals the RoleSessionName exactly: "The user name in Amazon Connect must
 *    match the RoleSessionName SAML attribute" and "All Amazon Connect usernames are case sensitive, even when using
 *    SAML" (admin guide, Configure SAML). None: NOT_ONBOARDED, the page "Access Denied. Your account has been
 *    authenticated, but has not been onboarded to this application."
 *
 * Not simulated: an application whose assignment is not required (everyone sees it), the IAM role's trust and
 * `connect:GetFederationToken` permission, a Connect user already tied to another role ("Bad Request").
 */
import type { ConnectInstance, ConnectService } from './connect.js';
import type { JsonObject } from './core.js';
import type { IdentityStore, IdentityStoreService } from './identity-store.js';
import type { SsoAdminService, SsoApplication } from './sso-admin.js';
import { isObject } from './core.js';
import { instanceIdOf } from './connect.js';

/** The application's RoleSessionName attribute mapping, as written in the Identity Center console. */
export type RoleSessionNameMapping = '${user:email}' | '${user:userName}';

export interface SignInOptions {
  /** The Identity Center application that is Amazon Connect; default: the emulator's only application. */
  applicationArn?: string;
  /** The Connect instance the application signs into (id or ARN); default: the emulator's only Connect instance. */
  instanceId?: string;
  /** Default `${user:email}` (AWS's samples and workshop). */
  roleSessionName?: RoleSessionNameMapping;
}

export type SignInResult = 'SIGNED_IN' | 'NOT_ONBOARDED' | 'NOT_ASSIGNED' | 'DISABLED' | 'NO_IDENTITY' | 'INVALID_SESSION_NAME';

export interface SignInAnswer {
  result: SignInResult;
  /** What the application sends (absent when the user never gets that far). */
  roleSessionName?: string;
  /** The Connect user signed in as (SIGNED_IN only). */
  connectUserId?: string;
  /** What the agent meets, in AWS's words where AWS has words for it. Names no user. */
  message: string;
}

/** Who asks to sign in: an Identity Center user id, or its UserName (matched as the identity store's lookups match). */
export type SignInWho = { identityUserId: string } | { userName: string };

export interface SignInIdentity { identityUserId: string; userName: string }

/** STS AssumeRoleWithSAML's RoleSessionName (`[\w+=,.@-]*`, 2-64 characters; Java's `\w` is ASCII). */
const ROLE_SESSION_NAME = /^[A-Za-z0-9_+=,.@-]{2,64}$/;

export const NOT_ONBOARDED_PAGE = 'Access Denied. Your account has been authenticated, but has not been onboarded to this application.';

const MESSAGES: Record<SignInResult, string> = {
  NO_IDENTITY: 'No such user in the identity store: Identity Center cannot authenticate it.',
  DISABLED: 'The user is disabled in Identity Center: it cannot sign in.',
  NOT_ASSIGNED: 'The application is not in the user\'s AWS access portal: it is assigned neither to the user nor to a group the user is in.',
  INVALID_SESSION_NAME: 'AWS sign-in refuses the SAML response: the RoleSessionName is not 2-64 characters of [\\w+=,.@-].',
  NOT_ONBOARDED: NOT_ONBOARDED_PAGE,
  SIGNED_IN: 'Signed in to Amazon Connect.',
};

const answer = (result: SignInResult, extra: Partial<SignInAnswer> = {}): SignInAnswer => ({ result, ...extra, message: MESSAGES[result] });

/** The primary email (`${user:email}`): the one marked Primary, else the only one Identity Center keeps. */
function primaryEmail(user: JsonObject): string | undefined {
  const emails = Array.isArray(user.Emails) ? user.Emails.filter(isObject) : [];
  const chosen = emails.find((e) => e.Primary === true) ?? emails[0];
  return typeof chosen?.Value === 'string' ? chosen.Value : undefined;
}

export class SignInSimulator {
  private options: SignInOptions = {};

  constructor(private readonly connect: ConnectService, private readonly identityStore: IdentityStoreService, private readonly ssoAdmin: SsoAdminService) {}

  /** Changes the given settings only; the others keep their value. */
  configure(options: SignInOptions): void {
    this.options = { ...this.options, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  }

  get mapping(): RoleSessionNameMapping {
    return this.options.roleSessionName ?? '${user:email}';
  }

  /** What the application sends as RoleSessionName for this user (undefined: the mapped attribute is empty). */
  roleSessionNameOf(user: JsonObject): string | undefined {
    if (this.mapping === '${user:userName}') return typeof user.UserName === 'string' ? user.UserName : undefined;
    return primaryEmail(user);
  }

  /** The answer AWS would give this Identity Center user opening the Amazon Connect application. */
  signIn(who: SignInWho): SignInAnswer {
    const { application, store, instance } = this.resolve();
    const user = this.findIdentity(store, who);
    if (user === undefined) return answer('NO_IDENTITY');
    if (user.UserStatus === 'DISABLED') return answer('DISABLED');
    if (!this.isAssigned(application, store, String(user.UserId))) return answer('NOT_ASSIGNED');
    const roleSessionName = this.roleSessionNameOf(user);
    if (roleSessionName === undefined || !ROLE_SESSION_NAME.test(roleSessionName)) return answer('INVALID_SESSION_NAME', roleSessionName === undefined ? {} : { roleSessionName });
    // Exact, case included, whatever the emulator's lookupCase switch: the admin guide documents this one.
    const connectUser = [...instance.users.values()].find((u) => u.Username === roleSessionName);
    if (connectUser === undefined) return answer('NOT_ONBOARDED', { roleSessionName });
    return answer('SIGNED_IN', { roleSessionName, connectUserId: String(connectUser.Id) });
  }

  /** The Identity Center users that would sign in as this Connect user (by id or Username); empty when none would. */
  identitiesSigningInAs(connectUser: { connectUserId: string } | { username: string }): SignInIdentity[] {
    const { store, instance } = this.resolve();
    const target = 'connectUserId' in connectUser
      ? instance.users.get(connectUser.connectUserId)
      : [...instance.users.values()].find((u) => u.Username === connectUser.username);
    if (target === undefined) return [];
    return store.users.values()
      .filter((user) => {
        const answered = this.signIn({ identityUserId: String(user.UserId) });
        return answered.result === 'SIGNED_IN' && answered.connectUserId === target.Id;
      })
      .map((user) => ({ identityUserId: String(user.UserId), userName: String(user.UserName) }));
  }

  private findIdentity(store: IdentityStore, who: SignInWho): JsonObject | undefined {
    if ('identityUserId' in who) return store.users.get(who.identityUserId);
    const fold = this.identityStore.context(store).fold;
    return store.users.values().find((u) => typeof u.UserName === 'string' && fold(u.UserName) === fold(who.userName));
  }

  private isAssigned(application: SsoApplication, store: IdentityStore, userId: string): boolean {
    const groups = new Set(store.memberships.values().filter((m) => m.UserId === userId).map((m) => m.GroupId));
    return application.assignments.some((a) => (a.PrincipalType === 'USER' && a.PrincipalId === userId) || (a.PrincipalType === 'GROUP' && groups.has(a.PrincipalId)));
  }

  /** The configured (or only) application, its identity store and the Connect instance; throws naming what is missing. */
  private resolve(): { application: SsoApplication; store: IdentityStore; instance: ConnectInstance } {
    const applications = [...this.ssoAdmin.instances.values()].flatMap((i) => [...i.applications.values()]);
    const application = this.options.applicationArn === undefined
      ? (applications.length === 1 ? applications[0] : undefined)
      : applications.find((a) => a.arn === this.options.applicationArn);
    if (application === undefined) throw new Error('sign-in: name the Amazon Connect application (signIn.configure({ applicationArn }))');
    const instances = [...this.connect.instances.values()];
    const instance = this.options.instanceId === undefined
      ? (instances.length === 1 ? instances[0] : undefined)
      : this.connect.instances.get(instanceIdOf(this.options.instanceId));
    if (instance === undefined) throw new Error('sign-in: name the Connect instance (signIn.configure({ instanceId }))');
    if (instance.identityManagementType !== 'SAML') {
      throw new Error(`sign-in: the instance's identity management is ${instance.identityManagementType}: its agents do not sign in through Identity Center`);
    }
    const store = this.identityStore.store(this.ssoAdmin.instance(application.instanceArn).identityStoreId);
    return { application, store, instance };
  }
}
