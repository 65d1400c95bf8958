import type { ReconcileRunSummary } from '../run-summary.js';

/**
 * One Connect user the service has synced: who it is in Identity Center, whether this service created that
 * Identity Center user, and the managed groups it put it in. Ids and flags only: no email, no name.
 */
export interface Link {
  instanceId: string;
  connectUserId: string;
  identityUserId: string;
  created: boolean;
  groupIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** A sync of a Connect user that failed permanently, remembered so that no background loop repeats it unchanged. */
export interface KnownFailure {
  code: string;
  /** When it first failed this way (ISO 8601). */
  since: string;
  /** The Connect user's LastModifiedTime when it failed: a change in Connect makes it worth trying again. */
  connectModifiedAt?: string;
  /** How many times in a row it failed this way (1, or absent, when first remembered): the back-off grows with it. */
  attempts?: number;
  /** When it last failed this way (ISO 8601; `since` when absent): the back-off counts from here. */
  lastAt?: string;
  /** The Identity Center user the failure names (the identity another Connect user holds), when it names one. */
  identityUserId?: string;
}

/**
 * What failed, so that each failure is remembered for what it stops and no more: `sync` (create, link, groups,
 * assignment), `update` (the identity's attributes: the groups are repaired regardless), `deprovision` (taking access
 * away from a Connect user whose deletion was confirmed).
 */
export type FailureStep = 'sync' | 'update' | 'deprovision';

export type FailureRecorded = 'new' | 'repeated';

/** What the link table knows about one Connect user. */
export interface UserRecord {
  connectUserId: string;
  link?: Link;
  /** Set when the Connect user's deletion was confirmed (a tombstone): Connect never reuses an id, so it is final. */
  deletedAt?: string;
  failure?: KnownFailure;
  /** The remembered failure of its identity's update (UpdateUserIdentityInfo): it does not hold its groups back. */
  updateFailure?: KnownFailure;
  /** The remembered failure of its deprovision (e.g. PROTECTED_IDENTITY), after its deletion was confirmed. */
  deprovisionFailure?: KnownFailure;
  /**
   * The identities a sync claimed for it (written before the claim, so before any membership): what a sync that died
   * before its link wrote is findable from the Connect user id. A claim named here may since have been released.
   */
  claims?: string[];
}

/** The ownership of an identity claimed for a Connect user: who holds it, and whether this service created it. */
export interface Claim {
  holder: string;
  /** The service created this identity, as recorded once per identity (it outlives links and deprovisioning). */
  created: boolean;
}

/** A claim as the table holds it: the holder (absent once released), the creator flag and what its syncs added. */
export interface ClaimRecord {
  holder?: string;
  /** The Connect user whose claim was released last (its deprovision): how `user <email>` finds a deleted agent. */
  formerHolder?: string;
  created: boolean;
  /** The managed groups the holder's syncs were about to add the identity to (written before they were added). */
  groupIds: string[];
}

export interface LinkStore {
  /** Everything the table holds about the Connect user (an empty record when nothing). */
  get(instanceId: string, connectUserId: string): Promise<UserRecord>;
  /**
   * Writes the link (and forgets the creation attempts and any remembered failure); `created` is never turned from
   * true to false. Throws RetryableError CONFLICT_UNRESOLVED when the Connect user is linked to another identity
   * meanwhile, PermanentError CONNECT_USER_DELETED when its deletion was confirmed meanwhile (a tombstone).
   */
  put(link: Link): Promise<void>;
  /**
   * Links a Connect user to an identity that already exists and is already where it should be (reconcile's adoption
   * from the listings), with conditional writes and no read: claims the identity (only when no other Connect user
   * holds it; a claim this Connect user already holds is kept), then writes the link and names the claim on the
   * Connect user's record (only when it has no link, no tombstone and no creation attempt). Resolves `refused` when a
   * condition failed: nothing of this call is left (the claim is released again), and the per-user sync decides.
   * `created` comes from the identity's record.
   */
  adopt(link: Omit<Link, 'created'>): Promise<'linked' | 'refused'>;
  /**
   * Notes that the service is about to create the Identity Center user of a Connect user not linked yet: if the
   * attempt is cut off after Identity Center created it (a timeout, a crash), the next attempt can still tell that
   * this service created it (see sync-user.ts).
   */
  recordCreationAttempt(instanceId: string, connectUserId: string, at: string): Promise<void>;
  /** The creation attempts recorded for a Connect user not linked yet (ISO timestamps). */
  creationAttempts(instanceId: string, connectUserId: string): Promise<string[]>;
  /**
   * Claims the Identity Center user for the Connect user (one identity, one Connect user of the instance), and
   * records once that the service created it when `created`. Resolves with the holder (`connectUserId` itself when
   * the claim is now ours) and whether the service created the identity, by this or any earlier claim.
   * Before the claim, the identity is named on the Connect user's record (`UserRecord.claims`), and the claim records
   * `groupIds`, the managed groups the sync is about to add it to: what a sync writes is findable before its link.
   * Throws PermanentError CONNECT_USER_DELETED when the Connect user's deletion was confirmed (nothing is claimed).
   */
  claim(instanceId: string, identityUserId: string, connectUserId: string, created: boolean, groupIds?: readonly string[]): Promise<Claim>;
  /** Who holds the claim on an identity now (a fresh read), or undefined. */
  claimant(instanceId: string, identityUserId: string): Promise<string | undefined>;
  /** The claim item of an identity (a fresh read), or undefined when the table has none. */
  claimOf(instanceId: string, identityUserId: string): Promise<ClaimRecord | undefined>;
  /**
   * Deletes the link and releases its claim (each only while it still names this pair), and forgets the identity on
   * the Connect user's record (`claims`) and a remembered deprovision failure. Whether the service created the
   * identity stays recorded, unless `identityDeleted`.
   */
  delete(link: Pick<Link, 'instanceId' | 'connectUserId' | 'identityUserId'>, options?: { identityDeleted?: boolean }): Promise<void>;
  /**
   * Records that Connect confirmed the user's deletion (a tombstone, kept for TOMBSTONE_DAYS): from now on no link
   * can be written for it. The link, if any, stays until the deprovision is done (`delete`). Resolves with the record
   * as it is now (one write, no read).
   */
  tombstone(instanceId: string, connectUserId: string, at: string): Promise<UserRecord>;
  /**
   * Remembers a permanent failure of the Connect user's `step` (default `sync`; `sync` and `update` not for a
   * tombstoned user). The same failure (code and Connect modification) recorded again keeps its `since`, counts one
   * more attempt and moves `lastAt`: it resolves `repeated` then, `new` otherwise.
   */
  recordFailure(instanceId: string, connectUserId: string, failure: KnownFailure, step?: FailureStep): Promise<FailureRecorded>;
  /** Forgets a remembered failure of `step` (default `sync`; the user synced since without a link to write). */
  clearFailure(instanceId: string, connectUserId: string, step?: FailureStep): Promise<void>;
  /** The instance's records that hold a link, a remembered failure or a claim (a sync that died before its link), page by page. */
  pages(instanceId: string): AsyncIterable<UserRecord[]>;
}

/** Where the last run's summary is kept (the link table: pk = instance id, sk = `reconcile#last`). */
export interface RunSummaryStore {
  write(summary: ReconcileRunSummary): Promise<void>;
  /** The instance's last summary; undefined when reconcile never recorded one. */
  read(instanceId: string): Promise<ReconcileRunSummary | undefined>;
}
