/** Identity Store (awsJson1_1, target prefix AWSIdentityStore): users, groups and memberships per store. */
import type { Behaviour, ResolvedBehaviour } from './behaviour.js';
import type { JsonObject } from './core.js';
import { ApiError, ids, str } from './core.js';
import { groupOperations } from './identity-groups.js';
import { notFound } from './identity-rules.js';
import { checkRequest } from './model-checks.js';
import { VersionedTable } from './identity-tables.js';
import { userOperations } from './identity-users.js';

export interface Membership { MembershipId: string; GroupId: string; UserId: string; CreatedAt: number }

export interface IdentityStore {
  id: string;
  readOnly: boolean;
  users: VersionedTable<JsonObject>;
  groups: VersionedTable<JsonObject>;
  memberships: VersionedTable<Membership>;
}

/** What an operation needs: the store, the clock, and the switches in force for this request. */
export interface StoreContext {
  store: IdentityStore;
  now: number;
  /** Folds user names, e-mails and group names for lookups and uniqueness (`lookupCase`). */
  fold: (value: string) => string;
  behaviour: ResolvedBehaviour;
}

export type StoreOperation = (context: StoreContext, input: JsonObject) => JsonObject;

const WRITES = new Set(['CreateUser', 'DeleteUser', 'UpdateUser', 'CreateGroup', 'DeleteGroup', 'UpdateGroup', 'CreateGroupMembership', 'DeleteGroupMembership']);

const OPERATIONS: Record<string, StoreOperation> = { ...userOperations, ...groupOperations };

export class IdentityStoreService {
  readonly stores = new Map<string, IdentityStore>();

  constructor(private readonly behaviour: Behaviour) {}

  addStore(spec: { id?: string; readOnly?: boolean }): IdentityStore {
    const id = spec.id ?? ids.identityStore();
    checkRequest('identitystore', 'ListUsers', { IdentityStoreId: id });
    const lag = (): number => this.behaviour.readLagMs;
    const store: IdentityStore = {
      id, readOnly: spec.readOnly ?? false, users: new VersionedTable(lag), groups: new VersionedTable(lag), memberships: new VersionedTable(lag),
    };
    this.stores.set(store.id, store);
    return store;
  }

  store(id: string | undefined): IdentityStore {
    const store = id === undefined ? undefined : this.stores.get(id);
    if (store === undefined) throw notFound('IDENTITY_STORE');
    return store;
  }

  context(store: IdentityStore, now = this.behaviour.clock()): StoreContext {
    return { store, now, fold: this.behaviour.fold('identityStore'), behaviour: this.behaviour.current };
  }

  handle(operation: string, input: JsonObject): JsonObject {
    const run = OPERATIONS[operation];
    if (run === undefined) throw new ApiError('UnknownOperationException', 400, 'The requested operation is not supported by the emulator.');
    // The model's checks ran first, so a malformed id was already a ValidationException.
    const store = this.store(str(input, 'IdentityStoreId'));
    if (store.readOnly && WRITES.has(operation)) {
      throw new ApiError('AccessDeniedException', 403, 'The identity store is provisioned by an external identity provider (SCIM) and is read-only.');
    }
    return run(this.context(store), input);
  }

  /** Whether a user or group exists, in the writer's (latest) view; SSO Admin checks principals with it. */
  hasPrincipal(identityStoreId: string, principalType: string, principalId: string): boolean {
    const store = this.stores.get(identityStoreId);
    if (store === undefined) return false;
    return principalType === 'USER' ? store.users.has(principalId) : store.groups.has(principalId);
  }
}
